/**
 * Who is asking: a signed-in user (cookie session), a device or script (API token, limited to
 * one site and to read or write), or a local operator (the ingest CLI, named with --user).
 * Everything that reaches patient data takes a Principal and asks server/auth/access.ts.
 */
import type { Db } from '../db/client';
import type { Role } from '../db/generated/client';
import { AppError } from '../errors';

export interface MembershipGrant {
  role: Role;
  organizationId: string;
  /** null: the role holds across the organization (organization admins). */
  siteId: string | null;
}

export interface Principal {
  userId: string;
  email: string;
  memberships: MembershipGrant[];
  /** Set when the request came with an API token: access is narrowed to this site and scope. */
  token?: { id: string; siteId: string; write: boolean };
  via: 'session' | 'token' | 'cli';
}

export async function principalForUser(
  db: Db,
  where: { id: string } | { email: string },
  via: Principal['via'],
): Promise<Principal> {
  const user = await db.user.findUnique({
    where: 'id' in where ? { id: where.id } : { email: where.email.toLowerCase() },
    include: { memberships: true },
  });
  if (!user || user.disabled) {
    throw new AppError('UNAUTHENTICATED', 'This account does not exist or is disabled.');
  }
  return toPrincipal(user, via);
}

export function toPrincipal(
  user: { id: string; email: string; memberships: MembershipGrant[] },
  via: Principal['via'],
): Principal {
  return {
    userId: user.id,
    email: user.email,
    memberships: user.memberships.map((m) => ({
      role: m.role,
      organizationId: m.organizationId,
      siteId: m.siteId,
    })),
    via,
  };
}
