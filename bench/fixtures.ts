/**
 * The files both servers receive, made once per run so that ours and Orthanc get exactly the
 * same bytes: large OPT volumes (ingest), one 512-frame OPT (frame latency), fundus photos
 * wrapped as Ophthalmic Photography, and many tiny one-instance studies (query index).
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  imageToOphthalmicPhotography,
  newUid,
  writePart10,
} from '../server/dicom/encapsulate';
import { generateOpt, type GeneratedOpt } from '../server/dicom/opt-generator';
import type { BenchPlan } from './options';
import { seededRandom } from './stats';

export const FUNDUS_DIR = path.resolve(import.meta.dirname, '../../shared/data/fundus');

/** Seed of the frame-latency volume: frames fetched back are checked against it. */
export const WADO_SEED = 500;

/** Generates the ingest volumes (one seed each, so every repeat stores new UIDs). */
export async function makeVolumes(plan: BenchPlan, dir: string) {
  const ingestVolumes: GeneratedOpt[] = [];
  for (let i = 0; i < plan.ingestRepeats; i++) {
    const outDir = path.join(dir, `opt-${i + 1}`);
    ingestVolumes.push(await generateOpt({ outDir, size: plan.optSize, seed: 101 + i }));
  }
  const frames = plan.wadoFrames;
  const wadoVolume = await generateOpt({
    outDir: path.join(dir, 'opt-frames'),
    frames,
    seed: WADO_SEED,
  });
  // Stored after a restart: same size as the others, UIDs of its own.
  const restartDir = path.join(dir, 'opt-restart');
  const restartVolume = await generateOpt({ outDir: restartDir, size: plan.optSize, seed: 900 });
  return { ingestVolumes, wadoVolume, restartVolume };
}

/** Each photo is a real fundus JPEG, encapsulated unchanged, for a patient of its own. */
export async function makePhotos(count: number, dir: string) {
  const sources = (await readdir(FUNDUS_DIR)).filter((f) => /\.jpe?g$/i.test(f)).sort();
  if (sources.length === 0) throw new Error(`no fundus JPEG in ${FUNDUS_DIR}`);
  const jpegs = await Promise.all(sources.map((f) => readFile(path.join(FUNDUS_DIR, f))));
  await mkdir(dir, { recursive: true });

  const files: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const file = await imageToOphthalmicPhotography({
      bytes: jpegs[i % jpegs.length],
      contentType: 'image/jpeg',
      patient: { patientID: `BENCH-PHOTO-${pad(i)}`, patientName: `Photo^Patient${i}` },
      laterality: i % 2 ? 'L' : 'R',
    });
    const out = path.join(dir, `photo-${pad(i)}.dcm`);
    await writeFile(out, file);
    files.push(out);
    bytes += file.length;
  }
  return { files, bytes, sources };
}

export interface TinyStudy {
  patientID: string;
  studyDate: string;
  bytes: Buffer;
}

// One family name per initial letter, so a "X*" name query matches about 1/26 of the studies.
const FAMILY = [
  'Abara',
  'Baptiste',
  'Castro',
  'Dubois',
  'Eze',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhou',
];
const GIVEN = ['Ana', 'Ben', 'Chloe', 'David', 'Elif', 'Farah', 'Goran', 'Hana', 'Ines', 'Jon'];
const FIRST_DAY = Date.UTC(2010, 0, 1);
const DAYS = 15 * 365;

/**
 * `count` one-instance studies, each a 32x32 Secondary Capture (PS3.3 A.8.1) of its own patient,
 * written by dcmjs. Names and dates come from a seeded PRNG: the same on every run.
 */
export function makeTinyStudies(count: number): TinyStudy[] {
  const rand = seededRandom(42);
  const pixels = Buffer.alloc(32 * 32, 0x80);
  const out: TinyStudy[] = [];
  for (let i = 0; i < count; i++) {
    const family = FAMILY[Math.floor(rand() * FAMILY.length)];
    const given = GIVEN[Math.floor(rand() * GIVEN.length)];
    const day = new Date(FIRST_DAY + Math.floor(rand() * DAYS) * 86_400_000);
    const studyDate = day.toISOString().slice(0, 10).replace(/-/g, '');
    const patientID = `BENCH-${pad(i)}`;
    const dataset = tinyDataset({ patientID, name: `${family}^${given}`, studyDate });
    out.push({ patientID, studyDate, bytes: writePart10(dataset, pixelPayload(pixels)) });
  }
  return out;
}

function tinyDataset(p: { patientID: string; name: string; studyDate: string }) {
  return {
    SpecificCharacterSet: 'ISO_IR 100', // (0008,0005)
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', // (0008,0016) Secondary Capture Image Storage
    SOPInstanceUID: newUid(), // (0008,0018)
    PatientName: p.name, // (0010,0010)
    PatientID: p.patientID, // (0010,0020)
    PatientBirthDate: '', // (0010,0030)
    PatientSex: 'O', // (0010,0040)
    StudyInstanceUID: newUid(), // (0020,000D)
    StudyDate: p.studyDate, // (0008,0020)
    StudyTime: '101500', // (0008,0030)
    ReferringPhysicianName: '', // (0008,0090)
    StudyID: '1', // (0020,0010)
    AccessionNumber: '', // (0008,0050)
    StudyDescription: 'Benchmark study', // (0008,1030)
    Modality: 'OT', // (0008,0060)
    SeriesInstanceUID: newUid(), // (0020,000E)
    SeriesNumber: '1', // (0020,0011)
    ConversionType: 'WSD', // (0008,0064) workstation
    InstanceNumber: '1', // (0020,0013)
    SamplesPerPixel: 1, // (0028,0002)
    PhotometricInterpretation: 'MONOCHROME2', // (0028,0004)
    Rows: 32, // (0028,0010)
    Columns: 32, // (0028,0011)
    BitsAllocated: 8, // (0028,0100)
    BitsStored: 8, // (0028,0101)
    HighBit: 7, // (0028,0102)
    PixelRepresentation: 0, // (0028,0103)
  };
}

function pixelPayload(pixels: Buffer) {
  return { transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN, vr: 'OB' as const, values: [pixels] };
}

function pad(i: number): string {
  return String(i).padStart(6, '0');
}
