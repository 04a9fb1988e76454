/**
 * A patient's timeline: their visits (studies) newest first, each with thumbnails per eye. The
 * eye is each image's own ImageLaterality (0020,0062), never the series' Laterality (0020,0060):
 * an imaging series may hold both eyes, and a series-level value would put half of it in the
 * wrong column. Images without one go to a third group, never guessed.
 */
import { z } from 'zod';
import { visibleStudies } from '../auth/access';
import { Prisma } from '../db/generated/client';
import {
  auditStudiesShown,
  NEWEST_FIRST,
  PATIENT_SELECT,
  THUMBNAILS_PER_EYE,
  TIMELINE_PAGE_SIZE,
  visiblePatients,
  type Page,
  type PatientSummary,
  type BrowseActor,
} from './browse';
import type { ArchiveContext } from './context';

export const ZTimelineInput = z.object({
  patientId: z.uuid(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type TTimelineInput = z.infer<typeof ZTimelineInput>;

/** OD: right eye (ImageLaterality R); OS: left eye (L); anything else or nothing: unknown. */
export type Eye = 'OD' | 'OS' | 'unknown';
export const EYES: readonly Eye[] = ['OD', 'OS', 'unknown'];

export interface Thumbnail {
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** As stored: R, L, B (both), U (unpaired) or null. */
  imageLaterality: string | null;
  modality: string | null;
  instanceNumber: number | null;
  numberOfFrames: number | null;
  /** False for documents and reports: they have no pixels to draw a thumbnail from. */
  hasImage: boolean;
}

export interface EyeGroup {
  /** Images of this eye in the visit; `shown` holds the first THUMBNAILS_PER_EYE of them. */
  total: number;
  shown: Thumbnail[];
}

export interface Visit {
  studyInstanceUID: string;
  studyDate: string | null;
  studyTime: string | null;
  studyDescription: string | null;
  accessionNumber: string | null;
  modalities: string[];
  numberOfInstances: number;
  site: { code: string; name: string } | null;
  eyes: Record<Eye, EyeGroup>;
}

export interface Timeline extends Page<Visit> {
  patient: PatientSummary;
}

interface ThumbnailRow {
  studyId: string;
  eye: Eye;
  total: number;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  imageLaterality: string | null;
  modality: string | null;
  instanceNumber: number | null;
  numberOfFrames: number | null;
  hasImage: boolean;
}

/**
 * The first images of each eye of each study, in series and instance order, with the count of
 * all, in one query. `studyIds` are studies already checked visible.
 */
async function thumbnailsOf(ctx: ArchiveContext, studyIds: string[]): Promise<ThumbnailRow[]> {
  if (!studyIds.length) return [];
  const ids = Prisma.join(studyIds.map((id) => Prisma.sql`${id}::uuid`));
  return ctx.db.$queryRaw<ThumbnailRow[]>`
    WITH images AS (
      SELECT i."studyId", i."sopInstanceUID", i."imageLaterality", i."instanceNumber",
             i."numberOfFrames", i."pixelInfo" IS NOT NULL AS "hasImage",
             se."seriesInstanceUID", se.modality, se."seriesNumber",
             CASE i."imageLaterality" WHEN 'R' THEN 'OD' WHEN 'L' THEN 'OS' ELSE 'unknown' END
               AS eye
      FROM "Instance" i JOIN "Series" se ON se.id = i."seriesId"
      WHERE i."studyId" IN (${ids})
    ), ranked AS (
      SELECT images.*,
             row_number() OVER (PARTITION BY "studyId", eye ORDER BY "seriesNumber" NULLS LAST,
               "seriesInstanceUID", "instanceNumber" NULLS LAST, "sopInstanceUID") AS n,
             count(*) OVER (PARTITION BY "studyId", eye)::int AS total
      FROM images
    )
    SELECT "studyId"::text AS "studyId", eye, total, "seriesInstanceUID", "sopInstanceUID",
           "imageLaterality", "instanceNumber", "numberOfFrames", "hasImage", modality
    FROM ranked WHERE n <= ${THUMBNAILS_PER_EYE}
    ORDER BY "studyId", eye, n`;
}

function groupByEye(rows: ThumbnailRow[]): Record<Eye, EyeGroup> {
  const eyes: Record<Eye, EyeGroup> = {
    OD: { total: 0, shown: [] },
    OS: { total: 0, shown: [] },
    unknown: { total: 0, shown: [] },
  };
  for (const { studyId: _s, eye, total, ...thumb } of rows) {
    eyes[eye].total = total;
    eyes[eye].shown.push(thumb);
  }
  return eyes;
}

/**
 * The patient's visits that `actor` may see, newest first, one page at a time; null when the
 * patient does not exist or is not shared with them (the caller cannot tell which).
 */
export async function patientTimeline(
  ctx: ArchiveContext,
  actor: BrowseActor,
  input: TTimelineInput,
): Promise<Timeline | null> {
  const patient = await ctx.db.patient.findFirst({
    where: { AND: [{ id: input.patientId }, visiblePatients(actor.principal)] },
    select: PATIENT_SELECT,
  });
  if (!patient) return null;

  const studies = await ctx.db.study.findMany({
    where: { AND: [{ patientId: patient.id }, visibleStudies(actor.principal)] },
    orderBy: NEWEST_FIRST,
    skip: (input.page - 1) * TIMELINE_PAGE_SIZE,
    take: TIMELINE_PAGE_SIZE + 1,
    include: { site: { select: { code: true, name: true } } },
  });
  const shown = studies.slice(0, TIMELINE_PAGE_SIZE);
  const thumbs = await thumbnailsOf(
    ctx,
    shown.map((s) => s.id),
  );

  await auditStudiesShown(ctx, actor, shown, `/patients/${patient.id}`);
  const visits = shown.map((s) => ({
    studyInstanceUID: s.studyInstanceUID,
    studyDate: s.studyDate,
    studyTime: s.studyTime,
    studyDescription: s.studyDescription,
    accessionNumber: s.accessionNumber,
    modalities: s.modalitiesInStudy,
    numberOfInstances: s.numberOfInstances,
    site: s.site,
    eyes: groupByEye(thumbs.filter((t) => t.studyId === s.id)),
  }));
  return { patient, rows: visits, page: input.page, hasMore: studies.length > TIMELINE_PAGE_SIZE };
}
