/**
 * QIDO-RS matching (PS3.18 §10.6, PS3.4 C.2.2.2) against the index only: no file is opened to
 * answer a query. Each supported matching key maps to a column; this module turns parsed match
 * values into Prisma filters and knows nothing of HTTP.
 */
import { AppError } from '../errors';
import type { Prisma } from '../db/generated/client';
import type { Db } from '../db/client';
import { hasWildcard, wildcardToLike } from './search-text';

export type Level = 'study' | 'series' | 'instance';

export interface MatchValue {
  keyword: string;
  value: string;
}

/** Keyword and tag of every matching key we support, by level. */
export const MATCH_KEYS: Record<string, { tag: string; levels: Level[] }> = {
  PatientID: { tag: '00100020', levels: ['study', 'series', 'instance'] },
  IssuerOfPatientID: { tag: '00100021', levels: ['study', 'series', 'instance'] },
  PatientName: { tag: '00100010', levels: ['study', 'series', 'instance'] },
  StudyDate: { tag: '00080020', levels: ['study', 'series', 'instance'] },
  AccessionNumber: { tag: '00080050', levels: ['study', 'series', 'instance'] },
  ModalitiesInStudy: { tag: '00080061', levels: ['study', 'series', 'instance'] },
  StudyInstanceUID: { tag: '0020000D', levels: ['study', 'series', 'instance'] },
  StudyID: { tag: '00200010', levels: ['study'] },
  StudyDescription: { tag: '00081030', levels: ['study'] },
  Modality: { tag: '00080060', levels: ['series', 'instance'] },
  SeriesInstanceUID: { tag: '0020000E', levels: ['series', 'instance'] },
  SeriesNumber: { tag: '00200011', levels: ['series'] },
  Laterality: { tag: '00200060', levels: ['series'] },
  SOPClassUID: { tag: '00080016', levels: ['instance'] },
  SOPInstanceUID: { tag: '00080018', levels: ['instance'] },
  InstanceNumber: { tag: '00200013', levels: ['instance'] },
  ImageLaterality: { tag: '00200062', levels: ['study', 'series', 'instance'] },
};

const TAG_TO_KEYWORD = new Map(Object.entries(MATCH_KEYS).map(([k, v]) => [v.tag, k]));

/** Accepts a keyword or an 8-digit hex tag; returns the keyword, or null if unsupported. */
export function matchKeyword(key: string): string | null {
  if (key in MATCH_KEYS) return key;
  return TAG_TO_KEYWORD.get(key.toUpperCase()) ?? null;
}

/** UID list matching (PS3.4 C.2.2.2.2): values separated by "\" (or "," as many clients do). */
function uidList(value: string): string[] {
  return value
    .split(/[\\,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Single value or wildcard match on a plain text column, case-sensitive as DICOM says. */
function textMatch(value: string): Prisma.StringFilter | string {
  if (!hasWildcard(value)) return value;
  const body = value.slice(0, -1);
  if (value.endsWith('*') && !hasWildcard(body)) return { startsWith: body };
  if (value.startsWith('*') && value.endsWith('*') && !hasWildcard(value.slice(1, -1))) {
    return { contains: value.slice(1, -1) };
  }
  // Other wildcard shapes are rare for these keys: match on the longest literal run.
  const literal = value.split(/[*?]/).sort((a, b) => b.length - a.length)[0] ?? '';
  return { contains: literal };
}

/** DA range matching (PS3.4 C.2.2.2.5): "D", "D1-D2", "-D2", "D1-". */
export function dateRange(value: string): Prisma.StringNullableFilter {
  const clean = value.replace(/\./g, '');
  const m = /^(\d{8})?(-)?(\d{8})?$/.exec(clean);
  if (!m || (!m[1] && !m[3])) {
    throw new AppError(
      'BAD_REQUEST',
      `StudyDate "${value}" is not a date or date range (YYYYMMDD-YYYYMMDD).`,
    );
  }
  if (!m[2]) return { equals: m[1] };
  return { ...(m[1] && { gte: m[1] }), ...(m[3] && { lte: m[3] }) };
}

/**
 * PatientName matching, case- and accent-insensitive: the value is compared with the whole
 * name and with each of its component groups (Alphabetic=Ideographic=Phonetic), so that a
 * query in kanji finds a name stored with both romaji and kanji. Wildcards as in PS3.4.
 */
export async function patientIdsByName(db: Db, value: string): Promise<string[]> {
  const p = hasWildcard(value) ? wildcardToLike(value) : wildcardToLike(value.replace(/[*?]/g, ''));
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM "Patient"
    WHERE "patientNameSearch" LIKE ${p}
       OR "patientNameSearch" LIKE ${p} || '=%'
       OR "patientNameSearch" LIKE '%=' || ${p}
       OR "patientNameSearch" LIKE '%=' || ${p} || '=%'`;
  return rows.map((r) => r.id);
}

/** Keys that select studies, usable at every level (relational queries, PS3.4 C.6.1.1.3). */
function studyKey(keyword: string, value: string): Prisma.StudyWhereInput | null {
  switch (keyword) {
    case 'PatientID':
      return { patient: { patientID: textMatch(value) } };
    case 'IssuerOfPatientID':
      return { patient: { issuerOfPatientID: textMatch(value) } };
    case 'StudyDate':
      return { studyDate: dateRange(value) };
    case 'AccessionNumber':
      return { accessionNumber: textMatch(value) };
    case 'ModalitiesInStudy':
      return { modalitiesInStudy: { hasSome: uidList(value) } };
    case 'StudyInstanceUID':
      return { studyInstanceUID: { in: uidList(value) } };
    case 'StudyID':
      return { studyID: textMatch(value) };
    case 'StudyDescription':
      return { studyDescription: textMatch(value) };
    default:
      return null;
  }
}

/** Keys that select series, usable at series and instance level. */
function seriesKey(keyword: string, value: string): Prisma.SeriesWhereInput | null {
  switch (keyword) {
    case 'SeriesInstanceUID':
      return { seriesInstanceUID: { in: uidList(value) } };
    case 'Modality':
      return { modality: { in: uidList(value) } };
    case 'SeriesNumber':
      return { seriesNumber: toInt(keyword, value) };
    case 'Laterality':
      return { laterality: value };
    default:
      return null;
  }
}

/** Keys that select instances. */
function instanceKey(keyword: string, value: string): Prisma.InstanceWhereInput | null {
  switch (keyword) {
    case 'SOPClassUID':
      return { sopClassUID: { in: uidList(value) } };
    case 'SOPInstanceUID':
      return { sopInstanceUID: { in: uidList(value) } };
    case 'InstanceNumber':
      return { instanceNumber: toInt(keyword, value) };
    case 'ImageLaterality':
      return { imageLaterality: value };
    default:
      return null;
  }
}

/** PatientName needs a look-up of matching patients first; the other keys are plain filters. */
async function nameFilter(db: Db, matches: MatchValue[]): Promise<Prisma.StudyWhereInput[]> {
  const names = matches.filter((m) => m.keyword === 'PatientName');
  return Promise.all(
    names.map(async (m) => ({ patientId: { in: await patientIdsByName(db, m.value) } })),
  );
}

function present<T>(items: Array<T | null>): T[] {
  return items.filter((x): x is T => x !== null);
}

export async function studyWhere(db: Db, matches: MatchValue[]): Promise<Prisma.StudyWhereInput> {
  return {
    AND: [
      ...(await nameFilter(db, matches)),
      ...present(matches.map((m) => studyKey(m.keyword, m.value))),
      ...present(matches.map((m) => instanceKey(m.keyword, m.value))).map((i) => ({
        instances: { some: i },
      })),
    ],
  };
}

export async function seriesWhere(db: Db, matches: MatchValue[]): Promise<Prisma.SeriesWhereInput> {
  return {
    AND: [
      {
        study: await studyWhere(
          db,
          matches.filter((m) => !instanceKey(m.keyword, m.value)),
        ),
      },
      ...present(matches.map((m) => seriesKey(m.keyword, m.value))),
      ...present(matches.map((m) => instanceKey(m.keyword, m.value))).map((i) => ({
        instances: { some: i },
      })),
    ],
  };
}

export async function instanceWhere(
  db: Db,
  matches: MatchValue[],
): Promise<Prisma.InstanceWhereInput> {
  return {
    AND: [
      {
        study: await studyWhere(
          db,
          matches.filter((m) => !instanceKey(m.keyword, m.value)),
        ),
      },
      { series: { AND: present(matches.map((m) => seriesKey(m.keyword, m.value))) } },
      ...present(matches.map((m) => instanceKey(m.keyword, m.value))),
    ],
  };
}

function toInt(keyword: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AppError('BAD_REQUEST', `${keyword} must be an integer.`);
  return n;
}
