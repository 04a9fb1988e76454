import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { isAdmin } from '@/server/auth/access';
import { trpcContext } from '@/server/trpc/context';
import type { TrpcContext } from '@/server/trpc/init';
import type { Principal } from '@/server/auth/principal';

/** Who is signed in, read once per request however many components ask. */
export const currentContext = cache(trpcContext);

/**
 * For admin pages: the context of a signed-in site or organization admin. Others are sent to
 * sign in, or get a 404 (the pages' existence is nobody else's business). The procedures the
 * pages call check again: this only decides what to render.
 */
export async function adminContext(path: string): Promise<TrpcContext & { principal: Principal }> {
  const ctx = await currentContext();
  if (!ctx.principal) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (!isAdmin(ctx.principal)) notFound();
  return { ...ctx, principal: ctx.principal };
}
