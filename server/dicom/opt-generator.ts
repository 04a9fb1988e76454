/**
 * Generates valid Ophthalmic Tomography Image Storage instances (OPT, SOP Class
 * 1.2.840.10008.5.1.4.1.1.77.1.5.4, PS3.3 A.52) of any size from 10 MB to 500 MB, plus the
 * Ophthalmic Photography localizer they point at, for tests and benchmarks.
 *
 * No real OCT volume small enough to ship exists under an open licence, so every frame is made
 * from one real B-scan: shifted up or down by a few rows and sprinkled with noise from a PRNG
 * seeded by (seed, frame index). Frame i is therefore reproducible on its own with
 * `optFrameBytes(seed, i)`, which is how tests check a frame fetched over WADO byte for byte.
 *
 * The file is streamed: the header (with all per-frame functional groups, a few hundred bytes a
 * frame) is built in memory with dcmjs, then each frame is made and written in turn, so memory
 * stays flat whatever the size. Pixel Data is native 8-bit (Explicit VR Little Endian).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

import sharp from 'sharp';
import { z } from 'zod';

import { AppError } from '../errors';
import {
  code,
  dicomDateTime,
  formatDs,
  imageToOphthalmicPhotography,
  newUid,
  OP_8BIT_SOP_CLASS_UID,
  patientModule,
  writePart10,
  ZUid,
} from './encapsulate';

export const OPT_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.77.1.5.4';

const DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const BSCAN_PATH = join(DATA_DIR, 'oct/hcha3232_oct_bscan_586x879_from_dicom.png');
export const FUNDUS_PATH = join(
  DATA_DIR,
  'fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg',
);

/** Nominal scan geometry: a 6 mm x 6 mm macular cube centred on the fovea of the localizer. */
const SCAN_MM = 6;
const AXIAL_SPACING_MM = 0.0039;
/** Fovea (row, column) and scan square half-width, in pixels of the 600 x 600 fundus photo. */
const FOVEA = { row: 295, column: 290 };
const SCAN_HALF_PX = 133;
const FRAME_DURATION_MS = 20;
const MAX_FRAMES = 4000;

export const ZGenerateOptOptions = z
  .object({
    outDir: z.string().min(1),
    frames: z.number().int().min(1).max(MAX_FRAMES).optional(),
    /** Target file size: bytes, or a string such as "300MB" (decimal) or "256MiB". */
    size: z.union([z.number().positive(), z.string()]).optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    patientID: z.string().min(1).max(64).default('OPT-TEST-0001'),
    issuerOfPatientID: z.string().max(64).default('EYEPACS-OPEN-TEST'),
    patientName: z.string().max(320).default('Synthetic^Volume'),
    studyInstanceUID: ZUid.optional(),
    laterality: z.enum(['R', 'L']).default('R'),
    /** When the scan was made: study, series and acquisition dates and times. Default: now. */
    acquiredAt: z.date().optional(),
    uidRoot: z.string().max(40).optional(),
  })
  .refine((o) => !(o.frames && o.size), 'give frames or size, not both');
export type TGenerateOptOptions = z.input<typeof ZGenerateOptOptions>;
type TOptions = z.output<typeof ZGenerateOptOptions>;

export interface GeneratedOpt {
  optPath: string;
  localizerPath: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frames: number;
  bytes: number;
}

interface Bscan {
  rows: number;
  columns: number;
  pixels: Buffer;
}
let bscan: Bscan | null = null;

/** Decodes the source B-scan once; `optFrameBytes` needs it (generateOpt calls this itself). */
export async function loadBscan(): Promise<Bscan> {
  if (bscan) return bscan;
  const { data, info } = await sharp(await readSource(BSCAN_PATH))
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  bscan = { rows: info.height, columns: info.width, pixels: data };
  return bscan;
}

async function readSource(path: string): Promise<Buffer> {
  return readFile(path).catch((cause) => {
    throw new AppError('NOT_FOUND', `Source image missing (is ../shared/data there?)`, { cause });
  });
}

/** Bytes of one frame: the size a `--size` of N bytes is divided by. */
export function frameBytes(b: Bscan): number {
  return b.rows * b.columns;
}

/**
 * The expected bytes of frame `index` (0-based) for `seed`: the B-scan shifted vertically by a
 * triangle wave of the index (-8..+8 rows, edge rows repeated), plus noise in -3..+4.
 * Requires `loadBscan()` (or `generateOpt`) to have run in this process.
 */
export function optFrameBytes(seed: number, index: number): Buffer {
  if (!bscan) throw new AppError('INTERNAL', 'optFrameBytes needs loadBscan() first');
  return fillFrame(bscan, seed, index, Buffer.allocUnsafe(bscan.rows * bscan.columns));
}

function fillFrame(b: Bscan, seed: number, index: number, out: Buffer): Buffer {
  const { rows, columns, pixels } = b;
  const shift = frameShift(index);
  const next = mulberry32(mixSeed(seed, index));

  let i = 0;
  let word = 0;
  for (let r = 0; r < rows; r++) {
    const src = Math.min(rows - 1, Math.max(0, r - shift)) * columns;
    for (let c = 0; c < columns; c++, i++) {
      // One 32-bit draw gives the noise of four pixels.
      if ((i & 3) === 0) word = next();
      const noise = ((word >>> ((i & 3) << 3)) & 7) - 3;
      const v = pixels[src + c] + noise;
      out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

function frameShift(index: number): number {
  const t = index % 64;
  return Math.floor((t < 32 ? t : 64 - t) / 2) - 8;
}

function mixSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

/** mulberry32: a small, fast 32-bit PRNG; identical output on every platform. */
function mulberry32(state: number): () => number {
  let a = state;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const K = 1024;
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: K,
  mib: K * K,
  gib: K ** 3,
};

/** Frame count for a target size ("300MB", "256MiB", or a number of bytes). */
export function framesForSize(size: number | string, bytesPerFrame: number): number {
  let total = typeof size === 'number' ? size : NaN;
  if (typeof size === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(size);
    if (m) total = Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()];
  }
  if (!Number.isFinite(total) || total <= 0) {
    throw new AppError('BAD_REQUEST', 'size must look like 300MB, 256MiB or a byte count');
  }
  const frames = Math.max(1, Math.floor(total / bytesPerFrame));
  if (frames > MAX_FRAMES) throw new AppError('BAD_REQUEST', `size is over ${MAX_FRAMES} frames`);
  return frames;
}

/** Writes `<outDir>/localizer.dcm` and `<outDir>/opt.dcm`; returns their UIDs and sizes. */
export async function generateOpt(options: TGenerateOptOptions): Promise<GeneratedOpt> {
  const parsed = ZGenerateOptOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('BAD_REQUEST', `${issue.path.join('.')}: ${issue.message}`);
  }
  const o = parsed.data;
  const source = await loadBscan();
  const frames = o.frames ?? framesForSize(o.size ?? '10MB', frameBytes(source));

  const root = o.uidRoot ?? '2.25';
  const ids = {
    study: o.studyInstanceUID ?? newUid(root),
    series: newUid(root),
    sop: newUid(root),
    localizer: newUid(root),
    sync: newUid(root),
  };
  const start = o.acquiredAt ?? new Date();
  await mkdir(o.outDir, { recursive: true });

  const localizerPath = join(o.outDir, 'localizer.dcm');
  await writeLocalizer(o, ids, start, localizerPath);

  const optPath = join(o.outDir, 'opt.dcm');
  const header = writePart10(optDataset(o, ids, source, frames, start), null);
  await streamOpt(optPath, header, o, source, frames);

  const { size } = await stat(optPath);
  return {
    optPath,
    localizerPath,
    studyInstanceUID: ids.study,
    seriesInstanceUID: ids.series,
    sopInstanceUID: ids.sop,
    frames,
    bytes: size,
  };
}

type Ids = { study: string; series: string; sop: string; localizer: string; sync: string };

/**
 * The localizer is the real fundus JPEG, encapsulated unchanged. For a left eye it is mirrored
 * (and so re-encoded) so that the optic disc sits on the correct side.
 */
async function writeLocalizer(o: TOptions, ids: Ids, start: Date, path: string): Promise<void> {
  const original = await readSource(FUNDUS_PATH);
  const bytes =
    o.laterality === 'R' ? original : await sharp(original).flop().jpeg({ quality: 95 }).toBuffer();

  const file = await imageToOphthalmicPhotography({
    bytes,
    contentType: 'image/jpeg',
    patient: patientOf(o),
    laterality: o.laterality,
    studyInstanceUID: ids.study,
    studyDate: dicomDateTime(start).date,
    sopInstanceUID: ids.localizer,
    synchronizationFrameOfReferenceUID: ids.sync,
    uidRoot: o.uidRoot,
    acquisitionDateTime: start,
    manufacturer: 'EyePACS Open test data',
  });
  await writeFile(path, file);
}

function patientOf({ patientID, issuerOfPatientID, patientName }: TOptions) {
  return { patientID, issuerOfPatientID, patientName };
}

async function streamOpt(path: string, header: Buffer, o: TOptions, b: Bscan, frames: number) {
  const total = frames * frameBytes(b);
  const pad = total % 2; // PS3.5 7.1.1: values have even length
  // Pixel Data (7FE0,0010) element header, Explicit VR LE with a 4-byte length (PS3.5 7.1.2).
  const element = Buffer.alloc(12);
  element.writeUInt16LE(0x7fe0, 0);
  element.writeUInt16LE(0x0010, 2);
  element.write('OB', 4, 'latin1');
  element.writeUInt32LE(total + pad, 8);

  const out = createWriteStream(path);
  out.on('error', () => undefined); // reported through the write callbacks and `finished`
  const write = (chunk: Buffer) =>
    new Promise<void>((done, fail) => out.write(chunk, (e) => (e ? fail(e) : done())));

  await write(Buffer.concat([header, element]));
  // One frame buffer, refilled only once the previous frame has reached the file.
  const frame = Buffer.allocUnsafe(frameBytes(b));
  for (let i = 0; i < frames; i++) await write(fillFrame(b, o.seed, i, frame));
  if (pad) await write(Buffer.alloc(1));
  out.end();
  await finished(out);
}

/**
 * The OPT data set without Pixel Data (PS3.3 A.52.3): Patient, General Study, General Series,
 * OPT Series, Frame of Reference, Synchronization, General and Enhanced General Equipment, Image
 * Pixel, Multi-frame Functional Groups, Multi-frame Dimension, Acquisition Context, OPT Image,
 * OPT Acquisition Parameters, OPT Parameters, Ocular Region Imaged, SOP Common.
 */
function optDataset(o: TOptions, ids: Ids, b: Bscan, frames: number, start: Date) {
  const at = dicomDateTime(start);
  return {
    SpecificCharacterSet: 'ISO_IR 192', // (0008,0005)
    SOPClassUID: OPT_SOP_CLASS_UID, // (0008,0016)
    SOPInstanceUID: ids.sop, // (0008,0018)
    InstanceCreationDate: at.date, // (0008,0012)
    InstanceCreationTime: at.time, // (0008,0013)
    ...patientModule(patientOf(o)),
    StudyInstanceUID: ids.study, // (0020,000D)
    StudyDate: at.date, // (0008,0020)
    StudyTime: at.time, // (0008,0030)
    ReferringPhysicianName: '', // (0008,0090) type 2
    StudyID: '', // (0020,0010) type 2
    AccessionNumber: '', // (0008,0050) type 2
    Modality: 'OPT', // (0008,0060) PS3.3 C.8.17.6
    SeriesInstanceUID: ids.series, // (0020,000E)
    SeriesNumber: '2', // (0020,0011): the localizer's series is 1
    SeriesDescription: 'Synthetic macular cube', // (0008,103E)
    FrameOfReferenceUID: newUid(o.uidRoot ?? '2.25'), // (0020,0052) PS3.3 C.7.4.1
    PositionReferenceIndicator: '', // (0020,1040) type 2
    SynchronizationFrameOfReferenceUID: ids.sync, // (0020,0200) PS3.3 C.7.4.2
    SynchronizationTrigger: 'NO TRIGGER', // (0018,106A)
    AcquisitionTimeSynchronized: 'N', // (0018,1800)
    Manufacturer: 'EyePACS Open test data', // (0008,0070) type 1 in C.7.5.2
    ManufacturerModelName: 'generate-opt', // (0008,1090)
    DeviceSerialNumber: '0001', // (0018,1000)
    SoftwareVersions: '0.1.0', // (0018,1020)
    ...optImageModule(b, frames, at),
    ...optParameters(o.laterality),
    ...functionalGroups(o, ids, b, frames, start),
  };
}

/** Image Pixel (C.7.6.3) and OPT Image (C.8.17.7) Modules. */
function optImageModule(b: Bscan, frames: number, at: ReturnType<typeof dicomDateTime>) {
  return {
    ImageType: ['ORIGINAL', 'PRIMARY'], // (0008,0008)
    InstanceNumber: '1', // (0020,0013)
    ContentDate: at.date, // (0008,0023)
    ContentTime: at.time, // (0008,0033)
    AcquisitionDateTime: at.dateTime, // (0008,002A)
    AcquisitionDuration: (frames * FRAME_DURATION_MS) / 1000, // (0018,9073) FD, seconds
    AcquisitionNumber: '1', // (0020,0012)
    NumberOfFrames: String(frames), // (0028,0008)
    SamplesPerPixel: 1, // (0028,0002)
    PhotometricInterpretation: 'MONOCHROME2', // (0028,0004)
    Rows: b.rows, // (0028,0010)
    Columns: b.columns, // (0028,0011)
    BitsAllocated: 8, // (0028,0100)
    BitsStored: 8, // (0028,0101)
    HighBit: 7, // (0028,0102)
    PixelRepresentation: 0, // (0028,0103)
    PresentationLUTShape: 'IDENTITY', // (2050,0020)
    LossyImageCompression: '00', // (0028,2110)
    // The orientation box burned into the source B-scan identifies no patient or date.
    BurnedInAnnotation: 'NO', // (0028,0301)
    ConcatenationFrameOffsetNumber: 0, // (0020,9228): C.8.17.7 forbids concatenations
    InConcatenationNumber: 1, // (0020,9162)
    InConcatenationTotalNumber: 1, // (0020,9163)
    // Geometry is nominal, so the instance does not claim to suit volumetric processing.
    OphthalmicVolumetricPropertiesFlag: 'NO', // (0022,1622)
    ImageComments: 'Synthetic volume made from one real B-scan. Not clinical data.', // (0020,4000)
  };
}

/** OPT Acquisition Parameters (C.8.17.8), OPT Parameters (C.8.17.9), Ocular Region (C.8.17.5). */
function optParameters(laterality: 'R' | 'L') {
  return {
    AxialLengthOfTheEye: [], // (0022,0030) type 2
    HorizontalFieldOfView: [], // (0022,000C) type 2
    RefractiveStateSequence: [], // (0022,001B) type 2
    EmmetropicMagnification: [], // (0022,000A) type 2
    IntraOcularPressure: [], // (0022,000B) type 2
    PupilDilated: '', // (0022,000D) type 2
    AcquisitionDeviceTypeCodeSequence: [
      code('392012008', 'SCT', 'Optical Coherence Tomography Scanner'), // CID 4210
    ],
    LightPathFilterTypeStackCodeSequence: [], // (0022,0017) type 2
    DetectorType: 'INT', // (0018,7004) interferometer
    // Nominal spectral-domain OCT values; required (1C) for an OCT scanner.
    IlluminationWaveLength: 840, // (0022,0055) nm
    IlluminationPower: 750, // (0022,0056) µW
    IlluminationBandwidth: 50, // (0022,0057) nm
    DepthSpatialResolution: 7, // (0022,0035) µm
    MaximumDepthDistortion: 1, // (0022,0036) %
    AlongScanSpatialResolution: 20, // (0022,0037) µm
    MaximumAlongScanDistortion: 1, // (0022,0038) %
    AcrossScanSpatialResolution: 20, // (0022,0048) µm
    MaximumAcrossScanDistortion: 1, // (0022,0049) %
    ImageLaterality: laterality, // (0020,0062)
    AnatomicRegionSequence: [code('5665001', 'SCT', 'Retina')], // (0008,2218), CID 4209
    AcquisitionContextSequence: [], // (0040,0555) type 2, PS3.3 C.7.6.14
  };
}

/**
 * Multi-frame Functional Groups (C.7.6.16) as constrained by PS3.3 A.52.4.3, and Multi-frame
 * Dimension (C.7.6.17): frames are indexed by Stack ID and In-Stack Position Number.
 */
function functionalGroups(o: TOptions, ids: Ids, b: Bscan, frames: number, start: Date) {
  const spacing = SCAN_MM / frames;
  const dimensionOrg = newUid(o.uidRoot ?? '2.25');
  const localizer = {
    ReferencedSOPClassUID: OP_8BIT_SOP_CLASS_UID, // (0008,1150)
    ReferencedSOPInstanceUID: ids.localizer, // (0008,1155)
    PurposeOfReferenceCodeSequence: [code('121311', 'DCM', 'Localizer')], // (0040,A170)
  };
  const dimension = (pointer: number, label: string) => ({
    DimensionOrganizationUID: dimensionOrg, // (0020,9164)
    DimensionIndexPointer: pointer, // (0020,9165)
    FunctionalGroupPointer: 0x00209111, // (0020,9167) Frame Content Sequence
    DimensionDescriptionLabel: label, // (0020,9421)
  });

  return {
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrg }], // (0020,9221)
    DimensionOrganizationType: '3D', // (0020,9311)
    DimensionIndexSequence: [
      dimension(0x00209056, 'Stack ID'),
      dimension(0x00209057, 'B-scan position'),
    ], // (0020,9222)
    SharedFunctionalGroupsSequence: [sharedGroups(o, b, spacing, localizer)], // (5200,9229)
    PerFrameFunctionalGroupsSequence: Array.from({ length: frames }, (_, i) =>
      perFrameGroups(i, { o, frames, start, spacing, localizer }),
    ), // (5200,9230)
  };
}

function sharedGroups(o: TOptions, b: Bscan, spacing: number, localizer: object) {
  return {
    PixelMeasuresSequence: [
      {
        PixelSpacing: [formatDs(AXIAL_SPACING_MM), formatDs(SCAN_MM / b.columns)], // (0028,0030)
        SliceThickness: formatDs(spacing), // (0018,0050)
        SpacingBetweenSlices: formatDs(spacing), // (0018,0088)
      },
    ],
    // Nominal patient axes: rows run along +x, columns go deeper (+y, posterior).
    PlaneOrientationSequence: [{ ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'] }],
    ReferencedImageSequence: [localizer], // required: a localizer exists (A.52.4.3)
    FrameAnatomySequence: [
      {
        AnatomicRegionSequence: [code('5665001', 'SCT', 'Retina')], // (0008,2218)
        FrameLaterality: o.laterality, // (0020,9072)
      },
    ],
  };
}

type Volume = { o: TOptions; frames: number; start: Date; spacing: number; localizer: object };

function perFrameGroups(i: number, { o, frames, start, spacing, localizer }: Volume) {
  const at = dicomDateTime(new Date(start.getTime() + i * FRAME_DURATION_MS)).dateTime;
  return {
    FrameContentSequence: [
      {
        FrameAcquisitionDateTime: at, // (0018,9074)
        FrameReferenceDateTime: at, // (0018,9151)
        FrameAcquisitionDuration: FRAME_DURATION_MS, // (0018,9220) FD, ms
        StackID: '1', // (0020,9056)
        InStackPositionNumber: i + 1, // (0020,9057)
        DimensionIndexValues: [1, i + 1], // (0020,9157)
      },
    ],
    PlanePositionSequence: [
      {
        ImagePositionPatient: [-SCAN_MM / 2, 0, SCAN_MM / 2 - (i + 0.5) * spacing].map(formatDs),
      },
    ],
    OphthalmicFrameLocationSequence: [
      {
        ...localizer,
        ReferenceCoordinates: scanLine(i, frames, o.laterality), // (0022,0032)
        OphthalmicImageOrientation: 'LINEAR', // (0022,0039)
      },
    ],
  };
}

/**
 * PS3.3 C.8.17.10.1.1: for a LINEAR frame, the localizer (row, column) of the frame's first and
 * last columns. B-scans run top to bottom across the scan square; the first column is temporal,
 * which is the left of a right-eye photo and the right of the mirrored left-eye one.
 */
function scanLine(i: number, frames: number, laterality: 'R' | 'L'): number[] {
  const top = FOVEA.row - SCAN_HALF_PX;
  const row = top + ((i + 0.5) * 2 * SCAN_HALF_PX) / frames;
  const left = FOVEA.column - SCAN_HALF_PX;
  const right = FOVEA.column + SCAN_HALF_PX;
  const [first, last] = laterality === 'R' ? [left, right] : [600 - left, 600 - right];
  return [row, first, row, last];
}
