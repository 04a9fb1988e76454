/**
 * A sign-in through the clinic's OpenID Connect provider: the user is found by email (or made
 * on first sign-in, without a password) and their memberships are replaced by the ones the
 * roles claim stands for (server/auth/oidc-roles.ts).
 */
import type { Db } from '../db/client';
import { membershipsFromClaim } from './oidc-roles';

export type OidcSignIn =
  | { ok: true; userId: string; email: string; created: boolean }
  | { ok: false; reason: 'no-email' | 'disabled'; email?: string }
  | { ok: false; reason: 'unknown-role'; role: string; email: string }
  | { ok: false; reason: 'unknown-site'; site: string; email: string }
  | { ok: false; reason: 'no-organization'; role: string; email: string };

export async function signInWithOidc(
  db: Db,
  opts: { claims: Record<string, unknown>; rolesClaim: string },
): Promise<OidcSignIn> {
  const rawEmail = opts.claims.email;
  if (typeof rawEmail !== 'string' || !rawEmail.includes('@'))
    return { ok: false, reason: 'no-email' };
  const email = rawEmail.trim().toLowerCase();

  const sites = await db.site.findMany({ select: { id: true, code: true, organizationId: true } });
  const organizations = await db.organization.findMany({ select: { id: true }, take: 2 });
  const defaultOrg = organizations.length === 1 ? organizations[0].id : null;
  const mapping = membershipsFromClaim(opts.claims[opts.rolesClaim], sites, defaultOrg);
  if (!mapping.ok) return { ...mapping, email };

  const name =
    typeof opts.claims.name === 'string' && opts.claims.name.trim() ? opts.claims.name : email;
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing?.disabled) return { ok: false as const, reason: 'disabled' as const, email };
    const user = existing ?? (await tx.user.create({ data: { email, name: name.slice(0, 200) } }));

    // Replace, not merge: a role the provider no longer sends is a role taken away.
    await tx.membership.deleteMany({ where: { userId: user.id } });
    await tx.membership.createMany({
      data: mapping.memberships.map((m) => ({ ...m, userId: user.id })),
    });
    return { ok: true as const, userId: user.id, email, created: !existing };
  });
}
