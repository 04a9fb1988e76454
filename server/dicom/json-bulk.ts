/**
 * Turns the "metadata + bulk data" form of a STOW-RS request (PS3.18 §10.5.1.2.2: one DICOM
 * JSON data set, PS3.18 Annex F, whose binary values are BulkDataURIs pointing at the
 * Content-Location of other parts) into one Part 10 file, written by dcmjs.
 *
 * The transfer syntax follows the bulk part that holds Pixel Data (7FE0,0010):
 * - image/jpeg: the JPEG stream is encapsulated unchanged, one fragment, and the transfer syntax
 *   is read from its frame header (baseline .4.50, extended .4.51, lossless .4.57 / .4.70); a
 *   `transfer-syntax` parameter of the content type is used only when the stream agrees with it;
 * - application/octet-stream (or InlineBinary): native pixels, Explicit VR Little Endian.
 *
 * Limitation: a JPEG part carries one frame, so multi-frame JPEG uploads in this form are
 * refused; multi-frame native pixels are fine.
 */
import { AppError } from '../errors';
import {
  dcmjsData,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  inspectJpeg,
  jpegTransferSyntax,
  toArrayBuffer,
} from './encapsulate';

const { DicomMetaDictionary, DicomDict } = dcmjsData;

export interface BulkPart {
  contentType: string;
  bytes: Buffer;
}

type JsonAttribute = {
  vr?: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
};
type DcmjsDict = Record<string, { vr: string; Value: unknown[] }>;

const PIXEL_DATA = '7FE00010';
const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
/**
 * Transfer syntaxes an uploader may declare for a stream of the syntax its frame header implies:
 * Extended (.51) also covers baseline streams, Process 14 (.57) also covers Selection Value 1.
 */
const COMPATIBLE_SYNTAXES: Record<string, string[]> = {
  '1.2.840.10008.1.2.4.50': ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51'],
  '1.2.840.10008.1.2.4.51': ['1.2.840.10008.1.2.4.51'],
  '1.2.840.10008.1.2.4.57': ['1.2.840.10008.1.2.4.57'],
  '1.2.840.10008.1.2.4.70': ['1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.57'],
};

/** The UIDs a STOW instance cannot be stored without (PS3.18 §10.5.3 failure C000 / A900). */
const REQUIRED_UIDS: Array<[string, string]> = [
  ['00080016', 'SOPClassUID (0008,0016)'],
  ['00080018', 'SOPInstanceUID (0008,0018)'],
  ['0020000D', 'StudyInstanceUID (0020,000D)'],
  ['0020000E', 'SeriesInstanceUID (0020,000E)'],
];

/**
 * Builds a Part 10 file from one DICOM JSON data set and the bulk parts, keyed by their
 * Content-Location. Throws AppError BAD_REQUEST with a reason the uploader can act on.
 */
export function buildPart10FromJson(
  dataset: Record<string, any>,
  bulk: Map<string, BulkPart>,
): Buffer {
  if (!dataset || typeof dataset !== 'object' || Array.isArray(dataset)) {
    throw new AppError('BAD_REQUEST', 'Metadata part is not a DICOM JSON object');
  }
  const uids = requiredUids(dataset);

  const { [PIXEL_DATA]: pixelAttr, ...rest } = normaliseKeys(dataset);
  const dict = toDcmjs(rest, bulk);
  let transferSyntaxUID = EXPLICIT_VR_LITTLE_ENDIAN;
  if (pixelAttr) {
    const pixels = pixelData(pixelAttr as JsonAttribute, dict, bulk);
    transferSyntaxUID = pixels.transferSyntaxUID;
    dict[PIXEL_DATA] = { vr: pixels.vr, Value: pixels.values };
  }

  const meta = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: uids.sopClass,
      MediaStorageSOPInstanceUID: uids.sopInstance,
      TransferSyntaxUID: transferSyntaxUID,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
    }),
  );
  meta.dict = dict;
  return Buffer.from(meta.write({ fragmentMultiframe: false }));
}

function requiredUids(dataset: Record<string, any>) {
  const keys = normaliseKeys(dataset);
  const values = REQUIRED_UIDS.map(([tag, name]) => {
    const v = (keys[tag] as JsonAttribute | undefined)?.Value?.[0];
    if (typeof v !== 'string' || !/^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(v) || v.length > 64) {
      throw new AppError('BAD_REQUEST', `Missing or invalid ${name}`);
    }
    return v;
  });
  return { sopClass: values[0], sopInstance: values[1] };
}

/** Upper-case tag keys; File Meta (group 0002) is ours to write, so it is dropped. */
function normaliseKeys(dataset: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, attr] of Object.entries(dataset)) {
    if (!/^[0-9A-Fa-f]{8}$/.test(key)) {
      throw new AppError('BAD_REQUEST', `Metadata key ${key.slice(0, 20)} is not a tag`);
    }
    const tag = key.toUpperCase();
    if (!tag.startsWith('0002')) out[tag] = attr;
  }
  return out;
}

/** DICOM JSON (PS3.18 F.2) to the tag-keyed form dcmjs writes. */
function toDcmjs(dataset: Record<string, unknown>, bulk: Map<string, BulkPart>): DcmjsDict {
  const dict: DcmjsDict = {};
  for (const [tag, raw] of Object.entries(dataset)) {
    const attr = raw as JsonAttribute;
    if (!attr || typeof attr.vr !== 'string' || !/^[A-Z]{2}$/.test(attr.vr)) {
      throw new AppError('BAD_REQUEST', `Attribute ${tag} has no valid vr`);
    }
    dict[tag] = { vr: attr.vr, Value: convertValue(tag, attr, bulk) };
  }
  return dict;
}

function convertValue(tag: string, attr: JsonAttribute, bulk: Map<string, BulkPart>): unknown[] {
  const vr = attr.vr as string;
  if (BINARY_VRS.has(vr)) {
    if (attr.InlineBinary !== undefined)
      return [toArrayBuffer(Buffer.from(attr.InlineBinary, 'base64'))];
    if (attr.BulkDataURI !== undefined) return [toArrayBuffer(bulkPart(tag, attr, bulk).bytes)];
    return [];
  }
  const values = attr.Value ?? [];
  if (!Array.isArray(values))
    throw new AppError('BAD_REQUEST', `Attribute ${tag}: Value is not an array`);

  switch (vr) {
    case 'SQ':
      return values.map((item) => toDcmjs(normaliseKeys(asObject(tag, item)), bulk));
    case 'AT': // F.2.3: "GGGGEEEE" strings; dcmjs writes numbers
      return values.map((v) => parseInt(String(v), 16));
    case 'PN':
      return values.map((v) => v ?? {});
    default:
      return values.map((v) => v ?? '');
  }
}

function asObject(tag: string, item: unknown): Record<string, unknown> {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    throw new AppError('BAD_REQUEST', `Sequence ${tag} holds an item that is not an object`);
  }
  return item as Record<string, unknown>;
}

function bulkPart(tag: string, attr: JsonAttribute, bulk: Map<string, BulkPart>): BulkPart {
  const part = bulk.get(attr.BulkDataURI as string);
  if (!part)
    throw new AppError('BAD_REQUEST', `BulkDataURI of ${tag} matches no part's Content-Location`);
  return part;
}

interface Pixels {
  transferSyntaxUID: string;
  vr: string;
  values: ArrayBuffer[];
}

/** Pixel Data from its bulk part or InlineBinary (PS3.18 §10.5.1.2.2, PS3.5 A.4). */
function pixelData(attr: JsonAttribute, dict: DcmjsDict, bulk: Map<string, BulkPart>): Pixels {
  if (attr.InlineBinary !== undefined) {
    return nativePixels(Buffer.from(attr.InlineBinary, 'base64'), attr.vr, dict);
  }
  if (attr.BulkDataURI === undefined) throw new AppError('BAD_REQUEST', 'Pixel Data has no value');

  const part = bulkPart(PIXEL_DATA, attr, bulk);
  const [type, ...params] = part.contentType.split(';').map((s) => s.trim());
  switch (type.toLowerCase()) {
    case 'image/jpeg':
      return jpegPixels(part.bytes, transferSyntaxParam(params), dict);
    case 'application/octet-stream':
      return nativePixels(part.bytes, attr.vr, dict);
    default:
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Pixel Data part of type ${type} not supported`);
  }
}

function transferSyntaxParam(params: string[]): string | null {
  for (const p of params) {
    const [name, value] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (name.toLowerCase() === 'transfer-syntax' && value) return value;
  }
  return null;
}

function jpegPixels(bytes: Buffer, declared: string | null, dict: DcmjsDict): Pixels {
  const info = inspectJpeg(bytes);
  const derived = jpegTransferSyntax(info);
  if (declared && !COMPATIBLE_SYNTAXES[derived].includes(declared)) {
    throw new AppError('BAD_REQUEST', `transfer-syntax does not match the JPEG (${info.process})`);
  }
  const transferSyntaxUID = declared ?? derived;

  const frames = Number(dict['00280008']?.Value?.[0] ?? 1);
  if (frames !== 1)
    throw new AppError('BAD_REQUEST', 'A JPEG part holds one frame; NumberOfFrames > 1');
  expectEqual(dict, '00280010', info.height, 'Rows (0028,0010)');
  expectEqual(dict, '00280011', info.width, 'Columns (0028,0011)');
  expectEqual(dict, '00280002', info.components, 'SamplesPerPixel (0028,0002)');
  return { transferSyntaxUID, vr: 'OB', values: [toArrayBuffer(bytes)] };
}

function expectEqual(dict: DcmjsDict, tag: string, actual: number, name: string): void {
  const declared = dict[tag]?.Value?.[0];
  if (declared !== undefined && Number(declared) !== actual) {
    throw new AppError('BAD_REQUEST', `${name} is ${declared} but the JPEG says ${actual}`);
  }
}

/** Native pixels must fill exactly Rows x Columns x SamplesPerPixel x frames (PS3.5 8.1.1). */
function nativePixels(bytes: Buffer, vr: string | undefined, dict: DcmjsDict): Pixels {
  const num = (tag: string, fallback?: number) => Number(dict[tag]?.Value?.[0] ?? fallback);
  const bitsAllocated = num('00280100');
  const expected =
    (num('00280010') * num('00280011') * num('00280002', 1) * num('00280008', 1) * bitsAllocated) /
    8;
  if (!Number.isFinite(expected)) {
    throw new AppError('BAD_REQUEST', 'Native Pixel Data needs Rows, Columns and BitsAllocated');
  }
  if (bytes.length !== expected && bytes.length !== expected + (expected % 2)) {
    throw new AppError('BAD_REQUEST', `Pixel Data has ${bytes.length} bytes, expected ${expected}`);
  }

  const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
  const chosenVr = vr === 'OB' || vr === 'OW' ? vr : bitsAllocated > 8 ? 'OW' : 'OB';
  return {
    transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    vr: chosenVr,
    values: [toArrayBuffer(padded)],
  };
}
