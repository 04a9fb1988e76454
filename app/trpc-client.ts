import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@/server/trpc/router';

/**
 * The browser's tRPC client, for mutations from client components (pages read through
 * server-side callers). No transformer: dates in answers arrive as ISO strings, so the
 * mutations the browser calls return none it relies on.
 */
export const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });
