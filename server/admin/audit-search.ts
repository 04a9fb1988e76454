/**
 * Searching and exporting the audit trail. An admin sees the events of the users of the sites
 * they manage (failed sign-ins included, matched by the email that was typed) and the events
 * recorded at those sites. Newest first: event ids grow with time, and ordering by id keeps
 * paging stable while new events arrive.
 *
 * Limitation: failed sign-ins with an email that belongs to no user are in no admin's scope,
 * so they are found only with SQL on the AuditEvent table.
 */
import { z } from 'zod';
import { audit, type AuditAction } from '../auth/audit';
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { csvLine } from './csv';
import { sitesWhere, usersWhere, type AdminScope } from './scope';
import type { Actor, AdminDeps } from './tokens';

export const AUDIT_ACTIONS = [
  'VIEW',
  'DOWNLOAD',
  'UPLOAD',
  'CHANGE',
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'SIGN_OUT',
  'TOKEN_CREATE',
  'TOKEN_REVOKE',
  'GRANT_CREATE',
  'GRANT_REVOKE',
  'AUDIT_EXPORT',
] as const satisfies readonly AuditAction[];

// Fails to compile when server/auth/audit.ts gains an action this list lacks.
const allActionsListed: [Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>] extends [never]
  ? true
  : false = true;
void allActionsListed;

export const AUDIT_OUTCOMES = ['SUCCESS', 'DENIED', 'FAILURE'] as const;

export const PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Form fields arrive as strings, empty when left blank: blank means "any". */
function field<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    return s === '' ? undefined : s;
  }, schema.optional());
}

export const ZAuditFilter = z.object({
  actorEmail: field(z.string().max(320)),
  action: field(z.enum(AUDIT_ACTIONS)),
  outcome: field(z.enum(AUDIT_OUTCOMES)),
  /** Our patient id (a UUID) or the PatientID of the images, any issuer. */
  patientId: field(z.string().max(64)),
  studyInstanceUID: field(z.string().max(64)),
  /** First and last day, YYYY-MM-DD, in UTC. */
  from: field(z.iso.date()),
  to: field(z.iso.date()),
});
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

export const ZAuditSearch = z.object({
  filter: ZAuditFilter,
  page: z.number().int().min(1).max(100_000).default(1),
});

export const FILTER_KEYS = Object.keys(ZAuditFilter.shape) as Array<keyof TAuditFilter>;

/** The filter named by a query string (the audit page's form, the export link). */
export function auditFilterFromParams(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
) {
  const get = (k: string) => {
    if (params instanceof URLSearchParams) return params.get(k) ?? undefined;
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return ZAuditFilter.safeParse(Object.fromEntries(FILTER_KEYS.map((k) => [k, get(k)])));
}

export interface AuditRow {
  id: string;
  at: Date;
  actorEmail: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  outcome: string;
  patientId: string | null;
  studyInstanceUID: string | null;
  siteId: string | null;
  siteCode: string | null;
  resource: string | null;
  detail: string | null;
}

async function scopeWhere(db: Db, scope: AdminScope): Promise<Prisma.AuditEventWhereInput> {
  const users = await db.user.findMany({
    where: usersWhere(scope),
    select: { id: true, email: true },
  });
  const sites = await db.site.findMany({ where: sitesWhere(scope), select: { id: true } });
  return {
    OR: [
      { actorUserId: { in: users.map((u) => u.id) } },
      { actorEmail: { in: users.map((u) => u.email) } },
      { siteId: { in: sites.map((s) => s.id) } },
    ],
  };
}

async function filterWhere(db: Db, f: TAuditFilter): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actorEmail) and.push({ actorEmail: { contains: f.actorEmail, mode: 'insensitive' } });
  if (f.action) and.push({ action: f.action });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.studyInstanceUID) and.push({ studyInstanceUID: f.studyInstanceUID });
  if (f.patientId) {
    const patients = await db.patient.findMany({
      where: { patientID: f.patientId },
      select: { id: true },
    });
    const ids = patients.map((p) => p.id);
    if (UUID.test(f.patientId)) ids.push(f.patientId.toLowerCase());
    and.push({ patientId: { in: ids } });
  }
  if (f.from) and.push({ at: { gte: new Date(`${f.from}T00:00:00Z`) } });
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    and.push({ at: { lt: end } });
  }
  return { AND: and };
}

type EventRow = Prisma.AuditEventGetPayload<object>;

function toRow(e: EventRow, siteCodes: Map<string, string>): AuditRow {
  return {
    id: e.id.toString(),
    at: e.at,
    actorEmail: e.actorEmail,
    actorUserId: e.actorUserId,
    actorTokenId: e.actorTokenId,
    ip: e.ip,
    userAgent: e.userAgent,
    action: e.action,
    outcome: e.outcome,
    patientId: e.patientId,
    studyInstanceUID: e.studyInstanceUID,
    siteId: e.siteId,
    siteCode: e.siteId ? (siteCodes.get(e.siteId) ?? null) : null,
    resource: e.resource,
    detail: e.detail === null ? null : JSON.stringify(e.detail),
  };
}

async function siteCodesOf(db: Db, events: EventRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.map((e) => e.siteId).filter((id): id is string => !!id))];
  if (!ids.length) return new Map();
  const sites = await db.site.findMany({
    where: { id: { in: ids } },
    select: { id: true, code: true },
  });
  return new Map(sites.map((s) => [s.id, s.code]));
}

/** One page of matching events, newest first. */
export async function searchAudit(
  db: Db,
  scope: AdminScope,
  input: z.infer<typeof ZAuditSearch>,
): Promise<{ rows: AuditRow[]; page: number; hasMore: boolean }> {
  const where = { AND: [await scopeWhere(db, scope), await filterWhere(db, input.filter)] };
  const events = await db.auditEvent.findMany({
    where,
    orderBy: { id: 'desc' },
    skip: (input.page - 1) * PAGE_SIZE,
    take: PAGE_SIZE + 1,
  });
  const shown = events.slice(0, PAGE_SIZE);
  const codes = await siteCodesOf(db, shown);
  return {
    rows: shown.map((e) => toRow(e, codes)),
    page: input.page,
    hasMore: events.length > PAGE_SIZE,
  };
}

export const CSV_COLUMNS = [
  'at',
  'actorEmail',
  'actorUserId',
  'tokenId',
  'ip',
  'action',
  'outcome',
  'patientId',
  'studyInstanceUID',
  'siteId',
  'resource',
] as const;

/**
 * Every matching event as CSV, newest first, read in batches so that an export of years of
 * events streams instead of filling memory. The export itself is audited, with its filter,
 * before the first line is produced.
 */
export async function exportAudit(
  deps: AdminDeps,
  actor: Actor,
  scope: AdminScope,
  filter: TAuditFilter,
): Promise<AsyncGenerator<string>> {
  const { db, log } = deps;
  const where = { AND: [await scopeWhere(db, scope), await filterWhere(db, filter)] };
  await audit(db, log, {
    action: 'AUDIT_EXPORT',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    resource: 'audit.csv',
    detail: { via: actor.via, filter: JSON.parse(JSON.stringify(filter)) },
  });

  return (async function* lines() {
    yield csvLine([...CSV_COLUMNS]);
    let before: bigint | undefined;
    for (;;) {
      const batch = await db.auditEvent.findMany({
        where: before === undefined ? where : { AND: [where, { id: { lt: before } }] },
        orderBy: { id: 'desc' },
        take: EXPORT_BATCH,
      });
      if (!batch.length) return;
      yield batch
        .map((e) =>
          csvLine([
            e.at,
            e.actorEmail,
            e.actorUserId,
            e.actorTokenId,
            e.ip,
            e.action,
            e.outcome,
            e.patientId,
            e.studyInstanceUID,
            e.siteId,
            e.resource,
          ]),
        )
        .join('');
      if (batch.length < EXPORT_BATCH) return;
      before = batch[batch.length - 1].id;
    }
  })();
}
