/**
 * The DICOM JSON model (PS3.18 Annex F) of a parsed data set, minus File Meta Information and
 * group lengths. Small binary values are inlined; large ones, and Pixel Data always, get a
 * BulkDataURI relative to the instance ("bulkdata/GGGGEEEE"; inside sequences
 * "bulkdata/SSSSSSSS/ITEM/GGGGEEEE", ITEM counted from 0) that the HTTP layer makes absolute,
 * and their byte ranges are listed so that the bulk data can be served without re-parsing.
 */
import { TAG, type DataElement, type DataSet } from './dataset';
import { tagHex } from './dictionary';
import type { DicomJson, DicomJsonAttribute } from './types';
import { elementValues, littleEndianBytes, stringValues } from './values';
import { BINARY_VRS } from './vr';

const SpecificCharacterSet = 0x00080005; // (0008,0005)

export interface BulkElement {
  tagPath: string;
  offset: number;
  length: number;
  /** Offset and length count bytes of the inflated data set, not of the stored file. */
  inflated?: boolean;
}

export interface JsonOptions {
  /** The data set was inflated from a Deflated transfer syntax (offsets are not file offsets). */
  inflated?: boolean;
}

interface Build {
  bulkElements: BulkElement[];
  inflated: boolean;
}

/** PS3.5 §6.1.2.3 / PS3.3 §C.12.1.1.2: an item's own (0008,0005) replaces the inherited one. */
export function characterSetOf(dataSet: DataSet, inherited: string[]): string[] {
  const element = dataSet.get(SpecificCharacterSet);
  if (!element) return inherited;
  return stringValues(element, []);
}

/**
 * Byte range of a value in the source. An encapsulated value spans its items up to, not
 * including, the Sequence Delimitation Item, which is what toolkits return as its value.
 */
function valueRange(element: DataElement): [number, number] {
  if (element.encapsulated) {
    return [element.offset, element.encapsulated.end - 8 - element.offset];
  }
  return [element.offset, element.length];
}

function bulk(element: DataElement, path: string, build: Build): DicomJsonAttribute {
  const [offset, length] = valueRange(element);
  const entry: BulkElement = { tagPath: path, offset, length };
  if (build.inflated) entry.inflated = true;
  build.bulkElements.push(entry);
  return { vr: element.vr, BulkDataURI: `bulkdata/${path}` };
}

function attribute(
  element: DataElement,
  path: string,
  charset: string[],
  build: Build,
  topLevel: boolean,
): DicomJsonAttribute {
  const { vr } = element;

  if (element.items) {
    if (element.items.length === 0) return { vr };
    const Value = element.items.map((item, i) =>
      toJson(item, characterSetOf(item, charset), `${path}/${i}`, build),
    );
    return { vr, Value };
  }
  if (topLevel && element.tag === TAG.PixelData) return bulk(element, path, build);
  if (element.length === 0) return { vr };
  if (!element.bytes) return bulk(element, path, build);

  if (BINARY_VRS.has(vr)) {
    return { vr, InlineBinary: Buffer.from(littleEndianBytes(element)).toString('base64') };
  }
  const Value = elementValues(element, charset);
  return Value ? { vr, Value } : { vr };
}

function toJson(dataSet: DataSet, charset: string[], prefix: string, build: Build): DicomJson {
  const out: DicomJson = {};
  const topLevel = prefix === '';
  const tags = [...dataSet.keys()].sort((a, b) => a - b);

  for (const tag of tags) {
    // File Meta (group 0002) is not part of the data set; group lengths are retired (PS3.5 §7.2).
    if (tag >>> 16 === 0x0002 || (tag & 0xffff) === 0) continue;
    const key = tagHex(tag);
    const path = topLevel ? key : `${prefix}/${key}`;
    out[key] = attribute(dataSet.get(tag)!, path, charset, build, topLevel);
  }
  return out;
}

/** DICOM JSON of a top-level data set, with the bulk data it refers to. */
export function buildMetadata(
  dataSet: DataSet,
  options: JsonOptions = {},
): { metadata: DicomJson; bulkElements: BulkElement[] } {
  const build: Build = { bulkElements: [], inflated: options.inflated ?? false };
  const metadata = toJson(dataSet, characterSetOf(dataSet, []), '', build);
  return { metadata, bulkElements: build.bulkElements };
}
