/**
 * The admin pages' API: API tokens and the audit trail. Every procedure needs a site or
 * organization admin, narrows to what they manage (server/admin/scope.ts), and calls one
 * service function.
 */
import { z } from 'zod';
import { adminScope } from '../admin/scope';
import { searchAudit, ZAuditSearch } from '../admin/audit-search';
import {
  createToken,
  listTokens,
  revokeToken,
  tokenFormOptions,
  ZTokenCreate,
  type Actor,
} from '../admin/tokens';
import { protectedProcedure, router } from './init';
import { toTrpcError } from './errors';

const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  let scope;
  try {
    scope = adminScope(ctx.principal);
  } catch (e) {
    throw toTrpcError(e) ?? e;
  }
  const actor: Actor = { principal: ctx.principal, origin: ctx.origin ?? {}, via: 'web' };
  const result = await next({ ctx: { ...ctx, scope, actor } });
  // Service functions report expected failures as AppError; give the browser its reason.
  if (!result.ok && result.error.cause) {
    const mapped = toTrpcError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const adminRouter = router({
  tokens: router({
    list: adminProcedure.query(({ ctx }) => listTokens(ctx.archive.db, ctx.scope)),
    options: adminProcedure.query(({ ctx }) => tokenFormOptions(ctx.archive.db, ctx.scope)),
    create: adminProcedure
      .input(ZTokenCreate)
      .mutation(({ ctx, input }) => createToken(ctx.archive, ctx.actor, ctx.scope, input)),
    revoke: adminProcedure
      .input(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => revokeToken(ctx.archive, ctx.actor, ctx.scope, input.id)),
  }),
  audit: router({
    search: adminProcedure
      .input(ZAuditSearch)
      .query(({ ctx, input }) => searchAudit(ctx.archive.db, ctx.scope, input)),
  }),
});
