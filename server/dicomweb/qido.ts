/**
 * QIDO-RS (PS3.18 §10.6): search for studies, series and instances, answered from the index.
 * Returned attributes follow Tables 10.6.3-3 to -5; `includefield` adds any other attribute,
 * taken from the metadata stored at ingest (never from the files).
 */
import { createRequire } from 'node:module';
import { AppError } from '../errors';
import type { ArchiveContext } from '../archive/context';
import {
  instanceWhere,
  matchKeyword,
  seriesWhere,
  studyWhere,
  type Level,
  type MatchValue,
} from '../archive/query';
import { visibleStudies } from '../auth/access';
import { auditMany } from '../auth/audit';
import type { Prisma } from '../db/generated/client';
import type { DicomJson } from '../dicom/types';
import { sendJson } from '../http/respond';
import { num, pn, str, strs } from './json-attrs';
import type { Call } from './call';
import { dicomwebBase, instanceUrl, seriesUrl, studyUrl } from './urls';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 5000;

export interface QidoScope {
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
}

interface QidoQuery {
  matches: MatchValue[];
  limit: number;
  offset: number;
  includeAll: boolean;
  includeTags: string[];
  unsupported: string[];
}

export function parseQidoQuery(url: URL, level: Level, scope: QidoScope): QidoQuery {
  const q: QidoQuery = {
    matches: [],
    limit: DEFAULT_LIMIT,
    offset: 0,
    includeAll: false,
    includeTags: [],
    unsupported: [],
  };
  for (const [key, value] of url.searchParams) {
    if (key === 'limit') q.limit = boundedInt(key, value, 1, MAX_LIMIT);
    else if (key === 'offset') q.offset = boundedInt(key, value, 0, Number.MAX_SAFE_INTEGER);
    else if (key === 'includefield') addIncludes(q, value);
    else if (key === 'fuzzymatching') continue;
    else {
      const keyword = matchKeyword(key);
      if (!keyword) q.unsupported.push(key);
      else if (value !== '') q.matches.push({ keyword, value });
    }
  }
  if (scope.studyInstanceUID)
    q.matches.push({ keyword: 'StudyInstanceUID', value: scope.studyInstanceUID });
  if (scope.seriesInstanceUID)
    q.matches.push({ keyword: 'SeriesInstanceUID', value: scope.seriesInstanceUID });
  return q;
}

function addIncludes(q: QidoQuery, value: string): void {
  for (const field of value.split(',').map((s) => s.trim())) {
    if (field === 'all') q.includeAll = true;
    else if (/^[0-9A-Fa-f]{8}$/.test(field)) q.includeTags.push(field.toUpperCase());
    else if (field) {
      const tag = keywordTag(field);
      if (!tag)
        throw new AppError('BAD_REQUEST', `includefield "${field}" is not a known keyword or tag.`);
      q.includeTags.push(tag);
    }
  }
}

const require = createRequire(import.meta.url);

/** Keyword to tag through dcmjs's copy of the PS3.6 dictionary, loaded on first use. */
function keywordTag(keyword: string): string | undefined {
  const nameMap = (
    require('dcmjs') as {
      data: { DicomMetaDictionary: { nameMap: Record<string, { tag: string }> } };
    }
  ).data.DicomMetaDictionary.nameMap;
  return nameMap[keyword]?.tag.replace(/[(),]/g, '').toUpperCase();
}

function boundedInt(key: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new AppError('BAD_REQUEST', `${key} must be an integer ≥ ${min}.`);
  return Math.min(n, max);
}

export async function handleQido(c: Call, level: Level, scope: QidoScope): Promise<void> {
  const { ctx, req, res } = c;
  const url = new URL(req.url ?? '/', 'http://x');
  const q = parseQidoQuery(url, level, scope);
  const base = dicomwebBase(req);
  const visible = visibleStudies(c.principal);
  const found =
    level === 'study'
      ? await queryStudies(ctx, q, base, visible)
      : level === 'series'
        ? await querySeries(ctx, q, base, visible)
        : await queryInstances(ctx, q, base, visible);
  await auditResults(c, found.seen);
  const rows = found.rows;
  if (q.unsupported.length) {
    res.setHeader(
      'Warning',
      `299 eyepacs-open: The following attributes are not supported as matching keys and were ignored: ${q.unsupported.join(', ')}`,
    );
  }
  sendJson(res, 200, rows, 'application/dicom+json; charset=utf-8');
}

/** Rows of a query, and the studies they show (for the audit trail). */
interface Found {
  rows: DicomJson[];
  seen: Array<{ studyInstanceUID: string; patientId: string }>;
}

/** One VIEW event per study that a query showed: a search result is a look at the patient. */
async function auditResults(c: Call, seen: Found['seen']): Promise<void> {
  const unique = new Map(seen.map((s) => [s.studyInstanceUID, s]));
  await auditMany(
    c.ctx.db,
    c.ctx.log,
    [...unique.values()].map((s) => ({
      action: 'VIEW' as const,
      outcome: 'SUCCESS' as const,
      principal: c.principal,
      origin: c.origin,
      patientId: s.patientId,
      studyInstanceUID: s.studyInstanceUID,
      resource: c.req.url?.split('?')[0],
    })),
  );
}

async function queryStudies(
  ctx: ArchiveContext,
  q: QidoQuery,
  base: string,
  visible: Prisma.StudyWhereInput,
): Promise<Found> {
  const where = await studyWhere(ctx.db, q.matches);
  const studies = await ctx.db.study.findMany({
    where: { AND: [where, visible] },
    include: { patient: true },
    orderBy: [{ studyDate: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
    take: q.limit,
    skip: q.offset,
  });
  const extra = await extraAttributes(
    ctx,
    q,
    'studyId',
    studies.map((s) => s.id),
  );
  const seen = studies.map((s) => ({
    studyInstanceUID: s.studyInstanceUID,
    patientId: s.patientId,
  }));
  const rows = studies.map((s) => ({
    ...extra.get(s.id),
    '00080005': strs('CS', ['ISO_IR 192']),
    '00080020': str('DA', s.studyDate),
    '00080030': str('TM', s.studyTime),
    '00080050': str('SH', s.accessionNumber),
    '00080056': str('CS', 'ONLINE'),
    '00080061': strs('CS', s.modalitiesInStudy),
    '00080090': pn(s.referringPhysicianName),
    '00081030': str('LO', s.studyDescription),
    '00081190': str('UR', studyUrl(base, s.studyInstanceUID)),
    '00100010': pn(s.patient.patientName),
    '00100020': str('LO', s.patient.patientID),
    '00100021': str('LO', s.patient.issuerOfPatientID),
    '00100030': str('DA', s.patient.patientBirthDate),
    '00100040': str('CS', s.patient.patientSex),
    '0020000D': str('UI', s.studyInstanceUID),
    '00200010': str('SH', s.studyID),
    '00201206': num('IS', s.numberOfSeries),
    '00201208': num('IS', s.numberOfInstances),
  }));
  return { rows, seen };
}

async function querySeries(
  ctx: ArchiveContext,
  q: QidoQuery,
  base: string,
  visible: Prisma.StudyWhereInput,
): Promise<Found> {
  const series = await ctx.db.series.findMany({
    where: { AND: [await seriesWhere(ctx.db, q.matches), { study: visible }] },
    include: { study: { select: { studyInstanceUID: true, patientId: true } } },
    orderBy: [{ seriesNumber: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
    take: q.limit,
    skip: q.offset,
  });
  const extra = await extraAttributes(
    ctx,
    q,
    'seriesId',
    series.map((s) => s.id),
  );
  const seen = series.map((s) => s.study);
  const rows = series.map((s) => ({
    ...extra.get(s.id),
    '00080005': strs('CS', ['ISO_IR 192']),
    '00080060': str('CS', s.modality),
    '00080021': str('DA', s.seriesDate),
    '0008103E': str('LO', s.seriesDescription),
    '00081190': str('UR', seriesUrl(base, s.study.studyInstanceUID, s.seriesInstanceUID)),
    '0020000D': str('UI', s.study.studyInstanceUID),
    '0020000E': str('UI', s.seriesInstanceUID),
    '00200011': num('IS', s.seriesNumber),
    '00200060': str('CS', s.laterality),
    '00201209': num('IS', s.numberOfInstances),
  }));
  return { rows, seen };
}

async function queryInstances(
  ctx: ArchiveContext,
  q: QidoQuery,
  base: string,
  visible: Prisma.StudyWhereInput,
): Promise<Found> {
  const instances = await ctx.db.instance.findMany({
    where: { AND: [await instanceWhere(ctx.db, q.matches), { study: visible }] },
    include: {
      study: { select: { studyInstanceUID: true, patientId: true } },
      series: { select: { seriesInstanceUID: true, modality: true } },
    },
    orderBy: [{ instanceNumber: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
    take: q.limit,
    skip: q.offset,
  });
  const extra = await extraAttributes(
    ctx,
    q,
    'id',
    instances.map((i) => i.id),
  );
  const seen = instances.map((i) => i.study);
  const rows = instances.map((i) => {
    const pixel = (i.pixelInfo ?? null) as { bitsAllocated?: number } | null;
    return {
      ...extra.get(i.id),
      '00080005': strs('CS', ['ISO_IR 192']),
      '00080016': str('UI', i.sopClassUID),
      '00080018': str('UI', i.sopInstanceUID),
      '00080056': str('CS', 'ONLINE'),
      '00080060': str('CS', i.series.modality),
      '00081190': str(
        'UR',
        instanceUrl(base, i.study.studyInstanceUID, i.series.seriesInstanceUID, i.sopInstanceUID),
      ),
      '0020000D': str('UI', i.study.studyInstanceUID),
      '0020000E': str('UI', i.series.seriesInstanceUID),
      '00200013': num('IS', i.instanceNumber),
      '00200062': str('CS', i.imageLaterality),
      '00280008': num('IS', i.numberOfFrames),
      '00280010': num('US', i.rows),
      '00280011': num('US', i.columns),
      '00280100': num('US', pixel?.bitsAllocated ?? null),
      '00020010': str('UI', i.transferSyntaxUID),
    };
  });
  return { rows, seen };
}

/**
 * includefield beyond the default attributes: copied from one instance's stored metadata per
 * result (for study and series level, the attributes of the study or series are the same in
 * every instance, PS3.3 C.7).
 */
async function extraAttributes(
  ctx: ArchiveContext,
  q: QidoQuery,
  key: 'studyId' | 'seriesId' | 'id',
  ids: string[],
): Promise<Map<string, DicomJson>> {
  const out = new Map<string, DicomJson>();
  if (!ids.length || (!q.includeAll && !q.includeTags.length)) return out;
  const rows = await ctx.db.instance.findMany({
    where: { [key]: { in: ids } },
    distinct: [key],
    select: { id: true, studyId: true, seriesId: true, metadata: { select: { json: true } } },
  });
  for (const row of rows) {
    const json = (row.metadata?.json ?? {}) as unknown as DicomJson;
    const picked: DicomJson = {};
    for (const [tag, attr] of Object.entries(json)) {
      if (attr.vr === 'SQ' && q.includeAll) continue;
      if (q.includeAll || q.includeTags.includes(tag)) picked[tag] = attr;
    }
    out.set(row[key], picked);
  }
  return out;
}
