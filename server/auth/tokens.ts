/**
 * API tokens: `eyp_` + 43 base64url characters (256 random bits). Only the SHA-256 of the
 * whole token is stored; the token itself is shown once, at creation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { TokenScope } from '../db/generated/client';
import { AppError } from '../errors';
import { principalForUser, type Principal } from './principal';

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

/** The principal behind an `Authorization: Bearer` token; UNAUTHENTICATED with the reason. */
export async function principalForToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Principal> {
  if (!token.startsWith(PREFIX)) {
    throw new AppError('UNAUTHENTICATED', 'The bearer token is not an API token of this archive.');
  }
  const row = await db.apiToken.findUnique({ where: { secretHash: hashToken(token) } });
  if (!row) throw new AppError('UNAUTHENTICATED', 'Unknown API token.');
  if (row.revokedAt) throw new AppError('UNAUTHENTICATED', 'This API token was revoked.');
  if (row.expiresAt && row.expiresAt <= now) {
    throw new AppError('UNAUTHENTICATED', 'This API token has expired.');
  }
  const principal = await principalForUser(db, { id: row.userId }, 'token');
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { ...principal, token: { id: row.id, siteId: row.siteId, write: row.scope === 'WRITE' } };
}
