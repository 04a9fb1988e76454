/**
 * The viewer's saved measurements: list, save and delete, each for the signed-in user on a
 * study they may see (server/viewer/annotations.ts checks both).
 */
import { deleteAnnotation, listAnnotations, saveAnnotation } from '../viewer/annotations';
import { ZAnnotationDelete, ZAnnotationList, ZAnnotationSave } from '../viewer/annotation-types';
import { toTrpcError } from './errors';
import { protectedProcedure, router } from './init';

const procedure = protectedProcedure.use(async ({ next }) => {
  const result = await next();
  // Expected refusals are AppErrors: give the browser their reason and code.
  if (!result.ok && result.error.cause) {
    const mapped = toTrpcError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const annotationsRouter = router({
  list: procedure
    .input(ZAnnotationList)
    .query(({ ctx, input }) => listAnnotations(ctx.archive.db, ctx.principal, input)),
  save: procedure
    .input(ZAnnotationSave)
    .mutation(({ ctx, input }) => saveAnnotation(ctx.archive.db, ctx.principal, input)),
  delete: procedure
    .input(ZAnnotationDelete)
    .mutation(({ ctx, input }) => deleteAnnotation(ctx.archive.db, ctx.principal, input)),
});
