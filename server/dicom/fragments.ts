/**
 * Encapsulated Pixel Data (PS3.5 §A.4): the fragment item headers are walked with small
 * positioned reads, and fragments are grouped into frames without reading their contents,
 * except the first bytes of a fragment when start-of-codestream markers are the only guide.
 * dicom-parser's own fragment walk (findEndOfEncapsulatedElement) needs the whole value in
 * memory, which a 500 MB volume must not cost; the data set around it is dicom-parser's.
 */
import { AppError } from '../errors';
import type { FrameLocation } from './types';
import { truncatedError, type ByteSource } from './source';

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/** Only the 8-byte item headers are wanted when hopping between fragments. */
const HEADER_READ_AHEAD = 64;

export interface Fragment {
  /** Offset of the fragment's Item tag in the source. */
  itemOffset: number;
  /** Offset of the fragment's first byte (itemOffset + 8). */
  offset: number;
  length: number;
}

export interface FragmentList {
  /** The Basic Offset Table item's value: offset and length (length 0 when empty). */
  basicOffsetTable: { offset: number; length: number };
  fragments: Fragment[];
  /** Offset just past the Sequence Delimitation Item (or the end of file when it is missing). */
  end: number;
  /** The file ended after a whole fragment with no Sequence Delimitation Item. */
  missingDelimiter?: boolean;
}

async function readItemHeader(
  src: ByteSource,
  at: number,
  fragmentsSoFar: number,
): Promise<{ tag: number; length: number }> {
  if (at + 8 > src.size) {
    throw new AppError(
      'TRUNCATED',
      `Encapsulated pixel data ends without a Sequence Delimitation Item (FFFE,E0DD) after ` +
        `${fragmentsSoFar} fragments: file ends at byte ${src.size}`,
    );
  }
  const bytes = await src.read(at, 8, HEADER_READ_AHEAD);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const tag = ((view.getUint16(0, true) << 16) | view.getUint16(2, true)) >>> 0;
  return { tag, length: view.getUint32(4, true) };
}

/**
 * Walks the items of an undefined-length Pixel Data value starting at `valueOffset`.
 * PS3.5 §A.4: the first item is the Basic Offset Table; each later item is one fragment; a
 * Sequence Delimitation Item ends the value. Encapsulated syntaxes are all little endian.
 */
export async function walkFragments(src: ByteSource, valueOffset: number): Promise<FragmentList> {
  const fragments: Fragment[] = [];
  let basicOffsetTable: FragmentList['basicOffsetTable'] | null = null;
  let at = valueOffset;

  for (;;) {
    // Some writers end the file right after the last fragment, without the Sequence
    // Delimitation Item. Every fragment is whole, so the instance is kept (with a warning);
    // a file that ends inside an item header or a fragment is still truncated.
    if (at === src.size && fragments.length > 0) {
      return {
        basicOffsetTable: basicOffsetTable ?? { offset: at, length: 0 },
        fragments,
        end: at,
        missingDelimiter: true,
      };
    }
    const { tag, length } = await readItemHeader(src, at, fragments.length);
    if (tag === SEQUENCE_DELIMITER) {
      return {
        basicOffsetTable: basicOffsetTable ?? { offset: at, length: 0 },
        fragments,
        end: at + 8,
      };
    }
    if (tag !== ITEM || length === 0xffffffff) {
      throw new AppError(
        'NOT_DICOM',
        `Encapsulated pixel data: expected a fragment Item (FFFE,E000) at byte ${at}`,
      );
    }
    if (at + 8 + length > src.size) {
      throw truncatedError(
        `pixel data fragment ${fragments.length + 1}`,
        length,
        src.size - at - 8,
      );
    }

    if (basicOffsetTable === null) basicOffsetTable = { offset: at + 8, length };
    else fragments.push({ itemOffset: at, offset: at + 8, length });
    at += 8 + length;
  }
}

function toFrame(group: Fragment[]): FrameLocation {
  return { ranges: group.map((f): [number, number] => [f.offset, f.length]) };
}

/**
 * Groups fragments by offsets of their Item tags, measured from the first fragment's Item tag
 * (PS3.5 §A.4 for the Basic Offset Table, PS3.3 §C.7.6.3.1.8 for the Extended Offset Table).
 * Returns null when an offset does not land on a fragment or offsets are not increasing.
 */
export function groupByOffsets(fragments: Fragment[], offsets: number[]): FrameLocation[] | null {
  if (fragments.length === 0 || offsets.length === 0) return null;
  const base = fragments[0].itemOffset;
  const indexByOffset = new Map(fragments.map((f, i) => [f.itemOffset - base, i]));

  const starts: number[] = [];
  for (const offset of offsets) {
    const index = indexByOffset.get(offset);
    if (index === undefined) return null;
    if (starts.length > 0 && index <= starts[starts.length - 1]) return null;
    starts.push(index);
  }
  if (starts[0] !== 0) return null;

  return starts.map((start, i) =>
    toFrame(fragments.slice(start, starts[i + 1] ?? fragments.length)),
  );
}

/** JPEG SOI (FFD8, also JPEG-LS), J2K/HTJ2K SOC (FF4F), or a JP2 signature box. */
function startsCodestream(head: Uint8Array): boolean {
  if (head[0] === 0xff && (head[1] === 0xd8 || head[1] === 0x4f)) return true;
  return head[4] === 0x6a && head[5] === 0x50 && head[6] === 0x20 && head[7] === 0x20;
}

/**
 * Without any offset table and with more fragments than frames, a frame starts at each fragment
 * that opens with a start-of-codestream marker. Only 8 bytes of each fragment are read.
 */
async function groupByMarkers(
  src: ByteSource,
  fragments: Fragment[],
  numberOfFrames: number,
): Promise<FrameLocation[] | null> {
  const groups: Fragment[][] = [];
  for (const fragment of fragments) {
    const head = await src.read(fragment.offset, Math.min(8, fragment.length), HEADER_READ_AHEAD);
    if (groups.length === 0 || startsCodestream(head)) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  return groups.length === numberOfFrames ? groups.map(toFrame) : null;
}

async function readBasicOffsets(src: ByteSource, list: FragmentList): Promise<number[]> {
  const { offset, length } = list.basicOffsetTable;
  if (length === 0) return [];
  const bytes = await src.read(offset, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  return Array.from({ length: Math.floor(length / 4) }, (_, i) => view.getUint32(i * 4, true));
}

export interface FrameMapping {
  frames: FrameLocation[];
  warnings: string[];
}

/**
 * PS3.5 §A.4 leaves four ways to find frames, tried from the most to the least explicit:
 * Extended Offset Table, Basic Offset Table, one fragment per frame, and (single frame) all
 * fragments; a multi-frame object with neither table is split on codestream markers.
 */
export async function mapFrames(
  src: ByteSource,
  list: FragmentList,
  numberOfFrames: number,
  extendedOffsets: number[] | null,
): Promise<FrameMapping> {
  const warnings: string[] = [];
  const { fragments } = list;
  if (fragments.length === 0) return { frames: [], warnings: ['pixel data has no fragments'] };

  if (extendedOffsets && extendedOffsets.length > 0) {
    const frames = groupByOffsets(fragments, extendedOffsets);
    if (frames && frames.length === numberOfFrames) return { frames, warnings };
    warnings.push('Extended Offset Table (7FE0,0001) does not match the fragments; ignored');
  }

  const basicOffsets = await readBasicOffsets(src, list);
  if (basicOffsets.length > 0) {
    const frames = groupByOffsets(fragments, basicOffsets);
    if (frames && frames.length === numberOfFrames) return { frames, warnings };
    warnings.push('Basic Offset Table does not match the fragments or frame count; ignored');
  }

  if (fragments.length === numberOfFrames)
    return { frames: fragments.map((f) => toFrame([f])), warnings };
  if (numberOfFrames === 1) return { frames: [toFrame(fragments)], warnings };

  if (fragments.length > numberOfFrames) {
    const frames = await groupByMarkers(src, fragments, numberOfFrames);
    if (frames) return { frames, warnings };
  }
  warnings.push(
    `cannot map ${fragments.length} pixel data fragments to ${numberOfFrames} frames ` +
      'without an offset table',
  );
  return { frames: [], warnings };
}
