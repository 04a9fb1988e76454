/**
 * tRPC for the web app's own API. Procedures parse input with zod, check who may do it, then
 * call one service function; the archive context comes from the running server.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { ArchiveContext } from '../archive/context';
import type { AuditOrigin } from '../auth/audit';
import type { Principal } from '../auth/principal';

export interface TrpcContext {
  archive: ArchiveContext;
  principal: Principal | null;
  /** Where the request came from, for the audit trail of what a procedure changes. */
  origin?: AuditOrigin;
}

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/** A procedure that needs a signed-in user; `ctx.principal` is set inside it. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
