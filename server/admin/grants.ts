/**
 * Referral and consult grants from the admin CLI: a user may see every study of one patient,
 * across sites, for a number of days (server/auth/access.ts honours them).
 */
import { z } from 'zod';
import { audit } from '../auth/audit';
import { AppError } from '../errors';
import type { Actor, AdminDeps } from './tokens';

export const ZGrantCreate = z.object({
  kind: z.enum(['REFERRAL', 'CONSULT']),
  granteeEmail: z.email().transform((e) => e.trim().toLowerCase()),
  patientID: z.string().min(1).max(64),
  issuerOfPatientID: z.string().min(1).max(64),
  days: z.number().int().min(1).max(3650),
  reason: z.string().max(500).optional(),
});
export type TGrantCreate = z.infer<typeof ZGrantCreate>;

export async function createGrant(
  deps: AdminDeps,
  actor: Actor,
  input: TGrantCreate,
  now = new Date(),
): Promise<{ id: string; expiresAt: Date }> {
  const { db, log } = deps;
  const grantee = await db.user.findUnique({ where: { email: input.granteeEmail } });
  if (!grantee) throw new AppError('NOT_FOUND', `No user with email ${input.granteeEmail}.`);
  const patient = await db.patient.findUnique({
    where: {
      patientID_issuerOfPatientID: {
        patientID: input.patientID,
        issuerOfPatientID: input.issuerOfPatientID,
      },
    },
  });
  // The message names what was typed, not the patient: it goes to the operator's terminal.
  if (!patient) {
    throw new AppError('NOT_FOUND', 'No patient with this patient ID and issuer in the archive.');
  }

  const expiresAt = new Date(now.getTime() + input.days * 24 * 60 * 60 * 1000);
  const grant = await db.accessGrant.create({
    data: {
      kind: input.kind,
      granteeId: grantee.id,
      grantedById: actor.principal?.userId,
      patientId: patient.id,
      reason: input.reason,
      expiresAt,
    },
  });
  await audit(db, log, {
    action: 'GRANT_CREATE',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    patientId: patient.id,
    resource: `grant:${grant.id}`,
    detail: {
      via: actor.via,
      grantId: grant.id,
      kind: input.kind,
      granteeId: grantee.id,
      expiresAt: expiresAt.toISOString(),
    },
  });
  return { id: grant.id, expiresAt };
}

/** Revokes a grant; revoking it again changes nothing and is not audited. */
export async function revokeGrant(
  deps: AdminDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<{ id: string; revokedAt: Date }> {
  const { db, log } = deps;
  const grant = await db.accessGrant.findUnique({ where: { id } });
  if (!grant) throw new AppError('NOT_FOUND', `No grant with id ${id}.`);
  if (grant.revokedAt) return { id, revokedAt: grant.revokedAt };

  await db.accessGrant.update({ where: { id }, data: { revokedAt: now } });
  await audit(db, log, {
    action: 'GRANT_REVOKE',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    patientId: grant.patientId ?? undefined,
    resource: `grant:${id}`,
    detail: { via: actor.via, grantId: id, kind: grant.kind, granteeId: grant.granteeId },
  });
  return { id, revokedAt: now };
}
