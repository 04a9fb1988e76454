import { z } from 'zod';
import { listStudies } from '../archive/study-list';
import { describeMe } from '../auth/me';
import { adminRouter } from './admin';
import { annotationsRouter } from './annotations';
import { browseRouter } from './browse';
import { createCallerFactory, protectedProcedure, router } from './init';

export const ZStudyListInput = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});

export const appRouter = router({
  me: protectedProcedure.query(({ ctx }) => describeMe(ctx.archive.db, ctx.principal)),
  studies: router({
    list: protectedProcedure
      .input(ZStudyListInput)
      .query(({ ctx, input }) => listStudies(ctx.archive, ctx.principal, input)),
  }),
  admin: adminRouter,
  annotations: annotationsRouter,
  browse: browseRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
