/**
 * Pixel Data (7FE0,0010) description and per-frame byte ranges, so that a frame request reads
 * exactly its bytes from the stored file. The Image Pixel attributes are those of PS3.3
 * §C.7.6.3; native frame layout is PS3.5 §8.1.1, encapsulated layout PS3.5 §A.4.
 */
import { AppError } from '../errors';
import { TAG, type DataSet } from './dataset';
import { describeTag } from './dictionary';
import { mapFrames } from './fragments';
import type { ByteSource } from './source';
import type { FrameLocation, PixelDataInfo } from './types';
import { elementValues } from './values';

const Tags = {
  SamplesPerPixel: 0x00280002, // (0028,0002)
  PhotometricInterpretation: 0x00280004, // (0028,0004)
  PlanarConfiguration: 0x00280006, // (0028,0006)
  NumberOfFrames: 0x00280008, // (0028,0008)
  Rows: 0x00280010, // (0028,0010)
  Columns: 0x00280011, // (0028,0011)
  BitsAllocated: 0x00280100, // (0028,0100)
  BitsStored: 0x00280101, // (0028,0101)
  HighBit: 0x00280102, // (0028,0102)
  PixelRepresentation: 0x00280103, // (0028,0103)
  ExtendedOffsetTable: 0x7fe00001, // (7FE0,0001)
} as const;

/** First value of a numeric or text attribute of the top-level data set. */
export function firstValue(dataSet: DataSet, tag: number): number | string | null {
  const element = dataSet.get(tag);
  if (!element) return null;
  const value = elementValues(element, [])?.[0];
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

function numberOf(dataSet: DataSet, tag: number, fallback: number): number {
  const value = firstValue(dataSet, tag);
  return typeof value === 'number' ? value : fallback;
}

interface FrameCount {
  count: number;
  /** NumberOfFrames was present but not a number; the count must come from the data. */
  invalid: boolean;
}

function frameCount(dataSet: DataSet): FrameCount {
  const element = dataSet.get(Tags.NumberOfFrames);
  if (!element?.bytes || element.bytes.length === 0) return { count: 1, invalid: false };
  const value = firstValue(dataSet, Tags.NumberOfFrames);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) {
    return { count: value, invalid: false };
  }
  return { count: 1, invalid: true };
}

/** PS3.3 §C.7.6.3.1.8: 64-bit offsets of each frame's first fragment. */
async function readExtendedOffsets(src: ByteSource, dataSet: DataSet): Promise<number[] | null> {
  const element = dataSet.get(Tags.ExtendedOffsetTable);
  if (!element || element.length <= 0) return null;
  const bytes = element.bytes ?? (await src.read(element.offset, element.length));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = Math.floor(bytes.length / 8);
  return Array.from({ length: count }, (_, i) => Number(view.getBigUint64(i * 8, true)));
}

/**
 * PS3.5 §8.1.1: native frames follow each other without padding. With one bit per sample the
 * frames are packed bit after bit, so a frame may start inside a byte (`bitOffset`).
 */
function nativeFrames(
  info: PixelDataInfo,
  frames: FrameCount,
  warnings: string[],
): FrameLocation[] {
  const { rows, columns, samplesPerPixel, bitsAllocated, valueOffset, valueLength } = info;
  const frameBits = rows * columns * samplesPerPixel * bitsAllocated;
  if (frameBits === 0) {
    warnings.push('pixel data present but Rows, Columns or Bits Allocated missing or zero');
    return [];
  }

  let count = frames.count;
  if (frames.invalid) {
    count = Math.max(1, Math.floor((valueLength * 8) / frameBits));
    warnings.push(`${describeTag(Tags.NumberOfFrames)} is not a valid IS; ${count} frames by size`);
  }
  info.numberOfFrames = count;

  const expected = Math.ceil((count * frameBits) / 8);
  if (valueLength < expected) {
    throw new AppError(
      'TRUNCATED',
      `${describeTag(TAG.PixelData)} is shorter than Rows x Columns x Samples x Bits x Frames ` +
        `declare: ${expected} bytes expected, ${valueLength} present`,
    );
  }

  return Array.from({ length: count }, (_, i) => {
    const firstBit = i * frameBits;
    const start = Math.floor(firstBit / 8);
    const end = Math.ceil((firstBit + frameBits) / 8);
    const frame: FrameLocation = { ranges: [[valueOffset + start, end - start]] };
    if (firstBit % 8 !== 0) frame.bitOffset = firstBit % 8;
    return frame;
  });
}

/** Describes the top-level Pixel Data, or returns null when the instance has none. */
export async function describePixelData(
  src: ByteSource,
  dataSet: DataSet,
  options: { deflated: boolean },
): Promise<{ pixelData: PixelDataInfo | null; warnings: string[] }> {
  const element = dataSet.get(TAG.PixelData);
  if (!element) return { pixelData: null, warnings: [] };

  const warnings: string[] = [];
  const frames = frameCount(dataSet);
  const info: PixelDataInfo = {
    valueOffset: element.offset,
    valueLength: element.length,
    encapsulated: element.encapsulated !== undefined,
    frames: [],
    rows: numberOf(dataSet, Tags.Rows, 0),
    columns: numberOf(dataSet, Tags.Columns, 0),
    numberOfFrames: frames.count,
    samplesPerPixel: numberOf(dataSet, Tags.SamplesPerPixel, 1),
    photometricInterpretation: String(firstValue(dataSet, Tags.PhotometricInterpretation) ?? ''),
    bitsAllocated: numberOf(dataSet, Tags.BitsAllocated, 0),
    bitsStored: numberOf(dataSet, Tags.BitsStored, 0),
    highBit: numberOf(dataSet, Tags.HighBit, 0),
    pixelRepresentation: numberOf(dataSet, Tags.PixelRepresentation, 0),
    planarConfiguration: numberOf(dataSet, Tags.PlanarConfiguration, 0),
  };

  if (options.deflated) {
    // Limitation: frames of deflated files are found by inflating the whole data set again.
    info.deflated = true;
    return { pixelData: info, warnings };
  }

  if (element.encapsulated) {
    if (frames.invalid) warnings.push(`${describeTag(Tags.NumberOfFrames)} is not a valid IS`);
    const offsets = await readExtendedOffsets(src, dataSet);
    const mapping = await mapFrames(src, element.encapsulated, frames.count, offsets);
    info.frames = mapping.frames;
    warnings.push(...mapping.warnings);
    if (element.encapsulated.missingDelimiter) {
      warnings.push('encapsulated pixel data ends without its Sequence Delimitation Item');
    }
  } else {
    info.frames = nativeFrames(info, frames, warnings);
  }
  return { pixelData: info, warnings };
}
