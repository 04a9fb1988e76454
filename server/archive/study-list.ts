/**
 * The study list a person sees first: newest studies first, with what identifies each at a
 * glance and the instance to draw its thumbnail from.
 */
import { visibleStudies } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ArchiveContext } from './context';

export interface StudyListItem {
  studyInstanceUID: string;
  studyDate: string | null;
  studyDescription: string | null;
  patientName: string | null;
  patientID: string;
  /** Our id of the patient: the address of their timeline. */
  patientUuid: string;
  modalities: string[];
  numberOfInstances: number;
  lateralities: string[];
  receivedAt: string;
}

export async function listStudies(
  ctx: ArchiveContext,
  principal: Principal,
  opts: { limit: number; offset: number },
): Promise<StudyListItem[]> {
  const studies = await ctx.db.study.findMany({
    where: visibleStudies(principal),
    orderBy: [{ createdAt: 'desc' }],
    take: opts.limit,
    skip: opts.offset,
    include: {
      patient: { select: { patientName: true, patientID: true } },
      instances: { select: { imageLaterality: true }, distinct: ['imageLaterality'] },
    },
  });
  return studies.map((s) => ({
    studyInstanceUID: s.studyInstanceUID,
    studyDate: s.studyDate,
    studyDescription: s.studyDescription,
    patientName: s.patient.patientName,
    patientID: s.patient.patientID,
    patientUuid: s.patientId,
    modalities: s.modalitiesInStudy,
    numberOfInstances: s.numberOfInstances,
    lateralities: s.instances.map((i) => i.imageLaterality).filter((l): l is string => !!l),
    receivedAt: s.createdAt.toISOString(),
  }));
}
