/**
 * Measurements and annotations a reader draws on a study, saved per study and per user: each
 * person sees and changes only their own. Every call first checks that the study is one the
 * person may see (server/auth/access.ts), so an annotation never reveals a study's existence.
 */
import { visibleStudies } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import {
  ZAnnotationData,
  type SavedAnnotation,
  type TAnnotationSave,
  type TAnnotationTool,
} from './annotation-types';

const NO_STUDY = 'No study you may see has this Study Instance UID.';

async function visibleStudyId(db: Db, principal: Principal, studyInstanceUID: string) {
  const study = await db.study.findFirst({
    where: { AND: [{ studyInstanceUID }, visibleStudies(principal)] },
    select: { id: true },
  });
  if (!study) throw new AppError('NOT_FOUND', NO_STUDY);
  return study.id;
}

function assertMayWrite(principal: Principal): void {
  if (principal.token && !principal.token.write) {
    throw new AppError('FORBIDDEN', 'This API token is read-only: it cannot save annotations.');
  }
}

type Row = {
  id: string;
  sopInstanceUID: string;
  frameNumber: number | null;
  toolName: string;
  data: unknown;
  label: string | null;
  value: number | null;
  unit: string | null;
  updatedAt: Date;
};

function toSaved(row: Row): SavedAnnotation {
  // Rows were validated on the way in; parse again so a hand-edited row cannot break a viewer.
  const data = ZAnnotationData.safeParse(row.data);
  return {
    id: row.id,
    sopInstanceUID: row.sopInstanceUID,
    frameNumber: row.frameNumber,
    toolName: row.toolName as TAnnotationTool,
    data: data.success ? data.data : { points: [[0, 0]] },
    label: row.label,
    value: row.value,
    unit: row.unit,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The caller's annotations on a study, oldest first. */
export async function listAnnotations(
  db: Db,
  principal: Principal,
  options: { studyInstanceUID: string },
): Promise<SavedAnnotation[]> {
  const studyId = await visibleStudyId(db, principal, options.studyInstanceUID);
  const rows = await db.annotation.findMany({
    where: { studyId, userId: principal.userId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toSaved);
}

/**
 * Creates an annotation, or replaces one of the caller's own when `id` is given. The instance
 * must belong to the study.
 */
export async function saveAnnotation(
  db: Db,
  principal: Principal,
  input: TAnnotationSave,
): Promise<SavedAnnotation> {
  assertMayWrite(principal);
  const studyId = await visibleStudyId(db, principal, input.studyInstanceUID);
  const instance = await db.instance.findFirst({
    where: { studyId, sopInstanceUID: input.sopInstanceUID },
    select: { numberOfFrames: true },
  });
  if (!instance) throw new AppError('NOT_FOUND', 'This study holds no such instance.');
  if (input.frameNumber && input.frameNumber > Math.max(1, instance.numberOfFrames ?? 1)) {
    throw new AppError('BAD_REQUEST', 'This instance has fewer frames than frameNumber.');
  }

  const fields = {
    sopInstanceUID: input.sopInstanceUID,
    frameNumber: input.frameNumber ?? null,
    toolName: input.toolName,
    data: input.data,
    label: input.label ?? null,
    value: input.value ?? null,
    unit: input.unit ?? null,
  };
  if (!input.id) {
    return toSaved(
      await db.annotation.create({ data: { ...fields, studyId, userId: principal.userId } }),
    );
  }
  const updated = await db.annotation.updateMany({
    where: { id: input.id, studyId, userId: principal.userId },
    data: fields,
  });
  if (updated.count === 0) throw new AppError('NOT_FOUND', 'You have no annotation with this id.');
  return toSaved(await db.annotation.findUniqueOrThrow({ where: { id: input.id } }));
}

/** Deletes one of the caller's annotations on a study they may still see. */
export async function deleteAnnotation(
  db: Db,
  principal: Principal,
  options: { id: string },
): Promise<{ id: string }> {
  assertMayWrite(principal);
  const row = await db.annotation.findFirst({
    where: { id: options.id, userId: principal.userId, study: visibleStudies(principal) },
    select: { id: true },
  });
  if (!row) throw new AppError('NOT_FOUND', 'You have no annotation with this id.');
  await db.annotation.delete({ where: { id: row.id } });
  return { id: row.id };
}
