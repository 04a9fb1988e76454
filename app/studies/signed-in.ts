import { redirect } from 'next/navigation';
import type { Principal } from '@/server/auth/principal';
import type { TrpcContext } from '@/server/trpc/init';
import { currentContext } from '../session';

/**
 * The context of whoever is signed in; anyone else is sent to sign in and brought back to
 * `path` (with its query: a launch URL from another system must survive the sign-in).
 */
export async function signedInContext(
  path: string,
): Promise<TrpcContext & { principal: Principal }> {
  const ctx = await currentContext();
  if (!ctx.principal) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return { ...ctx, principal: ctx.principal };
}
