/**
 * Reading the web app's session (a next-auth JWT in a cookie) on requests that Next.js does not
 * handle itself: DICOMweb, photo uploads, image URLs in pages.
 */
import type { IncomingMessage } from 'node:http';
import cookie from 'cookie';
import { getToken } from 'next-auth/jwt';
import type { Db } from '../db/client';
import { principalForUser, type Principal } from './principal';

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export function hasSessionCookie(req: IncomingMessage): boolean {
  const header = req.headers.cookie ?? '';
  return SESSION_COOKIES.some((name) => header.includes(name));
}

export async function principalFromSession(
  db: Db,
  req: IncomingMessage,
  secret: string,
): Promise<Principal | null> {
  const cookies = cookie.parse(req.headers.cookie ?? '');
  for (const name of SESSION_COOKIES) {
    if (!Object.keys(cookies).some((k) => k.startsWith(name))) continue;
    const token = await getToken({
      req: { cookies, headers: req.headers } as never,
      secret,
      cookieName: name,
      secureCookie: name.startsWith('__Secure-'),
    });
    const userId = typeof token?.uid === 'string' ? token.uid : null;
    if (userId) return principalForUser(db, { id: userId }, 'session');
  }
  return null;
}
