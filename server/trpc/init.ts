/**
 * tRPC for the web app's own API. Procedures parse input with zod, then call one service
 * function; the archive context comes from the running server.
 */
import { initTRPC } from '@trpc/server';
import type { ArchiveContext } from '../archive/context';

export interface TrpcContext {
  archive: ArchiveContext;
}

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
