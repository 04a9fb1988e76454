/**
 * When each frame of a cine is shown, as the device recorded it. An angiogram (FA / ICG) is read
 * against the time since the dye went in, and its frames are seldom evenly spaced: bursts early,
 * single frames minutes later. So the Frame Time Vector (0018,1065), the increment before each
 * frame (PS3.3 C.7.6.5.1.2), comes first; then a constant Frame Time (0018,1063); then Cine Rate
 * (0018,0040); else ten frames a second.
 */
import { num, nums, TAG, type DicomJson } from './dicom-json';

export type CineTimingSource = 'FrameTimeVector' | 'FrameTime' | 'CineRate' | 'default';

export interface CineTiming {
  /** Milliseconds from the previous frame to frame i (the first is 0). */
  delays: number[];
  /** Milliseconds from the first frame to frame i. */
  elapsed: number[];
  source: CineTimingSource;
}

const MAX_STEP_MS = 10 * 60_000;

function fromSteps(steps: number[], source: CineTimingSource): CineTiming {
  const delays = steps.map((d, i) => (i === 0 ? 0 : d));
  const elapsed: number[] = [];
  delays.reduce((t, d, i) => (elapsed[i] = t + d), 0);
  return { delays, elapsed, source };
}

export function cineTiming(ds: DicomJson, frames: number): CineTiming {
  const n = Math.max(1, frames);
  const vector = nums(ds, TAG.FrameTimeVector);
  if (vector?.length === n && vector.slice(1).every((d) => d > 0 && d <= MAX_STEP_MS)) {
    return fromSteps(vector, 'FrameTimeVector');
  }
  const ft = num(ds, TAG.FrameTime);
  if (ft !== undefined && ft > 0 && ft < 10_000) return fromSteps(Array(n).fill(ft), 'FrameTime');
  const rate = num(ds, TAG.CineRate);
  if (rate !== undefined && rate > 0 && rate <= 1000) {
    return fromSteps(Array(n).fill(1000 / rate), 'CineRate');
  }
  return fromSteps(Array(n).fill(100), 'default');
}

/** Elapsed time for the reader: "0.0 s", "12.4 s", "2:05.0" from two minutes on. */
export function showElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}
