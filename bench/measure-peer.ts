/**
 * Every measurement against one server, in a fixed order, with its peak memory recorded phase
 * by phase. The server is started here and always stopped again, even when a phase fails.
 */
import type { GeneratedOpt } from '../server/dicom/opt-generator';
import { WADO_SEED, type TinyStudy } from './fixtures';
import { dicomPart, stowParts, timed } from './http';
import {
  fillIndex,
  ingestFiles,
  ingestVolumes,
  type FillResult,
  type ManyIngest,
  type VolumeIngest,
} from './ingest';
import { PeakMemory, type PhasePeak } from './memory';
import type { BenchPlan } from './options';
import type { Peer } from './peers';
import { frameLatency, queryLatency, queryMix, type QueryLatency } from './retrieve';
import { round, type Latency } from './stats';

export interface PeerInput {
  plan: BenchPlan;
  ingestVolumes: GeneratedOpt[];
  wadoVolume: GeneratedOpt;
  /** Stored after the restart: new UIDs, same size as the ingest volumes. */
  restartVolume: GeneratedOpt;
  photos: { files: string[]; bytes: number };
  studies: TinyStudy[];
  /** A study of its own, stored before the volume after the restart. */
  warmupStudy: TinyStudy;
  /** How many tiny studies to store; the first server may lower it (see fillIndex). */
  studyTarget: number;
}

export interface PeerResult {
  label: string;
  startupS: number | null;
  /** Resident memory once the server first answered, before any request. */
  rssAtReadyMB: number | null;
  volumes?: VolumeIngest;
  photos?: ManyIngest;
  wadoVolumeStoreS?: number;
  frames?: Latency;
  fill?: FillResult;
  queries?: QueryLatency;
  memory: PhasePeak[];
  peakRssMB: number | null;
  peakResettable: boolean;
  /** The same server restarted on the data it now holds, then given one more volume. */
  restart?: RestartResult;
  error?: string;
}

export interface RestartResult {
  startupS: number | null;
  rssAtReadyMB: number | null;
  volume?: VolumeIngest;
  memory: PhasePeak[];
  error?: string;
}

/**
 * Two sessions: the first, on a data directory holding nothing but what the benchmark needs to
 * sign in, runs every measurement; the second, after a restart on the data the first left,
 * shows the memory of a server that holds an index it did not build itself.
 */
export async function measurePeer(start: () => Promise<Peer>, input: PeerInput) {
  const result = await session(start, (peer, mem, r) => runPhases(peer, mem, input, r));
  if (!result.error) {
    const again = await session(start, (peer, mem, r) => restartPhase(peer, mem, input, r));
    result.restart = {
      startupS: again.startupS,
      rssAtReadyMB: again.rssAtReadyMB,
      volume: again.volumes,
      memory: again.memory,
      error: again.error,
    };
  }
  return result;
}

type Phases = (peer: Peer, mem: PeakMemory, r: PeerResult) => Promise<void>;

/** Starts the server, runs `phases`, and always stops it; a failure is kept in `error`. */
async function session(start: () => Promise<Peer>, phases: Phases): Promise<PeerResult> {
  let peer: Peer;
  try {
    peer = await start();
  } catch (e) {
    return failedStart(e);
  }
  const mem = new PeakMemory(peer.proc.pid);
  const result: PeerResult = {
    label: peer.label,
    startupS: round(peer.startupS, 1),
    rssAtReadyMB: mem.recordStartup(),
    memory: mem.phases,
    peakRssMB: null,
    peakResettable: true,
  };
  try {
    await phases(peer, mem, result);
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    console.error(`  ${peer.name} failed: ${result.error}`);
  } finally {
    await peer.stop();
  }
  result.peakRssMB = mem.overallPeakMB();
  result.peakResettable = mem.resettable;
  return result;
}

function failedStart(e: unknown): PeerResult {
  const error = `could not start: ${e instanceof Error ? e.message : String(e)}`;
  console.error(`  ${error}`);
  return {
    label: 'not started',
    startupS: null,
    rssAtReadyMB: null,
    memory: [],
    peakRssMB: null,
    peakResettable: false,
    error,
  };
}

async function restartPhase(peer: Peer, mem: PeakMemory, input: PeerInput, r: PeerResult) {
  console.log(`  ${peer.name}: restarted; STOW-RS one more ${input.plan.optSize} OPT`);
  // One tiny instance first, so that the volume's time holds no first-request set-up.
  await stowParts(peer, [dicomPart(input.warmupStudy.bytes)]);
  r.volumes = await mem.measure('restart-stow-opt', () =>
    ingestVolumes(peer, [input.restartVolume]),
  );
}

async function runPhases(peer: Peer, mem: PeakMemory, input: PeerInput, r: PeerResult) {
  const { plan } = input;
  const say = (what: string) => console.log(`  ${peer.name}: ${what}`);

  say(`STOW-RS ${input.ingestVolumes.length} x ${plan.optSize} OPT`);
  r.volumes = await mem.measure('stow-opt', () => ingestVolumes(peer, input.ingestVolumes));

  say(`STOW-RS ${input.photos.files.length} photos, ${plan.concurrency} in flight`);
  r.photos = await mem.measure('stow-photos', () =>
    ingestFiles(peer, input.photos.files, input.photos.bytes, plan.concurrency),
  );

  say(`WADO-RS frames of a ${input.wadoVolume.frames}-frame OPT`);
  r.frames = await mem.measure('wado-frames', async () => {
    const part = dicomPart({ file: input.wadoVolume.optPath });
    r.wadoVolumeStoreS = round((await timed(() => stowParts(peer, [part]))).ms / 1000, 2);
    const counts = { warmup: plan.wadoWarmup, requests: plan.wadoRequests };
    return frameLatency(peer, input.wadoVolume, WADO_SEED, counts);
  });

  say(`filling the index with ${input.studyTarget} studies`);
  r.fill = await mem.measure('qido-fill', () => fillIndex(peer, input.studies, fillOptions(input)));

  say(`QIDO-RS ${plan.qidoQueries} queries over ${r.fill.count} studies`);
  const queries = queryMix(input.studies.slice(0, r.fill.count), plan.qidoQueries);
  r.queries = await mem.measure('qido', () => queryLatency(peer, queries, plan.qidoWarmup));
}

function fillOptions({ plan, studyTarget }: PeerInput) {
  return {
    target: studyTarget,
    concurrency: plan.concurrency,
    budgetS: plan.fillBudgetS,
    fallback: Math.min(plan.fallbackStudies, studyTarget),
  };
}
