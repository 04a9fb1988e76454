/**
 * API tokens: `eyp_` + 43 base64url characters (256 random bits). Only the SHA-256 of the
 * whole token is stored; the token itself is shown once, at creation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { TokenScope } from '../db/generated/client';
import { AppError } from '../errors';
import { toPrincipal, type Principal } from './principal';

const PREFIX = 'eyp_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedToken {
  id: string;
  token: string;
  prefix: string;
}

export async function createApiToken(
  db: Db,
  opts: { userId: string; siteId: string; scope: TokenScope; name: string; expiresAt?: Date },
): Promise<CreatedToken> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const prefix = token.slice(0, PREFIX.length + 6);
  const row = await db.apiToken.create({
    data: { ...opts, prefix, secretHash: hashToken(token) },
    select: { id: true },
  });
  return { id: row.id, token, prefix };
}

export async function revokeApiToken(db: Db, id: string): Promise<void> {
  await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** lastUsedAt is for people reading the token list: a minute's precision is plenty. */
const LAST_USED_PRECISION_MS = 60_000;

/** The principal behind an `Authorization: Bearer` token; UNAUTHENTICATED with the reason. */
export async function principalForToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Principal> {
  if (!token.startsWith(PREFIX)) {
    throw new AppError('UNAUTHENTICATED', 'The bearer token is not an API token of this archive.');
  }
  const row = await db.apiToken.findUnique({
    where: { secretHash: hashToken(token) },
    include: { user: { include: { memberships: true } } },
  });
  if (!row) throw new AppError('UNAUTHENTICATED', 'Unknown API token.');
  if (row.revokedAt) throw new AppError('UNAUTHENTICATED', 'This API token was revoked.');
  if (row.expiresAt && row.expiresAt <= now) {
    throw new AppError('UNAUTHENTICATED', 'This API token has expired.');
  }
  if (row.user.disabled) {
    throw new AppError('UNAUTHENTICATED', 'The account of this API token is disabled.');
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ...toPrincipal(row.user, 'token'),
    token: { id: row.id, siteId: row.siteId, write: row.scope === 'WRITE' },
  };
}
