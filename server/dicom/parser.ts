/**
 * The one place that loads and calls dicom-parser (cornerstonejs/dicomParser 1.8.21), which reads
 * every element, sequence and item of a data set here. This file chooses the byte order and VR
 * mode, gives it the VR dictionary for Implicit VR, stops it where the caller asks, and sorts
 * its failures: dicom-parser throws plain strings, and a read past the end of the buffer (more
 * bytes needed, or a short file) has to be told apart from a malformed structure.
 *
 * parseDicom itself is readPart10Header plus parseDicomDataSetExplicit/Implicit. Their loop is
 * repeated here, around dicom-parser's own readDicomElementExplicit/Implicit, because ingest
 * needs three things parseDicom does not allow: the transfer syntax is ours to choose (sniffed
 * when (0002,0010) is missing or wrong), the File Meta group may lack the DICM prefix, and the
 * stream position is needed when parsing fails.
 */
import { createRequire } from 'node:module';

import type * as DicomParserModule from 'dicom-parser';

export type ParsedDataSet = DicomParserModule.DataSet;
export type ParsedElement = DicomParserModule.Element;
type ByteStream = DicomParserModule.ByteStream;

type DicomParser = typeof DicomParserModule & {
  // Exported at run time, missing from the package's type declarations.
  DataSet: new (
    parser: DicomParserModule.ByteArrayParser,
    bytes: Uint8Array,
    elements: Record<string, ParsedElement>,
  ) => ParsedDataSet;
};

// The package is UMD; Node's ESM loader sees no named exports in it, so it is required.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as DicomParser;

export interface Syntax {
  littleEndian: boolean;
  explicitVR: boolean;
}

/** VR of a tag ("xggggeeee") in Implicit VR; undefined lets dicom-parser look for items. */
export type VRLookup = (tag: string) => string | undefined;

/** The package declares a callback that always answers; its code also accepts undefined. */
type DeclaredVRCallback = (tag: string) => string;

export const UNDEFINED_LENGTH = 0xffffffff;

/** dicom-parser's tag strings: "x" and eight lower-case hex digits. */
export function tagString(tag: number): string {
  return `x${(tag >>> 0).toString(16).padStart(8, '0')}`;
}

export function tagNumber(tag: string): number {
  return parseInt(tag.slice(1), 16);
}

export type ParseResult =
  | {
      ok: true;
      dataSet: ParsedDataSet;
      /** Offset just past the last element read, or of `untilTag`'s value when reached. */
      position: number;
      /** `untilTag` was reached: its header is read, its value is not. */
      reachedUntil: boolean;
    }
  | {
      ok: false;
      /** The parse ran past the end of the bytes (as opposed to a malformed structure). */
      overread: boolean;
      /** The top-level elements read before the failure. */
      dataSet: ParsedDataSet;
      position: number;
      reason: string;
    };

/**
 * What dicom-parser 1.8.21 throws when it reads past the end of its buffer: its byte readers
 * ("attempt to read past end of buffer"), parseDicomDataSetExplicit's final check ("buffer
 * overrun") and an item longer than the bytes left ("invalid value for parameter 'maxPosition'",
 * spelled "maxP osition" in the explicit reader). Everything else it throws is a structure it
 * cannot read, such as an item tag missing where one must be.
 */
const OVERREAD = /past end of buffer|buffer overrun|buffer overread|maxP ?osition/;

/**
 * VRs added to PS3.5 in 2019 that dicom-parser 1.8.21 reads with a 16-bit length although Table
 * 7.1-1 gives them two reserved bytes and a 32-bit length (upstream issue #284, open). Extended
 * Offset Table (7FE0,0001) is OV, so this matters for large multi-frame objects. Limitation: the
 * correction is made at the top level only; inside a sequence item dicom-parser reads these VRs
 * on its own, loses its place, and the file is refused (usually as TRUNCATED).
 */
const LONG_LENGTH_VRS_MISREAD = new Set(['OV', 'SV', 'UV']);

export interface ParseOptions {
  /** Stop after reading this top-level element's header (dicom-parser's `untilTag`). */
  untilTag?: string;
  /** Stop before the first top-level element for which this holds (e.g. the end of group 0002). */
  stopBefore?: (tag: string) => boolean;
  /** Implicit VR: the VR of each tag; `parsed` is the top-level data set read so far. */
  vrOf?: (tag: string, parsed: ParsedDataSet) => string | undefined;
}

function newStream(bytes: Uint8Array, start: number, littleEndian: boolean): ByteStream {
  const parser = littleEndian
    ? dicomParser.littleEndianByteArrayParser
    : dicomParser.bigEndianByteArrayParser;
  return new dicomParser.ByteStream(parser, bytes, start);
}

/**
 * Top-level correction for LONG_LENGTH_VRS_MISREAD: dicom-parser took the two reserved bytes for
 * the length, so the 32-bit length follows them and the value starts four bytes later.
 */
function correctLongLength(stream: ByteStream, element: ParsedElement, until: boolean): void {
  const { byteArray, byteArrayParser } = stream;
  element.length = byteArrayParser.readUint32(byteArray, element.dataOffset);
  element.dataOffset += 4;
  stream.position = element.dataOffset + (until ? 0 : element.length);
}

/**
 * Reads the top-level elements of the data set that starts at `start` in `bytes`, to the end of
 * the bytes or until `options` says to stop. Never throws for what the bytes hold.
 */
export function parseElements(
  bytes: Uint8Array,
  start: number,
  syntax: Syntax,
  options: ParseOptions = {},
): ParseResult {
  const stream = start < bytes.length ? newStream(bytes, start, syntax.littleEndian) : null;
  const byteOrder = stream?.byteArrayParser ?? dicomParser.littleEndianByteArrayParser;
  const dataSet = new dicomParser.DataSet(byteOrder, bytes, {});
  // A ByteStream cannot start at the end of its bytes: this is a data set without elements.
  if (!stream) return { ok: true, dataSet, position: start, reachedUntil: false };
  dataSet.warnings = stream.warnings;

  const { untilTag, stopBefore, vrOf } = options;
  const vrCallback = vrOf && ((tag: string) => vrOf(tag, dataSet));
  try {
    while (stream.position < bytes.length) {
      if (stopBefore) {
        const next = dicomParser.readTag(stream);
        stream.seek(-4);
        if (stopBefore(next)) break;
      }
      const element = syntax.explicitVR
        ? dicomParser.readDicomElementExplicit(stream, dataSet.warnings, untilTag)
        : dicomParser.readDicomElementImplicit(stream, untilTag, vrCallback as DeclaredVRCallback);
      const until = element.tag === untilTag;
      if (syntax.explicitVR && LONG_LENGTH_VRS_MISREAD.has(element.vr ?? '')) {
        correctLongLength(stream, element, until);
      }
      dataSet.elements[element.tag] = element;
      if (until) return { ok: true, dataSet, position: stream.position, reachedUntil: true };
    }
  } catch (e) {
    const reason = String(e);
    const overread = OVERREAD.test(reason);
    return { ok: false, overread, dataSet, position: stream.position, reason };
  }

  // A value that runs past the end is skipped over, not read, and Implicit VR does not check.
  if (stream.position > bytes.length) {
    const reason = 'the last element runs past the end';
    return { ok: false, overread: true, dataSet, position: stream.position, reason };
  }
  return { ok: true, dataSet, position: stream.position, reachedUntil: false };
}

/**
 * Items of a value that is encoded as an Implicit VR Little Endian sequence whatever the
 * transfer syntax (a UN of undefined length, or a UN of a standard SQ attribute: PS3.5 §6.2.2),
 * read with dicom-parser's implicit sequence reader. Null when they cannot be read, or end
 * somewhere else than `length` says (a defined length) or the first reading found (undefined).
 */
export function parseImplicitItems(
  bytes: Uint8Array,
  dataOffset: number,
  length: number,
  undefinedLength: boolean,
  vr: VRLookup,
): ParsedElement[] | null {
  if (!undefinedLength && length === 0) return [];
  if (dataOffset >= bytes.length) return null;

  const stream = newStream(bytes, dataOffset, true);
  const element = {
    tag: 'xfffee000', // only names the value in dicom-parser's warnings
    dataOffset,
    length: undefinedLength ? UNDEFINED_LENGTH : length,
    items: [] as ParsedElement[],
  };
  try {
    dicomParser.readSequenceItemsImplicit(stream, element, vr as DeclaredVRCallback);
  } catch {
    return null;
  }
  if (undefinedLength) return element.length === length ? element.items : null;
  return stream.position === dataOffset + length ? element.items : null;
}
