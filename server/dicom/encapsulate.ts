/**
 * Wraps a plain image from a camera without DICOM (JPEG, PNG, TIFF, WebP, ...) in an Ophthalmic
 * Photography 8 Bit Image instance (PS3.3 A.41, SOP Class 1.2.840.10008.5.1.4.1.1.77.1.5.1).
 *
 * Design choices:
 * - A baseline (or extended / lossless) 8-bit JPEG is encapsulated byte for byte: re-encoding
 *   would add loss, and a byte-identical copy lets anyone verify it against the camera file.
 * - Anything else is decoded with sharp and stored native (Explicit VR Little Endian,
 *   PlanarConfiguration 0), which adds no loss. That covers PNG / TIFF / WebP, and also JPEGs
 *   that DICOM cannot carry as they are: progressive (its transfer syntax is retired), CMYK, or
 *   with an EXIF orientation that DICOM readers would ignore.
 * - 12-bit, arithmetic-coded and hierarchical JPEGs are refused (INVALID_ATTRIBUTE): they do not
 *   fit an 8-bit SOP class and sharp cannot decode them reliably. 16-bit PNG / TIFF are refused
 *   too rather than silently cut to 8 bits (that needs the OP 16 Bit class).
 * - LossyImageCompression (0028,2110) is "01" whenever the camera produced a lossy JPEG, even
 *   when we copy its bytes unchanged: PS3.3 C.7.6.1.1.5 says the flag records loss at any point
 *   in the image's life, and once "01" it is never reset.
 *
 * Limitation: when the device type is a fundus camera, PS3.3 C.8.17.2 asks for Pixel Spacing
 * (0028,0030), which a camera without DICOM does not tell us. It is written only when the caller
 * passes `pixelSpacingMm`; we never invent a calibration.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import sharp from 'sharp';
import { z } from 'zod';

import { AppError } from '../errors';

/** Tag-keyed element as dcmjs reads and writes it (close to DICOM JSON, PS3.18 F.2). */
export type DcmjsElement = { vr: string; Value?: unknown[] };

/** The part of dcmjs used here: the package ships no type declarations of its own. */
interface DcmjsData {
  DicomMetaDictionary: {
    denaturalizeDataset(natural: Record<string, unknown>): Record<string, DcmjsElement>;
  };
  DicomDict: new (meta: Record<string, DcmjsElement>) => {
    dict: Record<string, DcmjsElement>;
    write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer;
  };
}
export const dcmjsData = (createRequire(import.meta.url)('dcmjs') as { data: DcmjsData }).data;
const { DicomMetaDictionary, DicomDict } = dcmjsData;

export const OP_8BIT_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.77.1.5.1';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Fixed UID naming this software in the File Meta Information (PS3.10 7.1). */
export const IMPLEMENTATION_CLASS_UID = '2.25.15135168651072229731779338370126649182';
export const IMPLEMENTATION_VERSION_NAME = 'EYEPACS_OPEN_01';

const UID_PATTERN = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;
export const ZUid = z.string().max(64).regex(UID_PATTERN, 'not a DICOM UID');
const ZDate = z.string().regex(/^\d{8}$/, 'must be a DA value, YYYYMMDD');

/**
 * A new UID. Under the default root "2.25" it is the UUID as one decimal integer (PS3.5 B.2);
 * under any other root, as many random decimal digits as fit in 64 characters.
 */
export function newUid(root = '2.25'): string {
  const digits = BigInt('0x' + randomUUID().replace(/-/g, '')).toString();
  if (root === '2.25') return `2.25.${digits}`;

  const room = 64 - root.length - 1;
  if (room < 1 || !UID_PATTERN.test(root)) {
    throw new AppError('INVALID_ATTRIBUTE', 'UID root is not a valid UID prefix');
  }
  return `${root}.${digits.slice(0, room).replace(/^0+/, '') || '1'}`;
}

/** DA, TM and DT strings (PS3.5 6.2) for one instant, in the server's local time. */
export function dicomDateTime(d: Date): { date: string; time: string; dateTime: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
  const time = `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return { date, time, dateTime: `${date}${time}.${p(d.getMilliseconds(), 3)}000` };
}

/** A Code Sequence Macro item (PS3.3 Table 8.8-1). */
export function code(value: string, scheme: string, meaning: string) {
  return { CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning };
}

/** Pixel Data ready to write: native bytes, or one encapsulated fragment per frame. */
export interface PixelPayload {
  transferSyntaxUID: string;
  vr: 'OB' | 'OW';
  /** Native: one buffer with all frames. Encapsulated: one buffer per frame. */
  values: Buffer[];
}

/**
 * A complete Part 10 file (PS3.10 7.1): preamble, File Meta Information, then the data set,
 * written by dcmjs from a data set in its "naturalized" keyword form.
 */
export function writePart10(natural: Record<string, unknown>, pixels: PixelPayload | null): Buffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: natural.SOPClassUID,
    MediaStorageSOPInstanceUID: natural.SOPInstanceUID,
    TransferSyntaxUID: pixels?.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(natural);

  if (pixels) {
    const values = pixels.values.map((b) => toArrayBuffer(b));
    dict.dict['7FE00010'] = { vr: pixels.vr, Value: values };
  }
  // One fragment per frame: dcmjs would otherwise cut frames into 20 KB fragments.
  return Buffer.from(dict.write({ fragmentMultiframe: false }));
}

export function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

const ACQUISITION_DEVICES = {
  FUNDUS_CAMERA: code('409898007', 'SCT', 'Fundus Camera'),
  EXTERNAL_CAMERA: code('409903006', 'SCT', 'External Camera'),
  SLO: code('392001008', 'SCT', 'Scanning Laser Ophthalmoscope'),
} as const;

export const ZOphthalmicPhotographyInput = z.object({
  bytes: z.custom<Buffer>((b) => Buffer.isBuffer(b), 'bytes must be a Buffer'),
  contentType: z.string().max(200).optional(),
  patient: z.object({
    patientID: z.string().min(1).max(64),
    issuerOfPatientID: z.string().max(64).optional(),
    patientName: z.string().max(320).optional(),
    birthDate: ZDate.optional(),
    sex: z.enum(['M', 'F', 'O']).optional(),
  }),
  laterality: z.enum(['R', 'L']),
  siteName: z.string().max(64).optional(),
  studyInstanceUID: ZUid.optional(),
  seriesInstanceUID: ZUid.optional(),
  accessionNumber: z.string().max(16).optional(),
  studyDate: ZDate.optional(),
  manufacturer: z.string().max(64).optional(),
  /** Extensions beyond the basic import form, used by the OPT generator and tests. */
  sopInstanceUID: ZUid.optional(),
  uidRoot: z.string().max(40).optional(),
  acquisitionDateTime: z.date().optional(),
  acquisitionDevice: z.enum(['FUNDUS_CAMERA', 'EXTERNAL_CAMERA', 'SLO']).default('FUNDUS_CAMERA'),
  /** ImageType (0008,0008) Value 4 (PS3.3 C.8.17.2.1.4); defaults to COLOR or REDFREE. */
  imageKind: z.enum(['COLOR', 'REDFREE', 'RED', 'BLUE', 'FA', 'ICG']).optional(),
  pixelSpacingMm: z.tuple([z.number().positive(), z.number().positive()]).optional(),
  burnedInAnnotation: z.enum(['YES', 'NO']).default('NO'),
  synchronizationFrameOfReferenceUID: ZUid.optional(),
  instanceNumber: z.number().int().min(1).default(1),
});
export type TOphthalmicPhotographyInput = z.input<typeof ZOphthalmicPhotographyInput>;
type TOpInput = z.output<typeof ZOphthalmicPhotographyInput>;

interface PreparedImage {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  photometric: string;
  pixels: PixelPayload;
  /** Set when the image went through lossy JPEG at some point (PS3.3 C.7.6.1.1.5). */
  lossy: { ratio: number } | null;
  icc: Buffer | null;
}

const RASTER_FORMATS = new Set(['jpeg', 'png', 'tiff', 'webp', 'gif', 'heif', 'avif']);

/**
 * Builds a complete OP 8 Bit Part 10 file from a camera image. Throws AppError
 * UNSUPPORTED_MEDIA_TYPE for bytes that are not a raster image, INVALID_ATTRIBUTE for images that
 * an 8-bit OP instance cannot hold, BAD_REQUEST for invalid identifiers.
 */
export async function imageToOphthalmicPhotography(
  input: TOphthalmicPhotographyInput,
): Promise<Buffer> {
  const parsed = ZOphthalmicPhotographyInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('BAD_REQUEST', `${issue.path.join('.')}: ${issue.message}`);
  }
  const opts = parsed.data;
  refuseNonImageContentType(opts.contentType);

  const image = await prepareImage(opts.bytes);
  return writePart10(opDataset(opts, image), image.pixels);
}

function refuseNonImageContentType(contentType: string | undefined): void {
  if (!contentType) return;
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('image/') && type !== 'image/svg+xml') return;
  if (type === 'application/octet-stream') return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Content type ${type} is not a raster image`);
}

async function prepareImage(bytes: Buffer): Promise<PreparedImage> {
  if (bytes.length > 132 && bytes.toString('latin1', 128, 132) === 'DICM') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Already a DICOM file: store it as it is');
  }
  // JPEG first: sharp cannot read 12-bit or lossless JPEG, which we still want to classify.
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return prepareJpeg(bytes, inspectJpeg(bytes));

  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  if (!meta || !meta.format || !RASTER_FORMATS.has(meta.format)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Not a raster image (JPEG, PNG, TIFF, WebP)');
  }
  if (meta.depth && meta.depth !== 'uchar' && meta.depth !== 'char') {
    throw new AppError('INVALID_ATTRIBUTE', 'Only 8-bit images fit Ophthalmic Photography 8 Bit');
  }
  const native = await decodeToNative(bytes, meta.channels === 1 || meta.channels === 2);
  return { ...native, lossy: null, icc: meta.icc ?? null };
}

async function prepareJpeg(bytes: Buffer, info: JpegInfo): Promise<PreparedImage> {
  if (info.precision !== 8 || info.process === 'other') {
    throw new AppError(
      'INVALID_ATTRIBUTE',
      `JPEG ${info.process} ${info.precision}-bit: not 8-bit`,
    );
  }
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  const rotated = (meta?.orientation ?? 1) !== 1;
  const mustDecode = info.process === 'progressive' || info.components === 4 || rotated;
  if (!mustDecode) return encapsulateJpeg(bytes, info, meta?.icc ?? null);
  if (!meta) throw new AppError('INVALID_ATTRIBUTE', 'This JPEG can be neither kept nor decoded');

  const native = await decodeToNative(bytes, info.components === 1);
  const raw = native.rows * native.columns * native.samplesPerPixel;
  return { ...native, lossy: { ratio: raw / bytes.length }, icc: meta.icc ?? null };
}

function encapsulateJpeg(bytes: Buffer, info: JpegInfo, icc: Buffer | null): PreparedImage {
  const transferSyntaxUID = jpegTransferSyntax(info);
  const samplesPerPixel = info.components === 1 ? 1 : 3;
  const raw = info.width * info.height * samplesPerPixel;
  const lossy = info.process === 'lossless' ? null : { ratio: raw / bytes.length };

  return {
    rows: info.height,
    columns: info.width,
    samplesPerPixel,
    photometric: jpegPhotometric(info),
    pixels: { transferSyntaxUID, vr: 'OB', values: [bytes] },
    lossy,
    icc,
  };
}

/** Decodes with sharp, applying EXIF orientation but not the ICC profile (kept as metadata). */
async function decodeToNative(bytes: Buffer, grey: boolean) {
  const base = sharp(bytes, { pages: 1, ignoreIcc: true }).rotate().removeAlpha();
  const pipeline = grey ? base.toColourspace('b-w') : base.toColourspace('srgb');
  const { data, info } = await pipeline
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });

  const samplesPerPixel: 1 | 3 = info.channels === 1 ? 1 : 3;
  // Native 8-bit Pixel Data of odd length gets one pad byte (PS3.5 7.1.1).
  const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
  return {
    rows: info.height,
    columns: info.width,
    samplesPerPixel,
    photometric: samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB',
    pixels: { transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN, vr: 'OB' as const, values: [padded] },
  };
}

/**
 * The OP 8 Bit data set (PS3.3 A.41.3): Patient, General Study, General Series, OP Series,
 * Synchronization, General Equipment, General Image, Image Pixel, Multi-frame, Acquisition
 * Context, OP Image, Ocular Region Imaged, OP Acquisition Parameters, OP Parameters, ICC Profile,
 * SOP Common.
 */
function opDataset(o: TOpInput, img: PreparedImage): Record<string, unknown> {
  const root = o.uidRoot ?? '2.25';
  const acquired = dicomDateTime(o.acquisitionDateTime ?? new Date());
  const created = dicomDateTime(new Date());
  const studyDate = o.studyDate ?? (o.studyInstanceUID ? '' : acquired.date);

  return {
    SpecificCharacterSet: 'ISO_IR 192', // (0008,0005) UTF-8: names may be in any script
    SOPClassUID: OP_8BIT_SOP_CLASS_UID, // (0008,0016)
    SOPInstanceUID: o.sopInstanceUID ?? newUid(root), // (0008,0018)
    InstanceCreationDate: created.date, // (0008,0012)
    InstanceCreationTime: created.time, // (0008,0013)
    ...patientModule(o.patient),
    StudyInstanceUID: o.studyInstanceUID ?? newUid(root), // (0020,000D)
    StudyDate: studyDate, // (0008,0020) type 2
    StudyTime: o.studyDate || o.studyInstanceUID ? '' : acquired.time, // (0008,0030) type 2
    ReferringPhysicianName: '', // (0008,0090) type 2
    StudyID: '', // (0020,0010) type 2
    AccessionNumber: o.accessionNumber ?? '', // (0008,0050) type 2
    Modality: 'OP', // (0008,0060) PS3.3 C.8.17.1
    SeriesInstanceUID: o.seriesInstanceUID ?? newUid(root), // (0020,000E)
    SeriesNumber: o.seriesInstanceUID ? '' : '1', // (0020,0011) type 2
    SynchronizationFrameOfReferenceUID: o.synchronizationFrameOfReferenceUID ?? newUid(root),
    SynchronizationTrigger: 'NO TRIGGER', // (0018,106A)
    AcquisitionTimeSynchronized: 'N', // (0018,1800)
    Manufacturer: o.manufacturer ?? '', // (0008,0070) type 2
    ...(o.siteName ? { InstitutionName: o.siteName } : {}), // (0008,0080)
    ...imageAttributes(o, img, acquired),
  };
}

/** Patient Module (PS3.3 C.7.1.1); shared with the OPT generator. */
export function patientModule(p: TOpInput['patient']): Record<string, unknown> {
  return {
    PatientName: p.patientName ?? '', // (0010,0010) type 2
    PatientID: p.patientID, // (0010,0020)
    ...(p.issuerOfPatientID ? { IssuerOfPatientID: p.issuerOfPatientID } : {}), // (0010,0021)
    PatientBirthDate: p.birthDate ?? '', // (0010,0030) type 2
    PatientSex: p.sex ?? '', // (0010,0040) type 2
  };
}

function imageAttributes(
  o: TOpInput,
  img: PreparedImage,
  acquired: { date: string; time: string; dateTime: string },
) {
  const colour = img.samplesPerPixel === 3;
  return {
    // PS3.3 C.8.17.2.1.4: Value 3 stays empty for ORIGINAL images, Value 4 names the kind.
    ImageType: ['ORIGINAL', 'PRIMARY', '', o.imageKind ?? (colour ? 'COLOR' : 'REDFREE')],
    InstanceNumber: String(o.instanceNumber), // (0020,0013)
    PatientOrientation: '', // (0020,0020) type 2C: no patient-based orientation for a photo
    ContentDate: acquired.date, // (0008,0023)
    ContentTime: acquired.time, // (0008,0033)
    AcquisitionDateTime: acquired.dateTime, // (0008,002A) 1C: ORIGINAL
    SamplesPerPixel: img.samplesPerPixel, // (0028,0002)
    PhotometricInterpretation: img.photometric, // (0028,0004)
    ...(colour ? { PlanarConfiguration: 0 } : { PresentationLUTShape: 'IDENTITY' }),
    Rows: img.rows, // (0028,0010)
    Columns: img.columns, // (0028,0011)
    BitsAllocated: 8, // (0028,0100)
    BitsStored: 8, // (0028,0101)
    HighBit: 7, // (0028,0102)
    PixelRepresentation: 0, // (0028,0103)
    ...(o.pixelSpacingMm ? { PixelSpacing: o.pixelSpacingMm.map(formatDs) } : {}),
    NumberOfFrames: '1', // (0028,0008)
    FrameIncrementPointer: 0x00181063, // (0028,0009) -> FrameTime, per PS3.3 C.7.6.6.1.2
    FrameTime: '0', // (0018,1063)
    ...lossyAttributes(img.lossy),
    BurnedInAnnotation: o.burnedInAnnotation, // (0028,0301)
    AcquisitionContextSequence: [], // (0040,0555) type 2
    ImageLaterality: o.laterality, // (0020,0062)
    AnatomicRegionSequence: [code('81745001', 'SCT', 'Eye')], // (0008,2218), CID 4209
    PatientEyeMovementCommanded: '', // (0022,0005) type 2
    RefractiveStateSequence: [], // (0022,001B) type 2
    EmmetropicMagnification: [], // (0022,000A) type 2
    IntraOcularPressure: [], // (0022,000B) type 2
    HorizontalFieldOfView: [], // (0022,000C) type 2
    PupilDilated: '', // (0022,000D) type 2
    AcquisitionDeviceTypeCodeSequence: [ACQUISITION_DEVICES[o.acquisitionDevice]], // CID 4202
    IlluminationTypeCodeSequence: [], // (0022,0016) type 2
    LightPathFilterTypeStackCodeSequence: [], // (0022,0017) type 2
    ImagePathFilterTypeStackCodeSequence: [], // (0022,0018) type 2
    LensesCodeSequence: [], // (0022,0019) type 2
    DetectorType: '', // (0018,7004) type 2
    ...(img.icc ? { ICCProfile: toArrayBuffer(img.icc) } : {}), // (0028,2000) PS3.3 C.11.15
  };
}

/** PS3.3 C.7.6.1.1.5: "01" plus ratio and method once the image has been through lossy JPEG. */
function lossyAttributes(lossy: { ratio: number } | null): Record<string, unknown> {
  if (!lossy) return { LossyImageCompression: '00' }; // (0028,2110)
  const ratio = lossy.ratio > 0 ? [formatDs(lossy.ratio)] : [];
  return {
    LossyImageCompression: '01',
    ...(ratio.length ? { LossyImageCompressionRatio: ratio } : {}), // (0028,2112)
    LossyImageCompressionMethod: 'ISO_10918_1', // (0028,2114)
  };
}

/** A DS value (PS3.5 6.2): at most 16 characters. */
export function formatDs(n: number): string {
  for (let digits = 10; digits > 0; digits--) {
    const s = String(Number(n.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return String(Math.round(n));
}

/** What the frame header of a JPEG stream (ITU-T T.81 B.2) says about it. */
export interface JpegInfo {
  /** SOF0 baseline, SOF1 extended, SOF2 progressive, SOF3 lossless; hierarchical and
   * arithmetic-coded processes are 'other'. */
  process: 'baseline' | 'extended' | 'progressive' | 'lossless' | 'other';
  precision: number;
  width: number;
  height: number;
  components: number;
  componentIds: number[];
  /** Adobe APP14 colour transform (0 none, 1 YCbCr, 2 YCCK); null without an APP14 segment. */
  adobeTransform: number | null;
  /** Lossless only: predictor selection value Ss of the first scan. */
  predictor: number | null;
}

const SOF_PROCESS: Record<number, JpegInfo['process']> = {
  0xc0: 'baseline',
  0xc1: 'extended',
  0xc2: 'progressive',
  0xc3: 'lossless',
};

/** Reads the markers up to the first scan; throws UNSUPPORTED_MEDIA_TYPE if not a JPEG. */
export function inspectJpeg(b: Buffer): JpegInfo {
  const fail = (why: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', `Not a usable JPEG: ${why}`);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw fail('no SOI marker');

  let info: JpegInfo | null = null;
  let adobeTransform: number | null = null;
  for (let pos = 2; pos + 4 <= b.length;) {
    if (b[pos] !== 0xff) throw fail('marker expected');
    const marker = b[pos + 1];
    if (marker === 0xff) {
      pos += 1;
      continue;
    } // fill byte before a marker (T.81 B.1.1.2)
    const seg = pos + 4;
    if (isSof(marker)) info = readSof(b, seg, marker, fail);
    if (marker === 0xee && b.toString('latin1', seg, seg + 5) === 'Adobe')
      adobeTransform = b[seg + 11];
    if (marker === 0xda) {
      if (!info) throw fail('scan before frame header');
      const predictor = info.process === 'lossless' ? b[seg + 1 + 2 * b[seg]] : null;
      return { ...info, adobeTransform, predictor };
    }
    pos += 2 + b.readUInt16BE(pos + 2);
  }
  throw fail('no frame header and scan');
}

function isSof(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function readSof(b: Buffer, seg: number, marker: number, fail: (w: string) => Error): JpegInfo {
  const components = b[seg + 5];
  const height = b.readUInt16BE(seg + 1);
  if (height === 0 || (components !== 1 && components !== 3 && components !== 4)) {
    throw fail('unsupported frame header');
  }
  const ids = Array.from({ length: components }, (_, c) => b[seg + 6 + 3 * c]);
  return {
    process: SOF_PROCESS[marker] ?? 'other',
    precision: b[seg],
    width: b.readUInt16BE(seg + 3),
    height,
    components,
    componentIds: ids,
    adobeTransform: null,
    predictor: null,
  };
}

/** Transfer syntax for a JPEG stream as it is (PS3.5 A.4.1, A.4.2; PS3.6 Annex A). */
export function jpegTransferSyntax(info: JpegInfo): string {
  switch (info.process) {
    case 'baseline':
      return '1.2.840.10008.1.2.4.50'; // JPEG Baseline (Process 1)
    case 'extended':
      return '1.2.840.10008.1.2.4.51'; // JPEG Extended (Process 2 & 4)
    case 'lossless': // Process 14, with Selection Value 1 when the predictor is 1
      return info.predictor === 1 ? '1.2.840.10008.1.2.4.70' : '1.2.840.10008.1.2.4.57';
    default:
      throw new AppError('INVALID_ATTRIBUTE', `No DICOM transfer syntax for ${info.process} JPEG`);
  }
}

/**
 * PhotometricInterpretation for JPEG pixel data (PS3.5 8.2.1, PS3.3 C.7.6.3.1.2). A colour
 * stream is YCbCr unless an Adobe APP14 segment says "no transform" or the components are named
 * R, G, B; lossless streams are RGB unless APP14 says YCbCr. YCbCr is YBR_FULL_422 whatever the
 * subsampling: the OP IOD does not allow YBR_FULL, and decoders take the subsampling from the
 * stream.
 */
export function jpegPhotometric(info: JpegInfo): string {
  if (info.components === 1) return 'MONOCHROME2';
  const namedRgb = info.componentIds.join() === '82,71,66'; // 'R','G','B'
  if (info.adobeTransform === 0 || namedRgb) return 'RGB';
  if (info.process === 'lossless' && info.adobeTransform !== 1) return 'RGB';
  return 'YBR_FULL_422';
}
