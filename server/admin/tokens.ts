/**
 * Managing API tokens: list, create (the secret is returned once, never stored), revoke.
 * Used by the admin pages through tRPC and by the admin CLI; every change is audited.
 */
import { z } from 'zod';
import { audit, type AuditOrigin } from '../auth/audit';
import type { Principal } from '../auth/principal';
import { createApiToken, revokeApiToken, type CreatedToken } from '../auth/tokens';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { sitesWhere, tokensWhere, usersWhere, type AdminScope } from './scope';

/** Who makes a change: a signed-in admin, or an operator at the server's shell. */
export interface Actor {
  principal?: Principal;
  origin: AuditOrigin;
  via: 'web' | 'cli';
}

export interface AdminDeps {
  db: Db;
  log: Logger;
}

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scope: 'READ' | 'WRITE';
  user: { id: string; email: string };
  site: { id: string; code: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export const ZTokenCreate = z.object({
  userId: z.uuid(),
  siteId: z.uuid(),
  scope: z.enum(['READ', 'WRITE']),
  name: z.string().trim().min(1, 'Name the token').max(100),
  /** Days until the token stops working; absent: it works until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TTokenCreate = z.infer<typeof ZTokenCreate>;

export async function listTokens(db: Db, scope: AdminScope): Promise<TokenRow[]> {
  const rows = await db.apiToken.findMany({
    where: tokensWhere(scope),
    orderBy: [{ createdAt: 'desc' }],
    take: 1000,
    include: {
      user: { select: { id: true, email: true } },
      site: { select: { id: true, code: true } },
    },
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope,
    user: t.user,
    site: t.site,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  }));
}

/** The sites and users an admin may create tokens for (the choices of the creation form). */
export async function tokenFormOptions(db: Db, scope: AdminScope) {
  const sites = await db.site.findMany({
    where: sitesWhere(scope),
    orderBy: { code: 'asc' },
    select: { id: true, code: true, name: true },
  });
  const users = await db.user.findMany({
    where: { AND: [usersWhere(scope), { disabled: false }] },
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true },
    take: 2000,
  });
  return { sites, users };
}

/**
 * Creates a token for a user at a site the admin manages. The user must hold a role in that
 * site's organization: a token only narrows what its user may do, so a token for a stranger
 * would be a way to hand out access the admin does not control.
 */
export async function createToken(
  deps: AdminDeps,
  actor: Actor,
  scope: AdminScope,
  input: TTokenCreate,
  now = new Date(),
): Promise<CreatedToken> {
  const { db, log } = deps;
  const site = await db.site.findFirst({
    where: { AND: [{ id: input.siteId }, sitesWhere(scope)] },
  });
  if (!site) throw new AppError('NOT_FOUND', 'No site you manage has this id.');
  const user = await db.user.findFirst({
    where: { id: input.userId, memberships: { some: { organizationId: site.organizationId } } },
  });
  if (!user) {
    throw new AppError('BAD_REQUEST', `This user has no role in the organization of ${site.code}.`);
  }
  if (user.disabled) throw new AppError('BAD_REQUEST', 'This account is disabled.');

  const expiresAt = input.expiresInDays
    ? new Date(now.getTime() + input.expiresInDays * 24 * 60 * 60 * 1000)
    : undefined;
  const created = await createApiToken(db, {
    userId: user.id,
    siteId: site.id,
    scope: input.scope,
    name: input.name,
    expiresAt,
  });
  await audit(db, log, {
    action: 'TOKEN_CREATE',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    siteId: site.id,
    resource: `token:${created.id}`,
    detail: {
      via: actor.via,
      tokenId: created.id,
      userId: user.id,
      scope: input.scope,
      name: input.name,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  });
  return created;
}

/** Revokes a token the admin manages; revoking it again changes nothing and is not audited. */
export async function revokeToken(
  deps: AdminDeps,
  actor: Actor,
  scope: AdminScope,
  id: string,
): Promise<{ id: string; revokedAt: Date }> {
  const { db, log } = deps;
  const token = await db.apiToken.findFirst({ where: { AND: [{ id }, tokensWhere(scope)] } });
  if (!token) throw new AppError('NOT_FOUND', 'No token you manage has this id.');
  if (token.revokedAt) return { id, revokedAt: token.revokedAt };

  await revokeApiToken(db, id);
  const after = await db.apiToken.findUniqueOrThrow({ where: { id }, select: { revokedAt: true } });
  await audit(db, log, {
    action: 'TOKEN_REVOKE',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    siteId: token.siteId,
    resource: `token:${id}`,
    detail: { via: actor.via, tokenId: id, userId: token.userId, name: token.name },
  });
  return { id, revokedAt: after.revokedAt! };
}

/**
 * The user and site a token is created for, named as people type them (email, site code).
 * Without a code, the user's only site; a user with roles at several sites must name one.
 */
export async function resolveTokenTarget(
  db: Db,
  email: string,
  siteCode?: string,
): Promise<{ userId: string; siteId: string }> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: { include: { site: { select: { code: true } } } } },
  });
  if (!user) throw new AppError('NOT_FOUND', `No user with email ${email}.`);
  if (siteCode) {
    const site = await db.site.findUnique({ where: { code: siteCode } });
    if (!site) throw new AppError('NOT_FOUND', `No site with code "${siteCode}".`);
    return { userId: user.id, siteId: site.id };
  }
  const sites = [...new Set(user.memberships.filter((m) => m.siteId).map((m) => m.siteId!))];
  if (sites.length === 1) return { userId: user.id, siteId: sites[0] };
  const codes = [...new Set(user.memberships.map((m) => m.site?.code).filter(Boolean))];
  throw new AppError(
    'BAD_REQUEST',
    sites.length
      ? `${email} has roles at several sites (${codes.join(', ')}): name one with --site.`
      : `${email} has no role at any site: name the token's site with --site.`,
  );
}
