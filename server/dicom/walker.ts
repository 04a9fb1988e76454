/**
 * Walks a DICOM data set (PS3.5 §7) element by element over a ByteSource and returns a tree of
 * elements with their byte positions. Small values are read; large binary values and pixel
 * fragments are only located, so memory stays bounded whatever the file size.
 *
 * This is written here rather than taken from dicom-parser because ingest needs three things
 * that library does not give together: values that are skipped without being read, an exact
 * account of where a short file ends (for TRUNCATED), and the PS3.5 rules for UN (an undefined
 * length UN is an Implicit VR sequence; a UN of a standard attribute takes the dictionary VR).
 */
import { AppError } from '../errors';
import { describeTag, dictionaryVR, hasStandardVR } from './dictionary';
import { walkFragments, type FragmentList } from './fragments';
import { truncatedError, type ByteSource } from './source';
import { BINARY_VRS, KNOWN_VRS, LONG_HEADER_VRS, isVRLike } from './vr';

export const UNDEFINED_LENGTH = 0xffffffff;
export const TAG = {
  Item: 0xfffee000,
  ItemDelimitationItem: 0xfffee00d,
  SequenceDelimitationItem: 0xfffee0dd,
  DataSetTrailingPadding: 0xfffcfffc,
  PixelRepresentation: 0x00280103,
  PixelData: 0x7fe00010,
} as const;

export interface Syntax {
  littleEndian: boolean;
  explicitVR: boolean;
}

export interface DataElement {
  tag: number;
  vr: string;
  /** Offset of the value's first byte in the source. */
  offset: number;
  /** Value length in bytes; -1 when the value had undefined length. */
  length: number;
  /** Byte order of the value: as the transfer syntax, except UN contents (always little). */
  littleEndian: boolean;
  /** The value, when small enough to keep (see `shouldLoad`); absent for bulk values. */
  bytes?: Uint8Array;
  items?: DataSet[];
  /** Items of an encapsulated (undefined length) binary value such as Pixel Data. */
  encapsulated?: FragmentList;
}

/** Elements of one data set or item, in file order, by tag. */
export type DataSet = Map<number, DataElement>;

/** Binary values up to this size go inline in DICOM JSON (and so are read here). */
export const INLINE_BINARY_MAX = 256;
/** Text and numeric values past this size are served as bulk data instead of in metadata. */
export const INLINE_VALUE_MAX = 64 * 1024;
/** Deeper nesting than this is taken as a malformed or hostile file. */
const MAX_DEPTH = 64;

export function shouldLoad(vr: string, length: number): boolean {
  return length <= (BINARY_VRS.has(vr) ? INLINE_BINARY_MAX : INLINE_VALUE_MAX);
}

interface Walk {
  src: ByteSource;
  /** Top-level tags before which the walk stops (end of File Meta, or Pixel Data). */
  stopBefore?: (tag: number) => boolean;
  /** Pixel Representation of the top-level data set, to resolve "US or SS" in Implicit VR. */
  pixelRepresentation: number;
  warnings: Set<string>;
}

interface Header {
  tag: number;
  vr: string;
  length: number;
  headerLength: number;
  /** The value is encoded as Implicit VR Little Endian whatever the transfer syntax says. */
  implicitContent: boolean;
}

const IMPLICIT_LE: Syntax = { littleEndian: true, explicitVR: false };

function readTag(view: DataView, littleEndian: boolean): number {
  return ((view.getUint16(0, littleEndian) << 16) | view.getUint16(2, littleEndian)) >>> 0;
}

async function readHeader(walk: Walk, at: number, syntax: Syntax): Promise<Header> {
  const { src } = walk;
  if (at + 8 > src.size) throw truncatedError(`an element header at byte ${at}`, 8, src.size - at);
  const head = await src.read(at, 8);
  const view = new DataView(head.buffer, head.byteOffset, 8);
  const tag = readTag(view, syntax.littleEndian);

  // Items and delimiters have no VR in any transfer syntax (PS3.5 §7.5).
  const isDelimiter = tag >>> 16 === 0xfffe;
  if (isDelimiter || !syntax.explicitVR || !isVRLike(head[4], head[5])) {
    const length = view.getUint32(4, syntax.littleEndian);
    const vr = isDelimiter ? 'na' : dictionaryVR(tag, walk.pixelRepresentation);
    if (!isDelimiter && syntax.explicitVR) {
      walk.warnings.add(`${describeTag(tag)} has no explicit VR; read as Implicit VR`);
    }
    return resolveUN({ tag, vr, length, headerLength: 8, implicitContent: false }, walk);
  }

  const vr = String.fromCharCode(head[4], head[5]);
  if (!LONG_HEADER_VRS.has(vr) && KNOWN_VRS.has(vr)) {
    return {
      tag,
      vr,
      length: view.getUint16(6, syntax.littleEndian),
      headerLength: 8,
      implicitContent: false,
    };
  }

  // PS3.5 §7.1.2: VRs with a 32-bit length, and any VR this table does not know yet.
  if (at + 12 > src.size) {
    throw truncatedError(`the header of ${describeTag(tag)}`, 12, src.size - at);
  }
  const more = await src.read(at + 8, 4);
  const length = new DataView(more.buffer, more.byteOffset, 4).getUint32(0, syntax.littleEndian);
  if (!KNOWN_VRS.has(vr)) {
    walk.warnings.add(`${describeTag(tag)} has unknown VR "${vr}"; kept as UN`);
    return { tag, vr: 'UN', length, headerLength: 12, implicitContent: false };
  }
  return resolveUN({ tag, vr, length, headerLength: 12, implicitContent: false }, walk);
}

/**
 * PS3.5 §6.2.2: a UN of undefined length is a sequence in Implicit VR Little Endian; a UN of a
 * standard attribute (left behind by a system that did not know it) is read with the
 * dictionary VR, its bytes being those of Implicit VR Little Endian.
 */
function resolveUN(header: Header, walk: Walk): Header {
  if (header.vr !== 'UN' || header.tag === TAG.PixelData) return header;
  if (header.length === UNDEFINED_LENGTH) return { ...header, vr: 'SQ', implicitContent: true };
  if (!hasStandardVR(header.tag)) return header;
  return {
    ...header,
    vr: dictionaryVR(header.tag, walk.pixelRepresentation),
    implicitContent: true,
  };
}

async function readSequence(
  walk: Walk,
  header: Header,
  valueOffset: number,
  syntax: Syntax,
  depth: number,
): Promise<{ items: DataSet[]; end: number }> {
  const items: DataSet[] = [];
  const defined = header.length !== UNDEFINED_LENGTH;
  const limit = defined ? valueOffset + header.length : walk.src.size;
  let at = valueOffset;

  while (!defined || at < limit) {
    if (!defined && at + 8 > walk.src.size) {
      throw new AppError(
        'TRUNCATED',
        `File ends inside ${describeTag(header.tag)} before its Sequence Delimitation Item`,
      );
    }
    const item = await readHeader(walk, at, { ...syntax, explicitVR: false });
    // A delimiter inside a defined-length sequence is a writer's slip; the length decides.
    if (item.tag === TAG.SequenceDelimitationItem) return { items, end: defined ? limit : at + 8 };
    if (item.tag !== TAG.Item) {
      throw new AppError('NOT_DICOM', `${describeTag(header.tag)}: expected an Item at byte ${at}`);
    }

    const itemEnd = item.length === UNDEFINED_LENGTH ? -1 : at + 8 + item.length;
    const result = await readDataSet(walk, at + 8, itemEnd, syntax, depth + 1);
    items.push(result.dataSet);
    at = result.end;
  }
  if (at > limit) {
    throw new AppError('NOT_DICOM', `${describeTag(header.tag)}: items run past its length`);
  }
  return { items, end: limit };
}

async function readValue(
  walk: Walk,
  header: Header,
  valueOffset: number,
  syntax: Syntax,
  limit: number,
  depth: number,
): Promise<{ element: DataElement; end: number }> {
  const base = { tag: header.tag, vr: header.vr, offset: valueOffset };
  const contentSyntax = header.implicitContent ? IMPLICIT_LE : syntax;
  const littleEndian = contentSyntax.littleEndian;

  if (header.vr === 'SQ') {
    const { items, end } = await readSequence(walk, header, valueOffset, contentSyntax, depth);
    return { element: { ...base, length: -1, littleEndian, items }, end };
  }

  if (header.length === UNDEFINED_LENGTH) {
    const list = await walkFragments(walk.src, valueOffset);
    return { element: { ...base, length: -1, littleEndian, encapsulated: list }, end: list.end };
  }

  const end = valueOffset + header.length;
  if (end > walk.src.size) {
    throw truncatedError(describeTag(header.tag), header.length, walk.src.size - valueOffset);
  }
  if (end > limit) {
    throw new AppError('NOT_DICOM', `${describeTag(header.tag)} runs past the end of its item`);
  }
  const element: DataElement = { ...base, length: header.length, littleEndian };
  if (shouldLoad(header.vr, header.length)) {
    element.bytes = await walk.src.read(valueOffset, header.length);
  }
  return { element, end };
}

/**
 * Reads elements from `start` until `end` (a defined-length item or the whole source), or until
 * an Item Delimitation Item when `end` is -1 (undefined-length item).
 */
async function readDataSet(
  walk: Walk,
  start: number,
  end: number,
  syntax: Syntax,
  depth = 0,
): Promise<{ dataSet: DataSet; end: number }> {
  if (depth > MAX_DEPTH) {
    throw new AppError('NOT_DICOM', `Sequences nested deeper than ${MAX_DEPTH}`);
  }
  const dataSet: DataSet = new Map();
  const limit = end === -1 ? walk.src.size : end;
  let at = start;

  while (at < limit) {
    if (depth === 0 && walk.stopBefore && at + 4 <= walk.src.size) {
      const head = await walk.src.read(at, 4);
      const tag = readTag(new DataView(head.buffer, head.byteOffset, 4), syntax.littleEndian);
      if (walk.stopBefore(tag)) return { dataSet, end: at };
    }
    const header = await readHeader(walk, at, syntax);
    if (header.tag === TAG.ItemDelimitationItem) return { dataSet, end: at + 8 };
    if (header.tag === TAG.SequenceDelimitationItem) {
      walk.warnings.add(`stray Sequence Delimitation Item at byte ${at}; skipped`);
      at += 8;
      continue;
    }

    const valueOffset = at + header.headerLength;
    const { element, end: next } = await readValue(walk, header, valueOffset, syntax, limit, depth);
    if (depth === 0 && element.tag === TAG.PixelRepresentation && element.bytes?.length === 2) {
      const { bytes } = element;
      walk.pixelRepresentation = element.littleEndian
        ? bytes[0] | (bytes[1] << 8)
        : (bytes[0] << 8) | bytes[1];
    }
    if (element.tag !== TAG.DataSetTrailingPadding) dataSet.set(element.tag, element);
    at = next;
  }

  if (end === -1) {
    throw new AppError('TRUNCATED', `File ends inside an item before its Item Delimitation Item`);
  }
  return { dataSet, end: at };
}

export interface WalkResult {
  dataSet: DataSet;
  /** Offset where the walk ended: the end of the source, or the tag it stopped before. */
  end: number;
  warnings: string[];
}

/**
 * Walks the data set that starts at `start` in `src`, to the end of the source or up to the
 * first top-level element for which `stopBefore` says so.
 */
export async function walkDataSet(
  src: ByteSource,
  start: number,
  syntax: Syntax,
  stopBefore?: (tag: number) => boolean,
): Promise<WalkResult> {
  const walk: Walk = { src, stopBefore, pixelRepresentation: 0, warnings: new Set() };
  const { dataSet, end } = await readDataSet(walk, start, src.size, syntax);
  return { dataSet, end, warnings: [...walk.warnings] };
}
