import { auditFilterFromParams, exportAudit } from '@/server/admin/audit-search';
import { adminScope, type AdminScope } from '@/server/admin/scope';
import { trpcContextFromRequest } from '@/server/trpc/context';

export const dynamic = 'force-dynamic';

/** The audit trail as CSV, for the filter in the query string, streamed as it is read. */
export async function GET(req: Request) {
  const ctx = await trpcContextFromRequest(req);
  let scope: AdminScope;
  try {
    if (!ctx.principal) throw new Error('not signed in');
    scope = adminScope(ctx.principal);
  } catch {
    // Like the admin pages: to anyone but an admin, this does not exist.
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }
  const filter = auditFilterFromParams(new URL(req.url).searchParams);
  if (!filter.success) {
    const reason = filter.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return new Response(reason, { status: 400, headers: { 'Content-Type': 'text/plain' } });
  }

  const actor = { principal: ctx.principal!, origin: ctx.origin ?? {}, via: 'web' as const };
  const lines = await exportAudit(ctx.archive, actor, scope, filter.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
