/** Small statistics for latency samples and throughput repeats. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (samples: number[]) => percentile(samples, 50);

export interface Latency {
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export function latency(samplesMs: number[]): Latency {
  return {
    n: samplesMs.length,
    p50Ms: round(percentile(samplesMs, 50), 2),
    p95Ms: round(percentile(samplesMs, 95), 2),
    maxMs: round(Math.max(...samplesMs), 2),
  };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Decimal megabytes per second, the unit disks and `dd` report. */
export function mbPerS(bytes: number, seconds: number): number {
  return round(bytes / 1e6 / seconds, 1);
}

/** a / b rounded, or null when either side was not measured. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return round(a / b, 2);
}

/** Deterministic PRNG (mulberry32), so that two servers get the same "random" requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
