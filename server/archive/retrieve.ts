/**
 * Finding stored instances for WADO-RS: by study, series or instance UID, with what is needed
 * to stream them (blob key, size) and to serve frames (frame table, pixel description).
 */
import { AppError } from '../errors';
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { PixelDataInfo } from '../dicom/types';

export interface RetrieveScope {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
}

export interface StoredInstance {
  id: string;
  patientId: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  transferSyntaxUID: string;
  storageKey: string;
  sizeBytes: number;
  numberOfFrames: number | null;
  pixelInfo: Omit<PixelDataInfo, 'frames'> | null;
}

/**
 * The instances in `scope` that the caller may see (`visible`, from server/auth/access.ts).
 * Nothing visible answers NOT_FOUND, exactly as for UIDs that do not exist, so guessing UIDs
 * tells nothing.
 */
export async function findInstances(
  db: Db,
  scope: RetrieveScope,
  visible: Prisma.StudyWhereInput,
): Promise<StoredInstance[]> {
  const rows = await db.instance.findMany({
    where: {
      study: { AND: [{ studyInstanceUID: scope.studyInstanceUID }, visible] },
      ...(scope.seriesInstanceUID && { series: { seriesInstanceUID: scope.seriesInstanceUID } }),
      ...(scope.sopInstanceUID && { sopInstanceUID: scope.sopInstanceUID }),
    },
    include: {
      study: { select: { studyInstanceUID: true, patientId: true } },
      series: { select: { seriesInstanceUID: true, seriesNumber: true } },
    },
    orderBy: [{ instanceNumber: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
  });
  if (!rows.length) throw notFound(scope);
  return rows.map((r) => ({
    id: r.id,
    patientId: r.study.patientId,
    studyInstanceUID: r.study.studyInstanceUID,
    seriesInstanceUID: r.series.seriesInstanceUID,
    sopInstanceUID: r.sopInstanceUID,
    sopClassUID: r.sopClassUID,
    transferSyntaxUID: r.transferSyntaxUID,
    storageKey: r.storageKey,
    sizeBytes: Number(r.sizeBytes),
    numberOfFrames: r.numberOfFrames,
    pixelInfo: r.pixelInfo as StoredInstance['pixelInfo'],
  }));
}

export async function findInstance(
  db: Db,
  scope: Required<RetrieveScope>,
  visible: Prisma.StudyWhereInput,
): Promise<StoredInstance> {
  const [one] = await findInstances(db, scope, visible);
  return one;
}

export function notFound(scope: RetrieveScope): AppError {
  const what = scope.sopInstanceUID ? 'instance' : scope.seriesInstanceUID ? 'series' : 'study';
  return new AppError('NOT_FOUND', `No such ${what} in the archive.`);
}

export async function metadataOf(db: Db, ids: string[]): Promise<Map<string, unknown>> {
  const rows = await db.instanceMetadata.findMany({ where: { instanceId: { in: ids } } });
  return new Map(rows.map((r) => [r.instanceId, r.json]));
}

/** Frame table: for each frame the byte ranges of the stored file that make it up. */
export async function frameRanges(db: Db, instanceId: string) {
  const row = await db.instanceFrames.findUnique({ where: { instanceId } });
  return {
    frames: (row?.ranges ?? []) as Array<Array<[number, number]>>,
    bulk: (row?.bulk ?? {}) as Record<string, [number, number]>,
  };
}
