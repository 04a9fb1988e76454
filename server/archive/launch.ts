/**
 * IHE Invoke Image Display (IHE RAD TF-1 §35, TF-2 RAD-106): another system (an EHR, a
 * screening program) opens a study or a patient's images in our viewer with a plain URL,
 * `/view?studyUID=…` or `/view?patientID=…&issuer=…`. This decides what that URL shows.
 *
 * An unknown study or patient and one not shared with the caller give the same answer, so a
 * launch URL cannot be used to learn what the archive holds.
 */
import { z } from 'zod';
import { audit, auditMany } from '../auth/audit';
import { visibleStudies } from '../auth/access';
import type { ArchiveContext } from './context';
import {
  auditStudiesShown,
  NEWEST_FIRST,
  PATIENT_SELECT,
  STUDY_ROW_INCLUDE,
  toStudyRow,
  visiblePatients,
  type PatientSummary,
  type StudyRow,
  type BrowseActor,
} from './browse';

const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const ZLaunchInput = z.object({
  /** IID allows a comma-separated list of studies; the viewer opens the first. */
  studyUID: z.preprocess(blankIsAbsent, z.string().trim().max(1024).optional()),
  /** A bare PatientID, or the HL7 CX form IID sends, "ID^^^ISSUER" (ISSUER may be "NS&OID&ISO"). */
  patientID: z.preprocess(blankIsAbsent, z.string().trim().max(256).optional()),
  issuer: z.preprocess(blankIsAbsent, z.string().trim().max(64).optional()),
});
export type TLaunchInput = z.infer<typeof ZLaunchInput>;

export interface PatientChoice extends PatientSummary {
  /** Studies of this patient the caller may see. */
  visits: number;
}

export type Launch =
  | { kind: 'study'; study: StudyRow }
  /** The patient is shared with the caller but has no study yet: show the (empty) timeline. */
  | { kind: 'timeline'; patientId: string }
  /** A PatientID without issuer that names several patients: the caller picks one. */
  | { kind: 'choose'; patientID: string; patients: PatientChoice[] }
  | { kind: 'not-found' }
  /** Neither a study nor a patient was named. */
  | { kind: 'nothing-named' };

/**
 * The PatientID and issuer of a launch. In the CX form the issuer is the fourth component,
 * Assigning Authority (HL7 v2 CX.4), whose first non-empty subcomponent is what we keep as
 * IssuerOfPatientID; an `issuer` parameter, when given, wins.
 */
export function launchPatient(input: TLaunchInput): { patientID: string; issuer?: string } | null {
  if (!input.patientID) return null;
  const [id, , , authority] = input.patientID.split('^');
  const fromCx = authority
    ?.split('&')
    .map((s) => s.trim())
    .find(Boolean);
  const issuer = input.issuer ?? fromCx;
  return { patientID: id.trim(), ...(issuer && { issuer }) };
}

async function launchStudy(ctx: ArchiveContext, actor: BrowseActor, uids: string): Promise<Launch> {
  const studyInstanceUID = uids.split(/[,\\]/)[0].trim();
  const study = await ctx.db.study.findFirst({
    where: { AND: [{ studyInstanceUID }, visibleStudies(actor.principal)] },
    include: STUDY_ROW_INCLUDE,
  });
  if (!study) {
    await audit(ctx.db, ctx.log, {
      action: 'VIEW',
      outcome: 'DENIED',
      principal: actor.principal,
      origin: actor.origin,
      studyInstanceUID: studyInstanceUID.slice(0, 64),
      resource: '/view',
    });
    return { kind: 'not-found' };
  }
  await auditStudiesShown(ctx, actor, [study], '/view');
  return { kind: 'study', study: toStudyRow(study) };
}

async function launchPatientStudy(
  ctx: ArchiveContext,
  actor: BrowseActor,
  who: { patientID: string; issuer?: string },
): Promise<Launch> {
  const visible = visibleStudies(actor.principal);
  const patients = await ctx.db.patient.findMany({
    where: {
      AND: [
        { patientID: who.patientID },
        who.issuer ? { issuerOfPatientID: who.issuer } : {},
        visiblePatients(actor.principal),
      ],
    },
    select: { ...PATIENT_SELECT, _count: { select: { studies: { where: visible } } } },
    orderBy: { issuerOfPatientID: 'asc' },
  });

  if (!patients.length) {
    await audit(ctx.db, ctx.log, {
      action: 'VIEW',
      outcome: 'DENIED',
      principal: actor.principal,
      origin: actor.origin,
      resource: '/view',
      detail: { launch: 'patient' },
    });
    return { kind: 'not-found' };
  }

  if (patients.length > 1) {
    // A list of patients is a look at each of them, though no study is shown yet.
    await auditMany(
      ctx.db,
      ctx.log,
      patients.map((p) => ({
        action: 'VIEW' as const,
        outcome: 'SUCCESS' as const,
        principal: actor.principal,
        origin: actor.origin,
        patientId: p.id,
        resource: '/view',
      })),
    );
    const choices = patients.map(({ _count, ...p }) => ({ ...p, visits: _count.studies }));
    return { kind: 'choose', patientID: who.patientID, patients: choices };
  }

  const latest = await ctx.db.study.findFirst({
    where: { AND: [{ patientId: patients[0].id }, visible] },
    orderBy: NEWEST_FIRST,
    include: STUDY_ROW_INCLUDE,
  });
  if (!latest) return { kind: 'timeline', patientId: patients[0].id };
  await auditStudiesShown(ctx, actor, [latest], '/view');
  return { kind: 'study', study: toStudyRow(latest) };
}

/** What a launch URL opens for `actor`: a study, a patient's timeline, or a choice. */
export async function resolveLaunch(
  ctx: ArchiveContext,
  actor: BrowseActor,
  input: TLaunchInput,
): Promise<Launch> {
  if (input.studyUID) return launchStudy(ctx, actor, input.studyUID);
  const who = launchPatient(input);
  if (who?.patientID) return launchPatientStudy(ctx, actor, who);
  return { kind: 'nothing-named' };
}
