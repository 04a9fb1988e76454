/**
 * The patient and study browser's API: study search, a patient's timeline, what an IHE
 * Invoke Image Display launch URL opens, and the priors the viewer compares an image with.
 * Each procedure calls one service function, which narrows to what the caller may see and
 * audits what it shows.
 */
import { browseOptions, searchStudies, ZStudySearch, type BrowseActor } from '../archive/browse';
import { resolveLaunch, ZLaunchInput } from '../archive/launch';
import { patientTimeline, ZTimelineInput } from '../archive/patient-timeline';
import { priorStudies, ZPriorsInput } from '../archive/priors';
import { toTrpcError } from './errors';
import { protectedProcedure, router } from './init';

const browseProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const actor: BrowseActor = { principal: ctx.principal, origin: ctx.origin };
  const result = await next({ ctx: { ...ctx, actor } });
  // Expected failures (a malformed date range) are AppErrors: give the page its reason.
  if (!result.ok && result.error.cause) {
    const mapped = toTrpcError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const browseRouter = router({
  options: browseProcedure.query(({ ctx }) => browseOptions(ctx.archive, ctx.principal)),
  search: browseProcedure
    .input(ZStudySearch)
    .query(({ ctx, input }) => searchStudies(ctx.archive, ctx.actor, input)),
  timeline: browseProcedure
    .input(ZTimelineInput)
    .query(({ ctx, input }) => patientTimeline(ctx.archive, ctx.actor, input)),
  launch: browseProcedure
    .input(ZLaunchInput)
    .query(({ ctx, input }) => resolveLaunch(ctx.archive, ctx.actor, input)),
  priors: browseProcedure
    .input(ZPriorsInput)
    .query(({ ctx, input }) => priorStudies(ctx.archive, ctx.actor, input)),
});
