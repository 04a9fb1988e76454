import type { Archive } from '../app';
import type { TrpcContext } from './init';

/** The archive the server process opened (see server/http/server.ts). */
export function trpcContext(): TrpcContext {
  const archive = (globalThis as { __archive?: Archive }).__archive;
  if (!archive) throw new Error('The archive is not running in this process');
  return { archive: archive.ctx };
}
