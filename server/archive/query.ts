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
  PatientName: { tag: '00100010', levels: ['study'] },
  StudyDate: { tag: '00080020', levels: ['study'] },
  AccessionNumber: { tag: '00080050', levels: ['study', 'series', 'instance'] },
  ModalitiesInStudy: { tag: '00080061', levels: ['study'] },
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

export async function studyWhere(db: Db, matches: MatchValue[]): Promise<Prisma.StudyWhereInput> {
  const and: Prisma.StudyWhereInput[] = [];
  for (const { keyword, value } of matches) {
    switch (keyword) {
      case 'PatientID':
        and.push({ patient: { patientID: textMatch(value) } });
        break;
      case 'IssuerOfPatientID':
        and.push({ patient: { issuerOfPatientID: textMatch(value) } });
        break;
      case 'PatientName':
        and.push({ patientId: { in: await patientIdsByName(db, value) } });
        break;
      case 'StudyDate':
        and.push({ studyDate: dateRange(value) });
        break;
      case 'AccessionNumber':
        and.push({ accessionNumber: textMatch(value) });
        break;
      case 'ModalitiesInStudy':
        and.push({ modalitiesInStudy: { hasSome: uidList(value) } });
        break;
      case 'StudyInstanceUID':
        and.push({ studyInstanceUID: { in: uidList(value) } });
        break;
      case 'StudyID':
        and.push({ studyID: textMatch(value) });
        break;
      case 'StudyDescription':
        and.push({ studyDescription: textMatch(value) });
        break;
      case 'ImageLaterality':
        and.push({ instances: { some: { imageLaterality: value } } });
        break;
      default:
        break;
    }
  }
  return { AND: and };
}

export function seriesWhere(matches: MatchValue[]): Prisma.SeriesWhereInput {
  const and: Prisma.SeriesWhereInput[] = [];
  for (const { keyword, value } of matches) {
    switch (keyword) {
      case 'StudyInstanceUID':
        and.push({ study: { studyInstanceUID: { in: uidList(value) } } });
        break;
      case 'PatientID':
        and.push({ study: { patient: { patientID: textMatch(value) } } });
        break;
      case 'IssuerOfPatientID':
        and.push({ study: { patient: { issuerOfPatientID: textMatch(value) } } });
        break;
      case 'AccessionNumber':
        and.push({ study: { accessionNumber: textMatch(value) } });
        break;
      case 'SeriesInstanceUID':
        and.push({ seriesInstanceUID: { in: uidList(value) } });
        break;
      case 'Modality':
        and.push({ modality: { in: uidList(value) } });
        break;
      case 'SeriesNumber':
        and.push({ seriesNumber: toInt(keyword, value) });
        break;
      case 'Laterality':
        and.push({ laterality: value });
        break;
      case 'ImageLaterality':
        and.push({ instances: { some: { imageLaterality: value } } });
        break;
      default:
        break;
    }
  }
  return { AND: and };
}

export function instanceWhere(matches: MatchValue[]): Prisma.InstanceWhereInput {
  const and: Prisma.InstanceWhereInput[] = [];
  for (const { keyword, value } of matches) {
    switch (keyword) {
      case 'StudyInstanceUID':
        and.push({ study: { studyInstanceUID: { in: uidList(value) } } });
        break;
      case 'PatientID':
        and.push({ study: { patient: { patientID: textMatch(value) } } });
        break;
      case 'IssuerOfPatientID':
        and.push({ study: { patient: { issuerOfPatientID: textMatch(value) } } });
        break;
      case 'AccessionNumber':
        and.push({ study: { accessionNumber: textMatch(value) } });
        break;
      case 'SeriesInstanceUID':
        and.push({ series: { seriesInstanceUID: { in: uidList(value) } } });
        break;
      case 'Modality':
        and.push({ series: { modality: { in: uidList(value) } } });
        break;
      case 'SOPClassUID':
        and.push({ sopClassUID: { in: uidList(value) } });
        break;
      case 'SOPInstanceUID':
        and.push({ sopInstanceUID: { in: uidList(value) } });
        break;
      case 'InstanceNumber':
        and.push({ instanceNumber: toInt(keyword, value) });
        break;
      case 'ImageLaterality':
        and.push({ imageLaterality: value });
        break;
      default:
        break;
    }
  }
  return { AND: and };
}

function toInt(keyword: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AppError('BAD_REQUEST', `${keyword} must be an integer.`);
  return n;
}
