/**
 * Passwords: argon2id (OWASP's first choice) through @node-rs/argon2, with its defaults
 * (19 MiB, 2 iterations). Failed sign-ins are slowed and then locked out for a while.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/client';

export const LOCKOUT_AFTER = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function checkPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export type SignInResult =
  | { ok: true; userId: string; email: string }
  | { ok: false; reason: 'bad-credentials' | 'locked' | 'disabled'; lockedUntil?: Date };

/**
 * Checks an email and password. Each consecutive failure waits longer (250 ms doubling, at most
 * 4 s) before answering; the fifth locks the account for 15 minutes. Unknown emails take the
 * same time as wrong passwords, so the answer does not tell which accounts exist.
 */
export async function signInWithPassword(
  db: Db,
  email: string,
  password: string,
  now = new Date(),
): Promise<SignInResult> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !user.passwordHash) {
    await hashPassword(password);
    return { ok: false, reason: 'bad-credentials' };
  }
  if (user.disabled) return { ok: false, reason: 'disabled' };
  if (user.lockedUntil && user.lockedUntil > now) {
    return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil };
  }

  if (await checkPassword(user.passwordHash, password)) {
    await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
    return { ok: true, userId: user.id, email: user.email };
  }

  const failures = user.failedSignIns + 1;
  const lockedUntil = failures >= LOCKOUT_AFTER ? new Date(now.getTime() + LOCKOUT_MS) : null;
  await db.user.update({
    where: { id: user.id },
    data: { failedSignIns: lockedUntil ? 0 : failures, lockedUntil },
  });
  await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** (failures - 1))));
  return lockedUntil
    ? { ok: false, reason: 'locked', lockedUntil }
    : { ok: false, reason: 'bad-credentials' };
}
