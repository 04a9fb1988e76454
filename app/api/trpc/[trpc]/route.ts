import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { crossSiteReason } from '@/server/auth/origin';
import { trpcContextFromRequest } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/router';

function handler(req: Request) {
  // Session cookies ride along on any request the browser sends here, whoever made the page:
  // a change must come from this app's own pages (CSRF). Queries are GETs and change nothing.
  if (req.method !== 'GET') {
    const refused = crossSiteReason(req.headers);
    if (refused) {
      return Response.json({ error: { message: refused, code: 'FORBIDDEN' } }, { status: 403 });
    }
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => trpcContextFromRequest(req),
  });
}

export { handler as GET, handler as POST };
