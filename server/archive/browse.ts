/**
 * The web app's patient and study browser: a study search, a patient's timeline of visits with
 * thumbnails per eye, and the patient lookup behind the IHE Invoke Image Display launch
 * (server/archive/launch.ts). Every query is narrowed by visibleStudies (server/auth/access.ts),
 * and what a person is shown is on the audit trail: one VIEW per study listed, as QIDO does.
 */
import { z } from 'zod';
import { auditMany, type AuditEntry, type AuditOrigin } from '../auth/audit';
import { visibleStudies } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { ArchiveContext } from './context';
import { patientIdsByName, studyWhere, type MatchValue } from './query';
import { hasWildcard } from './search-text';

export const SEARCH_PAGE_SIZE = 25;
export const TIMELINE_PAGE_SIZE = 10;
/**
 * Thumbnails drawn per eye and visit; the rest are counted. Some devices store each B-scan as
 * an instance, hundreds per visit, which the viewer shows better than a wall of thumbnails.
 */
export const THUMBNAILS_PER_EYE = 12;

/** Modalities offered in the search form: the ophthalmic ones first (PS3.3 C.7.3.1.1.1). */
export const BROWSE_MODALITIES = [
  ['OP', 'Ophthalmic photography'],
  ['OPT', 'Ophthalmic tomography (OCT)'],
  ['OPM', 'Ophthalmic mapping'],
  ['OPV', 'Visual field'],
  ['OAM', 'Axial measurements'],
  ['XC', 'External camera'],
  ['US', 'Ultrasound'],
  ['DOC', 'Document'],
  ['SR', 'Structured report'],
  ['OT', 'Other'],
] as const;

/** Who is looking, and from where: every service here audits what it shows. */
export interface BrowseActor {
  principal: Principal;
  origin?: AuditOrigin;
}

/** Form fields arrive as strings, empty when left blank: blank means "any". */
function field<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    return s === '' ? undefined : s;
  }, schema.optional());
}

export const ZStudySearch = z
  .object({
    /** Words found anywhere in the name, or a DICOM wildcard pattern ("*", "?"). */
    name: field(z.string().max(64)),
    patientID: field(z.string().max(64)),
    issuer: field(z.string().max(64)),
    /** First and last study date, YYYY-MM-DD. */
    from: field(z.iso.date()),
    to: field(z.iso.date()),
    siteId: field(z.uuid()),
    modality: field(
      z
        .string()
        .toUpperCase()
        .regex(/^[A-Z0-9]{1,16}$/, 'not a modality code'),
    ),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(SEARCH_PAGE_SIZE),
  })
  .refine((s) => !s.from || !s.to || s.from <= s.to, {
    message: 'The first date must not be after the last.',
    path: ['to'],
  });
export type TStudySearch = z.infer<typeof ZStudySearch>;
export const SEARCH_KEYS = ['name', 'patientID', 'issuer', 'from', 'to', 'siteId', 'modality'];

export interface PatientSummary {
  /** Our id: the timeline's address and the audit trail's name for the patient. */
  id: string;
  patientID: string;
  issuerOfPatientID: string;
  patientName: string | null;
  patientBirthDate: string | null;
  patientSex: string | null;
}

export interface StudyRow {
  studyInstanceUID: string;
  studyDate: string | null;
  studyTime: string | null;
  studyDescription: string | null;
  accessionNumber: string | null;
  modalities: string[];
  numberOfInstances: number;
  /** ImageLaterality values found among the study's images. */
  lateralities: string[];
  site: { code: string; name: string } | null;
  patient: PatientSummary;
}

export interface Page<T> {
  rows: T[];
  page: number;
  hasMore: boolean;
}

/** Newest first; the id last keeps paging stable between studies of the same date. */
export const NEWEST_FIRST: Prisma.StudyOrderByWithRelationInput[] = [
  { studyDate: { sort: 'desc', nulls: 'last' } },
  { studyTime: { sort: 'desc', nulls: 'last' } },
  { createdAt: 'desc' },
  { id: 'asc' },
];

export const PATIENT_SELECT = {
  id: true,
  patientID: true,
  issuerOfPatientID: true,
  patientName: true,
  patientBirthDate: true,
  patientSex: true,
} satisfies Prisma.PatientSelect;

export const STUDY_ROW_INCLUDE = {
  patient: { select: PATIENT_SELECT },
  site: { select: { code: true, name: true } },
  instances: { select: { imageLaterality: true }, distinct: ['imageLaterality'] },
} satisfies Prisma.StudyInclude;

type StudyWithRow = Prisma.StudyGetPayload<{ include: typeof STUDY_ROW_INCLUDE }>;

/** Right eye before left, as clinicians read them, then B (both) and anything else. */
function eyeOrder(laterality: string): number {
  const i = ['R', 'L', 'B'].indexOf(laterality);
  return i < 0 ? 3 : i;
}

export function toStudyRow(s: StudyWithRow): StudyRow {
  return {
    studyInstanceUID: s.studyInstanceUID,
    studyDate: s.studyDate,
    studyTime: s.studyTime,
    studyDescription: s.studyDescription,
    accessionNumber: s.accessionNumber,
    modalities: s.modalitiesInStudy,
    numberOfInstances: s.numberOfInstances,
    lateralities: s.instances
      .map((i) => i.imageLaterality)
      .filter((l): l is string => !!l)
      .sort((a, b) => eyeOrder(a) - eyeOrder(b)),
    site: s.site,
    patient: s.patient,
  };
}

/**
 * The patients `p` may see: those with a study they may see, and (for a person, not an API
 * token, which is narrowed to one site's studies) those a live referral or consult grant opens
 * before any study has arrived. This mirrors the patient grants of visibleStudies.
 */
export function visiblePatients(p: Principal, now = new Date()): Prisma.PatientWhereInput {
  const any: Prisma.PatientWhereInput[] = [{ studies: { some: visibleStudies(p, now) } }];
  if (!p.token) {
    const live = { granteeId: p.userId, revokedAt: null, expiresAt: { gt: now } };
    any.push({ grants: { some: { ...live, kind: { in: ['REFERRAL', 'CONSULT'] } } } });
  }
  return { OR: any };
}

/** One VIEW per study shown, naming the study's site so that its admins see the look. */
export async function auditStudiesShown(
  ctx: ArchiveContext,
  actor: BrowseActor,
  studies: Array<{ studyInstanceUID: string; patientId: string; siteId: string | null }>,
  resource: string,
): Promise<void> {
  const entries: AuditEntry[] = studies.map((s) => ({
    action: 'VIEW',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    patientId: s.patientId,
    studyInstanceUID: s.studyInstanceUID,
    siteId: s.siteId ?? undefined,
    resource,
  }));
  await auditMany(ctx.db, ctx.log, entries);
}

/**
 * Patients whose name matches what was typed in the search box. With a DICOM wildcard it is
 * the PatientName matching of QIDO (PS3.4 C.2.2.2.4); without one, every word must appear
 * somewhere in the name, in any order, as people type names into a search box. Both ignore
 * case and accents.
 *
 * Limitation: the matching patients' ids are collected before the studies are filtered, so a
 * one-letter search in an archive of hundreds of thousands of patients sends a long id list.
 */
async function patientsNamed(db: Db, name: string): Promise<string[]> {
  if (hasWildcard(name)) return patientIdsByName(db, name);
  const words = name.split(/[\s,^]+/).filter(Boolean);
  let ids: string[] | null = null;
  for (const word of words) {
    const found = new Set(await patientIdsByName(db, `*${word}*`));
    ids = ids ? ids.filter((id) => found.has(id)) : [...found];
    if (!ids.length) break;
  }
  return ids ?? [];
}

/** "2024-03-01" and "2024-03-31" as a DA range matching value, "20240301-20240331". */
function dateMatch(from?: string, to?: string): string | undefined {
  if (!from && !to) return undefined;
  const da = (d?: string) => (d ? d.replaceAll('-', '') : '');
  return from && to && from === to ? da(from) : `${da(from)}-${da(to)}`;
}

async function searchWhere(db: Db, s: TStudySearch): Promise<Prisma.StudyWhereInput> {
  const matches: MatchValue[] = [];
  if (s.patientID) matches.push({ keyword: 'PatientID', value: s.patientID });
  if (s.issuer) matches.push({ keyword: 'IssuerOfPatientID', value: s.issuer });
  const dates = dateMatch(s.from, s.to);
  if (dates) matches.push({ keyword: 'StudyDate', value: dates });
  if (s.modality) matches.push({ keyword: 'ModalitiesInStudy', value: s.modality });

  const and: Prisma.StudyWhereInput[] = [await studyWhere(db, matches)];
  if (s.name) and.push({ patientId: { in: await patientsNamed(db, s.name) } });
  if (s.siteId) and.push({ siteId: s.siteId });
  return { AND: and };
}

/** Studies matching every criterion given, newest first, one page at a time. */
export async function searchStudies(
  ctx: ArchiveContext,
  actor: BrowseActor,
  search: TStudySearch,
): Promise<Page<StudyRow>> {
  const where = await searchWhere(ctx.db, search);
  const studies = await ctx.db.study.findMany({
    where: { AND: [where, visibleStudies(actor.principal)] },
    orderBy: NEWEST_FIRST,
    skip: (search.page - 1) * search.pageSize,
    take: search.pageSize + 1,
    include: STUDY_ROW_INCLUDE,
  });

  const shown = studies.slice(0, search.pageSize);
  await auditStudiesShown(ctx, actor, shown, '/studies');
  return {
    rows: shown.map(toStudyRow),
    page: search.page,
    hasMore: studies.length > search.pageSize,
  };
}

/** What the search form offers: the sites of the studies one may see, and modality codes. */
export async function browseOptions(ctx: ArchiveContext, principal: Principal) {
  const sites = await ctx.db.site.findMany({
    where: { studies: { some: visibleStudies(principal) } },
    select: { id: true, code: true, name: true },
    orderBy: { code: 'asc' },
  });
  const modalities = BROWSE_MODALITIES.map(([code, label]) => ({ code, label }));
  return { sites, modalities };
}
