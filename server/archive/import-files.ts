/**
 * Importing files from disk (the ingest CLI, and later watched folders): DICOM files are
 * stored as they are; plain photos (JPEG, PNG, TIFF) become Ophthalmic Photography instances
 * when the patient and eye are given.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { AppError } from '../errors';
import type { ArchiveContext, UploadSite } from './context';
import { storeInstance, type StoreResult } from './store-instance';

export interface PhotoIdentity {
  patientID: string;
  issuerOfPatientID?: string;
  patientName?: string;
  laterality: 'R' | 'L';
}

/** Every regular file under the given paths, depth first, in name order. */
export async function listFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new AppError('NOT_FOUND', `No such file or folder: ${p}`);
    if (s.isFile()) out.push(p);
    else if (s.isDirectory()) {
      const entries = (await readdir(p)).sort();
      out.push(
        ...(await listFiles(entries.filter((e) => !e.startsWith('.')).map((e) => path.join(p, e)))),
      );
    }
  }
  return out;
}

const PHOTO_SIGNATURES: Array<[string, number[]]> = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['image/tiff', [0x4d, 0x4d, 0x00, 0x2a]],
];

/**
 * Sniffs the first bytes: a photo type, or null for anything else (DICOM or not). A DICOM file
 * may carry a TIFF header in its 128-byte preamble (PS3.10 §7.1 allows dual-format files), so
 * "DICM" at byte 128 wins over any image signature.
 */
export async function sniffPhoto(file: string): Promise<string | null> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(132);
    await fh.read(head, 0, 132, 0);
    if (head.toString('latin1', 128, 132) === 'DICM') return null;
    const hit = PHOTO_SIGNATURES.find(([, sig]) => sig.every((b, i) => head[i] === b));
    return hit ? hit[0] : null;
  } finally {
    await fh.close();
  }
}

export async function importFile(
  ctx: ArchiveContext,
  site: UploadSite,
  file: string,
  photo?: PhotoIdentity,
): Promise<StoreResult> {
  const photoType = await sniffPhoto(file);
  if (!photoType) return storeInstance(ctx, { source: createReadStream(file), site });
  if (!photo) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${photoType} file, not DICOM: give --patient-id and --eye to import it as an ophthalmic photograph.`,
    );
  }
  const { imageToOphthalmicPhotography } = await import('../dicom/encapsulate');
  const part10 = await imageToOphthalmicPhotography({
    bytes: await readFile(file),
    contentType: photoType,
    patient: {
      patientID: photo.patientID,
      issuerOfPatientID: photo.issuerOfPatientID,
      patientName: photo.patientName,
    },
    laterality: photo.laterality,
  });
  return storeInstance(ctx, { source: Readable.from([part10]), site });
}
