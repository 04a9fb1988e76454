import { headers } from 'next/headers';
import type { Archive } from '../app';
import { originFromHeaders } from '../auth/origin';
import type { Principal } from '../auth/principal';
import { principalFromSession } from '../auth/session';
import { isAppError } from '../errors';
import type { TrpcContext } from './init';

export function runningArchive(): Archive {
  const archive = (globalThis as { __archive?: Archive }).__archive;
  if (!archive) throw new Error('The archive is not running in this process');
  return archive;
}

/**
 * Who the session cookie names. An account disabled (or removed) since it signed in counts as
 * signed out rather than failing the page.
 */
async function sessionPrincipal(archive: Archive, cookie: string): Promise<Principal | null> {
  const req = { headers: { cookie } } as Parameters<typeof principalFromSession>[1];
  try {
    return await principalFromSession(archive.ctx.db, req, archive.config.authSecret);
  } catch (e) {
    if (isAppError(e) && e.code === 'UNAUTHENTICATED') return null;
    throw e;
  }
}

/** For server components: the running archive and who is signed in. */
export async function trpcContext(): Promise<TrpcContext> {
  const archive = runningArchive();
  const h = await headers();
  const principal = await sessionPrincipal(archive, h.get('cookie') ?? '');
  return { archive: archive.ctx, principal, origin: originFromHeaders(h) };
}

/** For route handlers (the tRPC fetch adapter, CSV export): the same, from the Request. */
export async function trpcContextFromRequest(req: Request): Promise<TrpcContext> {
  const archive = runningArchive();
  const principal = await sessionPrincipal(archive, req.headers.get('cookie') ?? '');
  return { archive: archive.ctx, principal, origin: originFromHeaders(req.headers) };
}
