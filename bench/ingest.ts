/**
 * STOW-RS measurements: large OPT volumes one at a time, fundus photos with a few requests in
 * flight, and the fill of the query index with tiny studies. Throughput is bytes of DICOM
 * sent divided by the wall time from request start to the complete response.
 */
import type { GeneratedOpt } from '../server/dicom/opt-generator';
import { flushDirtyPages } from './disk';
import type { TinyStudy } from './fixtures';
import { dicomPart, pool, stowParts, timed } from './http';
import type { Peer } from './peers';
import { mbPerS, median, round } from './stats';

export interface VolumeIngest {
  bytes: number;
  seconds: number[];
  mbps: number[];
  medianMBps: number;
}

/** Each volume once, sequentially; the median of the repeats is the figure reported. */
export async function ingestVolumes(peer: Peer, volumes: GeneratedOpt[]): Promise<VolumeIngest> {
  const seconds: number[] = [];
  const mbps: number[] = [];
  for (const v of volumes) {
    flushDirtyPages();
    const { ms } = await timed(() => stowParts(peer, [dicomPart({ file: v.optPath })]));
    seconds.push(round(ms / 1000, 3));
    mbps.push(mbPerS(v.bytes, ms / 1000));
  }
  return { bytes: volumes[0]?.bytes ?? 0, seconds, mbps, medianMBps: median(mbps) };
}

export interface ManyIngest {
  count: number;
  bytes: number;
  seconds: number;
  perS: number;
  mbps: number;
}

/** One file per request, `concurrency` requests in flight. */
export async function ingestFiles(
  peer: Peer,
  files: string[],
  bytes: number,
  concurrency: number,
): Promise<ManyIngest> {
  flushDirtyPages();
  const { ms } = await timed(() =>
    pool(files.length, concurrency, async (i) => {
      await stowParts(peer, [dicomPart({ file: files[i] })]);
    }),
  );
  return summary(files.length, bytes, ms);
}

export interface FillResult extends ManyIngest {
  /** Set when the projected fill time exceeded the budget and the count was lowered. */
  cappedFrom: number | null;
}

/**
 * Stores `target` tiny studies with `concurrency` requests in flight. After the first few
 * hundred, the time for the whole target is projected: past `budgetS`, the target drops to
 * `fallback` (so that a slow server does not hold the whole run hostage).
 */
export async function fillIndex(
  peer: Peer,
  studies: TinyStudy[],
  opts: { target: number; concurrency: number; budgetS: number; fallback: number },
): Promise<FillResult> {
  let target = opts.target;
  let cappedFrom: number | null = null;
  let done = 0;
  let bytes = 0;
  flushDirtyPages();
  const start = performance.now();

  const checkBudget = () => {
    if (cappedFrom !== null || done !== 300 || target <= opts.fallback) return;
    const projectedS = ((performance.now() - start) / 1000 / done) * target;
    if (projectedS > opts.budgetS) [cappedFrom, target] = [target, opts.fallback];
  };

  let next = 0;
  const worker = async () => {
    while (next < target) {
      const s = studies[next++];
      await stowParts(peer, [dicomPart(s.bytes)]);
      done++;
      bytes += s.bytes.length;
      checkBudget();
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { ...summary(done, bytes, performance.now() - start), cappedFrom };
}

function summary(count: number, bytes: number, ms: number): ManyIngest {
  const seconds = ms / 1000;
  return {
    count,
    bytes,
    seconds: round(seconds, 2),
    perS: round(count / seconds, 1),
    mbps: mbPerS(bytes, seconds),
  };
}
