/**
 * Writes one stored instance into the index, in one transaction: patient, study, series,
 * instance, its metadata and its frame table. Called only after the blob is durable.
 */
import { AppError } from '../errors';
import type { Db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { sopClassInfo } from '../dicom/registry';
import type { ParsedInstance } from '../dicom/types';
import { searchKey } from './search-text';
import type { UploadSite } from './context';

export interface StoredBlob {
  key: string;
  sha256: string;
  size: number;
}

export type IndexOutcome =
  | { status: 'stored'; instanceId: string; patientId: string }
  | { status: 'already-stored'; instanceId: string; patientId: string };

type Tx = Prisma.TransactionClient;

export async function indexInstance(
  db: Db,
  parsed: ParsedInstance,
  blob: StoredBlob,
  site: UploadSite,
): Promise<IndexOutcome> {
  try {
    return await db.$transaction((tx) => indexInTx(tx, parsed, blob, site));
  } catch (e) {
    // Two uploads of the same new instance raced: the loser sees the winner's row.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      return db.$transaction((tx) => indexInTx(tx, parsed, blob, site));
    }
    throw e;
  }
}

async function indexInTx(
  tx: Tx,
  parsed: ParsedInstance,
  blob: StoredBlob,
  site: UploadSite,
): Promise<IndexOutcome> {
  const existing = await tx.instance.findUnique({
    where: { sopInstanceUID: parsed.sopInstanceUID },
    select: {
      id: true,
      sha256: true,
      transferSyntaxUID: true,
      study: { select: { patientId: true } },
    },
  });
  if (existing) return sameOrConflict(existing, blob.sha256, parsed.transferSyntaxUID);

  const patientId = await upsertPatient(tx, parsed, site);
  const study = await upsertStudy(tx, parsed, patientId, site);
  const series = await upsertSeries(tx, parsed, study.id);
  const instance = await createInstance(tx, parsed, blob, study.id, series.id);

  await tx.series.update({
    where: { id: series.id },
    data: { numberOfInstances: { increment: 1 } },
  });
  // One statement that adds the modality to the list as it is when the row is locked: parts of
  // one STOW indexed in parallel each add theirs, none overwrites another's (a read-then-write
  // of the list did, under READ COMMITTED).
  const modality = parsed.series.modality ?? null;
  await tx.$executeRaw`
    UPDATE "Study" SET
      "numberOfInstances" = "numberOfInstances" + 1,
      "numberOfSeries" = "numberOfSeries" + ${series.created ? 1 : 0},
      "modalitiesInStudy" = CASE
        WHEN ${modality}::text IS NULL OR ${modality}::text = ANY("modalitiesInStudy")
          THEN "modalitiesInStudy"
        ELSE ARRAY(SELECT m FROM unnest(array_append("modalitiesInStudy", ${modality}::text)) AS m ORDER BY m)
      END
    WHERE id = ${study.id}::uuid`;
  return { status: 'stored', instanceId: instance.id, patientId };
}

function sameOrConflict(
  existing: { id: string; sha256: string; transferSyntaxUID: string; study: { patientId: string } },
  sha256: string,
  transferSyntaxUID: string,
): IndexOutcome {
  if (existing.sha256 === sha256) {
    return {
      status: 'already-stored',
      instanceId: existing.id,
      patientId: existing.study.patientId,
    };
  }
  const syntax =
    existing.transferSyntaxUID === transferSyntaxUID
      ? ''
      : ` (stored in transfer syntax ${existing.transferSyntaxUID}, this copy is in ${transferSyntaxUID})`;
  throw new AppError(
    'CONFLICT_DIFFERENT_BYTES',
    `An instance with this SOPInstanceUID is already stored with different content${syntax}; ` +
      'the stored instance was kept unchanged. Send corrections under a new SOPInstanceUID.',
  );
}

async function upsertPatient(tx: Tx, p: ParsedInstance, site: UploadSite): Promise<string> {
  const patientID = p.patient.patientID ?? '';
  // Without a PatientID nothing says two studies are the same person: keep each study apart
  // rather than merge every anonymous study of a site into one patient.
  const issuerOfPatientID = patientID
    ? p.patient.issuerOfPatientID || site.defaultIssuerOfPatientID
    : `urn:no-patient-id:${p.studyInstanceUID}`;
  const name = p.patient.patientName;
  const row = await tx.patient.upsert({
    where: { patientID_issuerOfPatientID: { patientID, issuerOfPatientID } },
    create: {
      patientID,
      issuerOfPatientID,
      patientName: name,
      patientNameSearch: name ? searchKey(name) : null,
      patientBirthDate: p.patient.patientBirthDate,
      patientSex: p.patient.patientSex,
    },
    update: {},
    select: { id: true },
  });
  return row.id;
}

async function upsertStudy(tx: Tx, p: ParsedInstance, patientId: string, site: UploadSite) {
  const found = await tx.study.findUnique({
    where: { studyInstanceUID: p.studyInstanceUID },
    select: { id: true, patientId: true, modalitiesInStudy: true, siteId: true },
  });
  if (found) {
    if (found.siteId && found.siteId !== site.id && !site.mayUploadTo(found.siteId)) {
      throw new AppError(
        'FORBIDDEN',
        'This StudyInstanceUID belongs to a site you cannot upload to; the instance was not stored.',
      );
    }
    if (found.patientId !== patientId) {
      throw new AppError(
        'INVALID_ATTRIBUTE',
        'This StudyInstanceUID is already stored for a different patient ' +
          '(PatientID / IssuerOfPatientID differ); the instance was not stored. ' +
          'Correct the patient identity or the study UID and send it again.',
      );
    }
    return found;
  }
  return tx.study.create({
    data: {
      studyInstanceUID: p.studyInstanceUID,
      patientId,
      siteId: site.id,
      studyDate: p.study.studyDate,
      studyTime: p.study.studyTime,
      accessionNumber: p.study.accessionNumber,
      studyID: p.study.studyID,
      studyDescription: p.study.studyDescription,
      referringPhysicianName: p.study.referringPhysicianName,
    },
    select: { id: true, patientId: true, modalitiesInStudy: true, siteId: true },
  });
}

async function upsertSeries(tx: Tx, p: ParsedInstance, studyId: string) {
  const found = await tx.series.findUnique({
    where: { seriesInstanceUID: p.seriesInstanceUID },
    select: { id: true, studyId: true },
  });
  if (found) {
    if (found.studyId !== studyId) {
      throw new AppError(
        'INVALID_ATTRIBUTE',
        'This SeriesInstanceUID is already stored in a different study; the instance was not ' +
          'stored.',
      );
    }
    return { id: found.id, created: false };
  }
  const row = await tx.series.create({
    data: {
      seriesInstanceUID: p.seriesInstanceUID,
      studyId,
      modality: p.series.modality,
      seriesNumber: p.series.seriesNumber,
      seriesDescription: p.series.seriesDescription,
      seriesDate: p.series.seriesDate,
      laterality: p.series.laterality,
    },
    select: { id: true },
  });
  return { id: row.id, created: true };
}

async function createInstance(
  tx: Tx,
  p: ParsedInstance,
  blob: StoredBlob,
  studyId: string,
  seriesId: string,
) {
  const { frames, ...pixelInfo } = p.pixelData ?? { frames: [] };
  const bulk = Object.fromEntries(p.bulkElements.map((b) => [b.tagPath, [b.offset, b.length]]));
  return tx.instance.create({
    data: {
      sopInstanceUID: p.sopInstanceUID,
      sopClassUID: p.sopClassUID,
      sopClassKnown: sopClassInfo(p.sopClassUID).known,
      seriesId,
      studyId,
      instanceNumber: p.instance.instanceNumber,
      imageLaterality: p.instance.imageLaterality,
      transferSyntaxUID: p.transferSyntaxUID,
      specificCharacterSet: p.specificCharacterSet,
      rows: p.instance.rows,
      columns: p.instance.columns,
      numberOfFrames: p.instance.numberOfFrames,
      manufacturer: p.instance.manufacturer,
      manufacturerModelName: p.instance.manufacturerModelName,
      contentDate: p.instance.contentDate,
      contentTime: p.instance.contentTime,
      sizeBytes: BigInt(blob.size),
      sha256: blob.sha256,
      storageKey: blob.key,
      warnings: p.warnings,
      pixelInfo: p.pixelData ? (pixelInfo as Prisma.InputJsonValue) : Prisma.DbNull,
      metadata: { create: { json: p.metadata as unknown as Prisma.InputJsonValue } },
      frames: {
        create: {
          ranges: frames.map((f) => f.ranges) as Prisma.InputJsonValue,
          bulk: bulk as Prisma.InputJsonValue,
        },
      },
    },
    select: { id: true },
  });
}
