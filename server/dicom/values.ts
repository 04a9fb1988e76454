/**
 * Element bytes to JavaScript values, per VR (PS3.5 §6.2, Table 6.2-1), in the shapes the DICOM
 * JSON model uses (PS3.18 §F.2.3): numbers for numeric VRs, person names split into groups,
 * "GGGGEEEE" for AT, strings with the padding the VR allows removed.
 */
import { decodeText, splitEncoded } from './charset';
import type { DataElement } from './dataset';
import { tagHex } from './dictionary';
import { BINARY_NUMBER_VRS, CHARSET_VRS, SINGLE_VALUE_TEXT_VRS } from './vr';

const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

/** PS3.18 §F.2.2: a person name as its three component groups; empty groups are left out. */
export interface PersonName {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

export type JsonValue = string | number | PersonName | null;

/** PS3.5 Table 6.2-1: VRs whose leading spaces are padding too, not only trailing ones. */
const TRIM_BOTH = new Set(['AE', 'CS', 'DS', 'IS', 'LO', 'SH', 'AS', 'DA', 'DT', 'TM', 'UI']);

function trimValue(vr: string, text: string): string {
  // NUL pads UI values (PS3.5 §9.1) and, against the rules, some other strings in the field.
  const trailing = text.replace(/[ \0]+$/, '');
  return TRIM_BOTH.has(vr) ? trailing.replace(/^[ \0]+/, '') : trailing;
}

function decodeString(vr: string, bytes: Uint8Array, charset: string[]): string {
  return CHARSET_VRS.has(vr) ? decodeText(bytes, charset) : decodeText(bytes, []);
}

/** Text values, split on backslash unless the VR holds a single value. */
export function stringValues(element: DataElement, charset: string[]): string[] {
  const bytes = element.bytes ?? new Uint8Array(0);
  const parts = SINGLE_VALUE_TEXT_VRS.has(element.vr)
    ? [bytes]
    : splitEncoded(bytes, CHARSET_VRS.has(element.vr) ? charset : [], BACKSLASH);
  return parts.map((part) => trimValue(element.vr, decodeString(element.vr, part, charset)));
}

function personName(bytes: Uint8Array, charset: string[]): PersonName | null {
  const groups = splitEncoded(bytes, charset, EQUALS).map((g) =>
    decodeText(g, charset).replace(/[ \0]+$/, ''),
  );
  const name: PersonName = {};
  if (groups[0]) name.Alphabetic = groups[0];
  if (groups[1]) name.Ideographic = groups[1];
  if (groups[2]) name.Phonetic = groups[2];
  return Object.keys(name).length > 0 ? name : null;
}

function personNames(element: DataElement, charset: string[]): Array<PersonName | null> {
  const bytes = element.bytes ?? new Uint8Array(0);
  return splitEncoded(bytes, charset, BACKSLASH).map((v) => personName(v, charset));
}

/** PS3.18 §F.2.3.1: IS and DS are JSON numbers; a value that is not a number becomes null. */
function decimalValues(element: DataElement): Array<number | null> {
  return stringValues(element, []).map((text) => {
    if (text === '') return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  });
}

function binaryNumbers(element: DataElement): Array<number | string | null> {
  const { size } = BINARY_NUMBER_VRS[element.vr];
  const bytes = element.bytes ?? new Uint8Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const le = element.littleEndian;
  const out: Array<number | string | null> = [];

  for (let at = 0; at + size <= bytes.length; at += size) {
    out.push(readNumber(view, element.vr, at, le));
  }
  return out;
}

function readNumber(view: DataView, vr: string, at: number, le: boolean): number | string | null {
  switch (vr) {
    case 'US':
      return view.getUint16(at, le);
    case 'SS':
      return view.getInt16(at, le);
    case 'UL':
      return view.getUint32(at, le);
    case 'SL':
      return view.getInt32(at, le);
    case 'FL':
    case 'FD': {
      const n = vr === 'FL' ? view.getFloat32(at, le) : view.getFloat64(at, le);
      return Number.isFinite(n) ? n : null; // JSON has no NaN or Infinity
    }
    default: {
      // SV / UV (PS3.18 §F.2.3.1): a JSON number when exact, otherwise its decimal string.
      const n = vr === 'SV' ? view.getBigInt64(at, le) : view.getBigUint64(at, le);
      return Number.isSafeInteger(Number(n)) ? Number(n) : n.toString();
    }
  }
}

function attributeTags(element: DataElement): string[] {
  const bytes = element.bytes ?? new Uint8Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: string[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    const group = view.getUint16(at, element.littleEndian);
    const elementNumber = view.getUint16(at + 2, element.littleEndian);
    out.push(tagHex(((group << 16) | elementNumber) >>> 0));
  }
  return out;
}

/**
 * Values of a non-sequence, non-binary element, or null when the element is empty. A value
 * that is present but empty inside a multi-valued element is null (PS3.18 §F.2.5).
 */
export function elementValues(element: DataElement, charset: string[]): JsonValue[] | null {
  if (!element.bytes || element.bytes.length === 0) return null;

  let values: JsonValue[];
  if (element.vr === 'PN') values = personNames(element, charset);
  else if (element.vr === 'IS' || element.vr === 'DS') values = decimalValues(element);
  else if (element.vr === 'AT') values = attributeTags(element);
  else if (element.vr in BINARY_NUMBER_VRS) values = binaryNumbers(element);
  else values = stringValues(element, charset).map((v) => (v === '' ? null : v));

  return values.every((v) => v === null) ? null : values;
}

/** PS3.18 §F.2.7: InlineBinary is the little endian encoding; big endian words are swapped. */
export function littleEndianBytes(element: DataElement): Uint8Array {
  const bytes = element.bytes ?? new Uint8Array(0);
  const width = { OW: 2, OF: 4, OL: 4, OD: 8, OV: 8 }[element.vr];
  if (element.littleEndian || !width) return bytes;

  const out = new Uint8Array(bytes.length);
  for (let at = 0; at + width <= bytes.length; at += width) {
    for (let k = 0; k < width; k++) out[at + k] = bytes[at + width - 1 - k];
  }
  return out;
}
