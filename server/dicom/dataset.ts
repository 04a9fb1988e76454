/**
 * The data set as the rest of this module reads it: elements by tag with their byte positions
 * in the stored file, small values loaded, sequences as item data sets, encapsulated values as
 * fragment lists. It is made from dicom-parser's element tree (parser.ts), adding what that
 * tree leaves out: PS3.5 §6.2.2's rules for UN, VR-less private elements of Implicit VR, file
 * offsets, and a TRUNCATED error for sequences and items the file ends inside.
 */
import { AppError } from '../errors';
import { describeTag, dictionaryVR, hasStandardVR } from './dictionary';
import { walkFragments, type FragmentList } from './fragments';
import {
  parseImplicitItems,
  tagNumber,
  type ParsedDataSet,
  type ParsedElement,
  type VRLookup,
} from './parser';
import { truncatedError, type ByteSource } from './source';
import { BINARY_VRS, KNOWN_VRS } from './vr';

export const TAG = {
  SequenceDelimitationItem: 0xfffee0dd,
  DataSetTrailingPadding: 0xfffcfffc,
  PixelData: 0x7fe00010,
} as const;

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

/** Binary values up to this size go inline in DICOM JSON (and so are kept here). */
const INLINE_BINARY_MAX = 256;
/** Text and numeric values past this size are served as bulk data instead of in metadata. */
const INLINE_VALUE_MAX = 64 * 1024;
/** Deeper nesting than this is taken as a malformed or hostile file. */
const MAX_DEPTH = 64;

function shouldLoad(vr: string, length: number): boolean {
  return length <= (BINARY_VRS.has(vr) ? INLINE_BINARY_MAX : INLINE_VALUE_MAX);
}

export interface ElementContext {
  /** The bytes dicom-parser read; they run to the end of `src` unless parsing stopped early. */
  bytes: Uint8Array;
  /** Offset in `src` of `bytes[0]`. */
  base: number;
  /** The stored file (or inflated data set): fragments and values outside `bytes` are read here. */
  src: ByteSource;
  littleEndian: boolean;
  /** Implicit VR Little Endian dictionary, for UN contents. */
  vr: VRLookup;
  /** Top-level Pixel Representation, for "US or SS" attributes encoded as UN. */
  pixelRepresentation: number;
  warnings: Set<string>;
}

/** PS3.5 §7.5.1-7.5.2: without its delimiter, an undefined-length value ran into the end. */
function checkDelimited(
  element: ParsedElement,
  tag: number,
  items: ParsedElement[],
  ctx: ElementContext,
): void {
  if (element.hadUndefinedLength && element.dataOffset + element.length + 8 > ctx.bytes.length) {
    throw new AppError(
      'TRUNCATED',
      `File ends inside ${describeTag(tag)} before its Sequence Delimitation Item`,
    );
  }
  for (const item of items) {
    if (item.hadUndefinedLength && !item.dataSet?.elements.xfffee00d) {
      throw new AppError('TRUNCATED', 'File ends inside an item before its Item Delimitation Item');
    }
  }
}

interface Resolved {
  vr: string;
  littleEndian: boolean;
  /** Items, for a sequence; null when a UN value could not be read as one. */
  items?: ParsedElement[] | null;
}

/**
 * PS3.5 §6.2.2: a UN of undefined length is a sequence in Implicit VR Little Endian; a UN of a
 * standard attribute (left behind by a system that did not know it) takes the dictionary VR,
 * its bytes being those of Implicit VR Little Endian. dicom-parser keeps UN as written, reads
 * undefined-length UN items without a dictionary, and drops the items of private sequences in
 * Implicit VR, so such values are read again here with dicom-parser's implicit item reader.
 */
function resolveVR(element: ParsedElement, tag: number, ctx: ElementContext): Resolved {
  // Implicit VR: no VR means private or unknown; items mean dicom-parser found a sequence.
  const vr = element.vr ?? (element.items ? 'SQ' : 'UN');
  if (!KNOWN_VRS.has(vr)) {
    ctx.warnings.add(`${describeTag(tag)} has unknown VR "${vr}"; kept as UN`);
    return { vr: 'UN', littleEndian: ctx.littleEndian };
  }
  if (vr !== 'UN' || tag === TAG.PixelData) return { vr, littleEndian: ctx.littleEndian };

  const read = (undefinedLength: boolean) =>
    parseImplicitItems(ctx.bytes, element.dataOffset, element.length, undefinedLength, ctx.vr);
  if (element.hadUndefinedLength) return { vr: 'SQ', littleEndian: true, items: read(true) };
  if (!hasStandardVR(tag)) return { vr, littleEndian: ctx.littleEndian };

  const standard = dictionaryVR(tag, ctx.pixelRepresentation);
  if (standard !== 'SQ') return { vr: standard, littleEndian: true };
  const items = read(false);
  if (items) return { vr: standard, littleEndian: true, items };
  ctx.warnings.add(`${describeTag(tag)} is UN and cannot be read as a sequence; kept as UN`);
  return { vr, littleEndian: ctx.littleEndian };
}

async function toElement(
  element: ParsedElement,
  tag: number,
  ctx: ElementContext,
  depth: number,
): Promise<DataElement> {
  const resolved = resolveVR(element, tag, ctx);
  const { vr, littleEndian } = resolved;
  const offset = ctx.base + element.dataOffset;

  if (vr === 'SQ') {
    if (resolved.items === null) {
      throw new AppError('NOT_DICOM', `${describeTag(tag)}: items cannot be read`);
    }
    const parsedItems = resolved.items ?? element.items ?? [];
    checkDelimited(element, tag, parsedItems, ctx);

    const itemContext = { ...ctx, littleEndian };
    const items: DataSet[] = [];
    for (const item of parsedItems) {
      items.push(await toDataSet(item.dataSet!, itemContext, depth + 1));
    }
    return { tag, vr, offset, length: -1, littleEndian, items };
  }

  if (element.hadUndefinedLength) {
    const encapsulated = await walkFragments(ctx.src, offset);
    return { tag, vr, offset, length: -1, littleEndian, encapsulated };
  }

  const { length } = element;
  if (offset + length > ctx.src.size) {
    throw truncatedError(describeTag(tag), length, ctx.src.size - offset);
  }
  const result: DataElement = { tag, vr, offset, length, littleEndian };
  if (shouldLoad(vr, length)) {
    const end = element.dataOffset + length;
    result.bytes =
      end <= ctx.bytes.length
        ? ctx.bytes.subarray(element.dataOffset, end)
        : await ctx.src.read(offset, length);
  }
  return result;
}

/** Our DataSet of one dicom-parser data set (top level or item), in file order. */
export async function toDataSet(
  parsed: ParsedDataSet,
  ctx: ElementContext,
  depth = 0,
): Promise<DataSet> {
  if (depth > MAX_DEPTH) {
    throw new AppError('NOT_DICOM', `Sequences nested deeper than ${MAX_DEPTH}`);
  }
  const dataSet: DataSet = new Map();

  for (const element of Object.values(parsed.elements)) {
    const tag = tagNumber(element.tag);
    if (tag === TAG.SequenceDelimitationItem) {
      const at = ctx.base + element.dataOffset - 8;
      ctx.warnings.add(`stray Sequence Delimitation Item at byte ${at}; skipped`);
      continue;
    }
    // dicom-parser keeps each item's Item Delimitation Item among the item's elements.
    if (tag >>> 16 === 0xfffe || tag === TAG.DataSetTrailingPadding) continue;
    dataSet.set(tag, await toElement(element, tag, ctx, depth));
  }
  return dataSet;
}

/**
 * The data dictionary as dicom-parser's `vrCallback` for Implicit VR. Private and unknown tags
 * get no VR, so that dicom-parser looks at the value for items to tell a sequence.
 */
export function implicitVRs(pixelRepresentation: number): VRLookup {
  return (tag) => {
    const vr = dictionaryVR(tagNumber(tag), pixelRepresentation);
    return vr === 'UN' ? undefined : vr;
  };
}

/** Pixel Representation (0028,0103) of a top-level data set, 0 when absent. */
export function pixelRepresentationOf(parsed: ParsedDataSet): number {
  const element = parsed.elements.x00280103; // (0028,0103)
  if (!element || element.length !== 2 || element.hadUndefinedLength) return 0;
  return parsed.byteArrayParser.readUint16(parsed.byteArray, element.dataOffset);
}
