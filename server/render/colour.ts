/**
 * Colour conversions to interleaved RGB for samples a codec left as stored.
 */
import type { CodecOutput, SampleArray } from './types';

/** Planar (RRR..GGG..BBB, Planar Configuration 1) to interleaved (RGBRGB..). */
export function interleave(output: CodecOutput): SampleArray {
  const { samples, components, layout } = output;
  if (layout === 'interleaved' || components === 1) return samples;

  const pixels = output.width * output.height;
  const out = new (samples.constructor as new (n: number) => SampleArray)(pixels * components);
  for (let c = 0; c < components; c++) {
    for (let i = 0; i < pixels; i++) out[i * components + c] = samples[c * pixels + i];
  }
  return out;
}

/**
 * PS3.3 C.7.6.3.1.2 defines YBR_FULL from RGB (Y = .299R + .587G + .114B, CB and CR centred
 * on half the range); this is its inverse, rounded to nearest and clamped. YBR_FULL_422 after
 * expansion and JPEG 2000's irreversible transform (YBR_ICT) use the same matrix.
 */
export function ybrFullToRgb(ybr: SampleArray, bits: number): SampleArray {
  const out = new (ybr.constructor as new (n: number) => SampleArray)(ybr.length);
  const half = 2 ** (bits - 1);
  const max = 2 ** bits - 1;
  for (let i = 0; i < ybr.length; i += 3) {
    const y = ybr[i];
    const cb = ybr[i + 1] - half;
    const cr = ybr[i + 2] - half;
    out[i] = clamp(y + 1.402 * cr, max);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr, max);
    out[i + 2] = clamp(y + 1.772 * cb, max);
  }
  return out;
}

/**
 * ISO 15444-1 G.2.2, inverse reversible component transform, for a YBR_RCT frame whose
 * codestream did not apply it: G = Y - floor((Cb + Cr) / 4), R = Cr + G, B = Cb + G, with the
 * chroma components centred on zero.
 */
export function rctToRgb(ybr: SampleArray, bits: number): SampleArray {
  const out = new (ybr.constructor as new (n: number) => SampleArray)(ybr.length);
  const half = 2 ** (bits - 1);
  const max = 2 ** bits - 1;
  for (let i = 0; i < ybr.length; i += 3) {
    const cb = ybr[i + 1] - half;
    const cr = ybr[i + 2] - half;
    const g = ybr[i] - Math.floor((cb + cr) / 4);
    out[i] = clamp(cr + g, max);
    out[i + 1] = clamp(g, max);
    out[i + 2] = clamp(cb + g, max);
  }
  return out;
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(0, Math.round(value)));
}
