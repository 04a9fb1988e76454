/**
 * Greyscale to 8-bit display values: the Modality LUT (Rescale Slope / Intercept, PS3.3
 * C.11.1), then the VOI window (C.11.2), then inversion for MONOCHROME1 (C.7.6.3.1.2).
 *
 * The window is the caller's, else the file's first Window Center / Width, else the frame's own
 * minimum to maximum. 8-bit (and smaller) unsigned frames without any window or rescale are
 * shown as stored: stretching a fundus photo or an OCT B-scan to its extremes would change how
 * it looks to a grader.
 *
 * Limitation: only the linear Modality LUT (rescale) and VOI windows are applied; a Modality
 * LUT Sequence (0028,3000), a VOI LUT Sequence (0028,3010) and presentation states are not.
 */
import type { DecodedFrame, RenderOptions, SampleArray } from './types';

type Mapping = (modalityValue: number) => number;

export function greyTo8Bit(frame: DecodedFrame, window?: RenderOptions['window']): Uint8Array {
  const { data } = frame;
  const [min, max] = storedRange(data);
  const slope = frame.rescaleSlope;
  const intercept = frame.rescaleIntercept;
  const map = chooseMapping(frame, window, [min * slope + intercept, max * slope + intercept]);
  const invert = frame.photometricInterpretation === 'MONOCHROME1';
  const display = (stored: number) => {
    const value = Math.round(map(stored * slope + intercept));
    return invert ? 255 - value : value;
  };

  const out = new Uint8Array(data.length);
  if (max - min > 1 << 20) {
    for (let i = 0; i < data.length; i++) out[i] = display(data[i]);
    return out;
  }
  // Integer samples: one table entry per stored value present, then one lookup per pixel.
  const table = new Uint8Array(max - min + 1);
  for (let v = min; v <= max; v++) table[v - min] = display(v);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i] - min];
  return out;
}

function chooseMapping(
  frame: DecodedFrame,
  window: RenderOptions['window'],
  [low, high]: [number, number],
): Mapping {
  const center = window?.center ?? frame.windowCenter;
  const width = window?.width ?? frame.windowWidth;
  if (center !== undefined && width !== undefined && width > 0) {
    return voiFunction(frame.voiLutFunction, center, width);
  }

  const rescaled = frame.rescaleSlope !== 1 || frame.rescaleIntercept !== 0;
  if (frame.bitsStored <= 8 && !frame.signed && !rescaled) {
    const top = 2 ** frame.bitsStored - 1;
    return (x) => (x * 255) / top;
  }
  return high > low ? (x) => ((x - low) * 255) / (high - low) : () => 0;
}

/**
 * PS3.3 C.11.2.1.2.1 (LINEAR), C.11.2.1.3.1 (SIGMOID) and C.11.2.1.3.2 (LINEAR_EXACT), with
 * an output range of 0-255.
 */
export function voiFunction(name: string | undefined, c: number, w: number): Mapping {
  const fn = (name ?? 'LINEAR').trim().toUpperCase();
  if (fn === 'SIGMOID') return (x) => 255 / (1 + Math.exp((-4 * (x - c)) / w));

  if (fn === 'LINEAR_EXACT') {
    return (x) => {
      if (x <= c - w / 2) return 0;
      if (x > c + w / 2) return 255;
      return ((x - c) / w + 0.5) * 255;
    };
  }

  // LINEAR: the window is [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2]; width 1 is a threshold.
  return (x) => {
    if (x <= c - 0.5 - (w - 1) / 2) return 0;
    if (x > c - 0.5 + (w - 1) / 2) return 255;
    return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
  };
}

function storedRange(data: SampleArray): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  return data.length ? [min, max] : [0, 0];
}

/** Colour samples wider than 8 bits are scaled to 0-255; VOI does not apply to colour. */
export function colourTo8Bit(frame: DecodedFrame): Uint8Array {
  const { data, bitsStored } = frame;
  if (bitsStored === 8 && data instanceof Uint8Array) return data;

  const top = 2 ** bitsStored - 1;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = Math.round((Math.min(Math.max(data[i], 0), top) * 255) / top);
  }
  return out;
}
