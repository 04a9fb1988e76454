/**
 * Native (uncompressed) frames and the sample helpers the codecs share.
 *
 * PS3.5 §8.1.1: each sample occupies Bits Allocated bits, of which Bits Stored bits ending at
 * High Bit carry the value; the other bits may hold anything (old overlays), so they are masked
 * off and signed values are sign-extended from Bits Stored.
 */
import { undecodable } from './errors';
import type { CodecOutput, PixelInfo, SampleArray } from './types';

export function decodeNative(
  frame: Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
  bigEndian: boolean,
): CodecOutput {
  const subsampled = info.photometricInterpretation === 'YBR_FULL_422';
  const expected = nativeFrameLength(info);
  if (frame.length < expected) {
    const got = `the frame has ${frame.length} bytes where ${expected} are expected`;
    throw undecodable(transferSyntaxUID, got);
  }

  let bytes = frame;
  if (bigEndian && info.bitsAllocated === 8 && info.pixelDataVR !== 'OB') {
    bytes = swapWordBytes(frame);
  }

  if (info.bitsAllocated === 1) return unpackBits(bytes, info);

  const count = expected / (info.bitsAllocated / 8);
  const raw = readSamples(bytes, info.bitsAllocated, count, !bigEndian);
  let samples = fitToStored(raw, info);
  if (subsampled) samples = expandYbr422(samples, info.columns, info.rows);

  const planar = info.samplesPerPixel > 1 && info.planarConfiguration === 1 && !subsampled;
  return {
    width: info.columns,
    height: info.rows,
    components: info.samplesPerPixel,
    samples,
    layout: planar ? 'planar' : 'interleaved',
    rgb: false,
  };
}

/** Bytes one native frame occupies; YBR_FULL_422 stores two samples per pixel, not three. */
export function nativeFrameLength(info: PixelInfo): number {
  const pixels = info.rows * info.columns;
  if (info.bitsAllocated === 1) {
    return Math.ceil(((info.bitOffset ?? 0) + pixels * info.samplesPerPixel) / 8);
  }
  const bytesPerSample = info.bitsAllocated / 8;
  if (info.photometricInterpretation === 'YBR_FULL_422') {
    return info.rows * Math.ceil(info.columns / 2) * 4 * bytesPerSample;
  }
  return pixels * info.samplesPerPixel * bytesPerSample;
}

/**
 * PS3.5 A.3 (Explicit VR Big Endian): 8-bit samples in an OW value are stored as swapped
 * 16-bit words, so the frame must be handed over as whole words.
 * Limitation: a frame that starts in the middle of a word (odd frame length, odd frame
 * number) cannot be un-swapped from its own bytes and comes out with its samples paired wrong.
 */
function swapWordBytes(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + (frame.length % 2));
  out.set(frame);
  for (let i = 0; i + 1 < out.length; i += 2) {
    const high = out[i];
    out[i] = out[i + 1];
    out[i + 1] = high;
  }
  return out;
}

/**
 * PS3.5 §8.1.1 / Annex D: 1-bit pixels, packed eight to a byte, least significant bit first,
 * frame after frame with no padding, so a frame may start `bitOffset` bits into its first byte.
 */
function unpackBits(bytes: Uint8Array, info: PixelInfo): CodecOutput {
  const count = info.rows * info.columns * info.samplesPerPixel;
  const offset = info.bitOffset ?? 0;
  const samples = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = i + offset;
    samples[i] = (bytes[bit >> 3] >> (bit & 7)) & 1;
  }
  return {
    width: info.columns,
    height: info.rows,
    components: info.samplesPerPixel,
    samples,
    layout: 'interleaved',
    rgb: false,
  };
}

/** Unsigned samples of `bits` (8, 16 or 32) from bytes in the given byte order. */
export function readSamples(
  bytes: Uint8Array,
  bits: number,
  count: number,
  littleEndian: boolean,
): Uint8Array | Uint16Array | Uint32Array {
  if (bits !== 8 && bits !== 16 && bits !== 32) {
    throw new RangeError(`Bits Allocated ${bits} is not 1, 8, 16 or 32`);
  }
  const copy = bytes.slice(0, count * (bits / 8));
  if (bits === 8) return copy;

  // Node runs on little-endian machines only, so a copy of little-endian bytes is already
  // the typed array; big endian goes through a DataView.
  if (littleEndian) {
    return bits === 16 ? new Uint16Array(copy.buffer) : new Uint32Array(copy.buffer);
  }
  const view = new DataView(copy.buffer);
  if (bits === 16) return Uint16Array.from({ length: count }, (_, i) => view.getUint16(i * 2));
  return Uint32Array.from({ length: count }, (_, i) => view.getUint32(i * 4));
}

/**
 * Keeps the Bits Stored bits ending at High Bit and sign-extends them when Pixel Representation
 * is 1 (two's complement, PS3.3 C.7.6.3.1). Signed 8-bit samples widen to Int16Array.
 */
export function fitToStored(raw: Uint8Array | Uint16Array | Uint32Array, info: PixelInfo) {
  const stored = info.bitsStored;
  const shift = Math.max(0, info.highBit - stored + 1);
  const signed = info.pixelRepresentation === 1;
  const whole = stored >= info.bitsAllocated && shift === 0;
  if (whole && !signed) return raw;
  if (whole && stored === 16) return new Int16Array(raw.buffer, raw.byteOffset, raw.length);
  if (whole && stored === 32) return new Int32Array(raw.buffer, raw.byteOffset, raw.length);

  const out = allocate(signed, info.bitsAllocated, raw.length);
  const span = 2 ** stored;
  for (let i = 0; i < raw.length; i++) {
    const value = Math.floor(raw[i] / 2 ** shift) % span;
    out[i] = signed && value >= span / 2 ? value - span : value;
  }
  return out;
}

function allocate(signed: boolean, bitsAllocated: number, count: number): SampleArray {
  if (bitsAllocated === 32) return signed ? new Int32Array(count) : new Uint32Array(count);
  if (signed) return new Int16Array(count);
  return bitsAllocated === 16 ? new Uint16Array(count) : new Uint8Array(count);
}

/**
 * Reinterprets unsigned codec output as two's complement of `bits` bits: JPEG, JPEG-LS and
 * some JPEG 2000 streams carry signed pixels as unsigned codes (PS3.5 §8.2.1, §8.2.4).
 */
export function signExtend(samples: SampleArray, bits: number): SampleArray {
  if (samples instanceof Int16Array || samples instanceof Int32Array) return samples;
  const out = bits > 16 ? new Int32Array(samples.length) : new Int16Array(samples.length);
  const span = 2 ** bits;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i] % span;
    out[i] = value >= span / 2 ? value - span : value;
  }
  return out;
}

/**
 * PS3.3 C.7.6.3.1.2 YBR_FULL_422: each pair of pixels is stored as Y1 Y2 Cb Cr, the chroma
 * shared by both. Expanded here to YBR_FULL, three samples per pixel.
 */
function expandYbr422(pairs: SampleArray, columns: number, rows: number): SampleArray {
  const out = new (pairs.constructor as new (n: number) => SampleArray)(columns * rows * 3);
  const rowPairs = Math.ceil(columns / 2);
  for (let y = 0; y < rows; y++) {
    for (let p = 0; p < rowPairs; p++) {
      const src = (y * rowPairs + p) * 4;
      const x = p * 2;
      writeYbr(out, (y * columns + x) * 3, pairs[src], pairs[src + 2], pairs[src + 3]);
      if (x + 1 < columns) {
        writeYbr(out, (y * columns + x + 1) * 3, pairs[src + 1], pairs[src + 2], pairs[src + 3]);
      }
    }
  }
  return out;
}

function writeYbr(out: SampleArray, at: number, y: number, cb: number, cr: number): void {
  out[at] = y;
  out[at + 1] = cb;
  out[at + 2] = cr;
}
