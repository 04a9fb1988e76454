/**
 * Priors for the viewer: the same patient's earlier visits that hold images of the same eye
 * and the same SOP class as the image on screen (a fundus photo is compared with fundus photos,
 * an OCT volume with OCT volumes), newest first. Eye is each image's own ImageLaterality.
 * Only studies the caller may see count, and each prior offered is audited as a view.
 */
import { z } from 'zod';
import { visibleStudies } from '../auth/access';
import { ZUid } from '../dicom/encapsulate';
import { auditStudiesShown, NEWEST_FIRST, type BrowseActor } from './browse';
import type { ArchiveContext } from './context';

export const MAX_PRIORS = 10;

export const ZPriorsInput = z.object({
  studyInstanceUID: ZUid,
  laterality: z.enum(['R', 'L']),
  sopClassUID: ZUid,
});
export type TPriorsInput = z.infer<typeof ZPriorsInput>;

export interface PriorImage {
  seriesInstanceUID: string;
  sopInstanceUID: string;
  numberOfFrames: number | null;
}

export interface Prior {
  studyInstanceUID: string;
  studyDate: string | null;
  studyTime: string | null;
  studyDescription: string | null;
  /** Images of the eye and class asked for, in series and instance order. */
  images: PriorImage[];
}

/** DA + TM as one sortable key; a study without a date sorts before every dated one. */
function when(s: { studyDate: string | null; studyTime: string | null }): string {
  return `${s.studyDate ?? ''}${(s.studyTime ?? '').padEnd(13, '0')}`;
}

/**
 * Earlier visits with images of the eye and class asked for; null when the current study does
 * not exist or is not shared with the caller (the caller cannot tell which).
 */
export async function priorStudies(
  ctx: ArchiveContext,
  actor: BrowseActor,
  input: TPriorsInput,
): Promise<Prior[] | null> {
  const visible = visibleStudies(actor.principal);
  const current = await ctx.db.study.findFirst({
    where: { AND: [{ studyInstanceUID: input.studyInstanceUID }, visible] },
    select: { id: true, patientId: true, studyDate: true, studyTime: true },
  });
  if (!current) return null;
  if (!current.studyDate) return [];

  const candidates = await ctx.db.study.findMany({
    where: {
      AND: [
        { patientId: current.patientId, id: { not: current.id }, studyDate: { not: null } },
        { studyDate: { lte: current.studyDate } },
        visible,
        {
          instances: {
            some: { imageLaterality: input.laterality, sopClassUID: input.sopClassUID },
          },
        },
      ],
    },
    orderBy: NEWEST_FIRST,
    take: MAX_PRIORS + 5,
    select: {
      id: true,
      studyInstanceUID: true,
      patientId: true,
      siteId: true,
      studyDate: true,
      studyTime: true,
      studyDescription: true,
      instances: {
        where: { imageLaterality: input.laterality, sopClassUID: input.sopClassUID },
        select: {
          sopInstanceUID: true,
          numberOfFrames: true,
          instanceNumber: true,
          series: { select: { seriesInstanceUID: true, seriesNumber: true } },
        },
      },
    },
  });
  // Same day counts as earlier only when the time says so.
  const earlier = candidates.filter((s) => when(s) < when(current)).slice(0, MAX_PRIORS);

  await auditStudiesShown(ctx, actor, earlier, `/viewer/priors/${input.studyInstanceUID}`);
  return earlier.map((s) => ({
    studyInstanceUID: s.studyInstanceUID,
    studyDate: s.studyDate,
    studyTime: s.studyTime,
    studyDescription: s.studyDescription,
    images: s.instances
      .sort(
        (a, b) =>
          (a.series.seriesNumber ?? 0) - (b.series.seriesNumber ?? 0) ||
          a.series.seriesInstanceUID.localeCompare(b.series.seriesInstanceUID) ||
          (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0),
      )
      .map((i) => ({
        seriesInstanceUID: i.series.seriesInstanceUID,
        sopInstanceUID: i.sopInstanceUID,
        numberOfFrames: i.numberOfFrames,
      })),
  }));
}
