/**
 * RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G. No maintained npm package decodes it, and
 * the format is small: a 64-byte header of segment offsets, then one PackBits segment per byte
 * plane.
 */
import { undecodable } from './errors';
import { fitToStored } from './native';
import type { CodecOutput, PixelInfo } from './types';

const RLE_UID = '1.2.840.10008.1.2.5';

export function decodeRle(frame: Uint8Array, info: PixelInfo): CodecOutput {
  const bytesPerSample = info.bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample)) {
    throw undecodable(RLE_UID, `Bits Allocated ${info.bitsAllocated} is not a whole byte`);
  }

  const offsets = segmentOffsets(frame);
  const planes = info.samplesPerPixel * bytesPerSample;
  if (offsets.length !== planes) {
    throw undecodable(RLE_UID, `${offsets.length} segments where ${planes} are expected`);
  }

  const pixels = info.rows * info.columns;
  const segments = offsets.map((start, i) => {
    const end = i + 1 < offsets.length ? offsets[i + 1] : frame.length;
    return unpackSegment(frame.subarray(start, end), pixels);
  });

  return {
    width: info.columns,
    height: info.rows,
    components: info.samplesPerPixel,
    samples: fitToStored(assemble(segments, info, pixels), info),
    // G.2: segments are per component, whatever Planar Configuration says.
    layout: 'planar',
    rgb: false,
  };
}

/** PS3.5 G.5: the header is 16 little-endian UL: the segment count, then up to 15 offsets. */
function segmentOffsets(frame: Uint8Array): number[] {
  if (frame.length < 64) throw undecodable(RLE_UID, 'the RLE header is shorter than 64 bytes');

  const view = new DataView(frame.buffer, frame.byteOffset, 64);
  const count = view.getUint32(0, true);
  if (count < 1 || count > 15) throw undecodable(RLE_UID, `the header lists ${count} segments`);

  const offsets: number[] = [];
  for (let i = 1; i <= count; i++) {
    const offset = view.getUint32(i * 4, true);
    const previous = offsets.length ? offsets[offsets.length - 1] : 63;
    if (offset <= previous || offset > frame.length) {
      throw undecodable(RLE_UID, `segment ${i} starts at an impossible offset ${offset}`);
    }
    offsets.push(offset);
  }
  return offsets;
}

/**
 * PS3.5 G.3.2: a header byte n in 0..127 is followed by n+1 literal bytes; n in -127..-1 by
 * one byte repeated 1-n times; -128 is a no-op. Output past `length` (encoders pad segments to
 * an even length) is dropped; a short segment leaves zeros.
 */
function unpackSegment(segment: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let read = 0;
  let written = 0;

  while (read < segment.length && written < length) {
    const header = (segment[read++] << 24) >> 24;
    if (header >= 0) {
      const run = Math.min(header + 1, length - written, segment.length - read);
      out.set(segment.subarray(read, read + run), written);
      read += header + 1;
      written += run;
    } else if (header > -128) {
      const run = Math.min(1 - header, length - written);
      out.fill(segment[read++], written, written + run);
      written += run;
    }
  }
  return out;
}

/** G.2: segment order is component by component, most significant byte first. */
function assemble(segments: Uint8Array[], info: PixelInfo, pixels: number) {
  const bytesPerSample = info.bitsAllocated / 8;
  if (bytesPerSample === 1) {
    const out = new Uint8Array(pixels * segments.length);
    segments.forEach((segment, i) => out.set(segment, i * pixels));
    return out;
  }

  const out =
    bytesPerSample === 2
      ? new Uint16Array(pixels * info.samplesPerPixel)
      : new Uint32Array(pixels * info.samplesPerPixel);
  for (let c = 0; c < info.samplesPerPixel; c++) {
    const planes = segments.slice(c * bytesPerSample, (c + 1) * bytesPerSample);
    for (let i = 0; i < pixels; i++) {
      let value = 0;
      for (const plane of planes) value = value * 256 + plane[i];
      out[c * pixels + i] = value;
    }
  }
  return out;
}
