/**
 * The audit trail: who, when, from where, what, on which patient or study. Writing an event
 * never fails the request it records (a failure is logged instead), and no event carries a
 * patient's name, birth date or ID: patients are named by our own ids.
 */
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { Logger } from '../log';
import type { Principal } from './principal';

export type AuditAction =
  | 'VIEW'
  | 'DOWNLOAD'
  | 'UPLOAD'
  | 'CHANGE'
  | 'SIGN_IN'
  | 'SIGN_IN_FAILED'
  | 'SIGN_OUT'
  | 'TOKEN_CREATE'
  | 'TOKEN_REVOKE'
  | 'GRANT_CREATE'
  | 'GRANT_REVOKE'
  | 'AUDIT_EXPORT';

export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'FAILURE';

export interface AuditOrigin {
  ip?: string;
  userAgent?: string;
}

export interface AuditEntry {
  action: AuditAction;
  outcome: AuditOutcome;
  principal?: Principal;
  /** For events without a principal (a failed sign-in): the email that was tried. */
  email?: string;
  origin?: AuditOrigin;
  patientId?: string;
  studyInstanceUID?: string;
  siteId?: string;
  resource?: string;
  detail?: Prisma.InputJsonValue;
}

function toRow(e: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    action: e.action,
    outcome: e.outcome,
    actorUserId: e.principal?.userId,
    actorEmail: e.principal?.email ?? e.email,
    actorTokenId: e.principal?.token?.id,
    ip: e.origin?.ip,
    userAgent: e.origin?.userAgent?.slice(0, 300),
    patientId: e.patientId,
    studyInstanceUID: e.studyInstanceUID,
    siteId: e.siteId,
    resource: e.resource?.slice(0, 500),
    detail: e.detail,
  };
}

export async function audit(db: Db, log: Logger, e: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({ data: toRow(e) });
  } catch (err) {
    log.error({ err, action: e.action }, 'audit event not written');
  }
}

/** Many events at once (one per study of a query result), in one insert. */
export async function auditMany(db: Db, log: Logger, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  try {
    await db.auditEvent.createMany({ data: entries.map(toRow) });
  } catch (err) {
    log.error({ err, count: entries.length }, 'audit events not written');
  }
}
