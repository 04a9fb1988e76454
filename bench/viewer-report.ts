/**
 * `npm run bench:viewer`'s numbers: each viewer load read apart (what the page marked, and what
 * its Resource Timing says it fetched and when), summaries over the repeats, the Markdown
 * tables printed on stdout and the JSON written to bench/results/viewer-<UTC time>.json.
 * Goals are shown beside the numbers; nothing here fails a run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Machine } from './machine';
import { percentile, ratio, round } from './stats';
import type { Condition, FloorSample, Resource, ViewerCase, ViewerSample } from './viewer-page';

/** One viewer load, read apart. Times in ms from the start of the navigation. */
export interface ViewerLoad {
  /** The primary viewport first shows pixels. */
  drawnMs: number;
  /**
   * Its thumbnail first shows, while the viewer's code loads or in the viewport until the frame
   * is drawn, whichever is first (null: the image was drawn before it came).
   */
  placeholderMs: number | null;
  /** Every viewport drawn; for an OCT, the localizer. */
  otherDrawnMs: number | null;
  /** The status line says ready with every frame loaded. */
  readyMs: number;
  timeline: {
    htmlInMs: number;
    /** Last script that started before the primary frame was requested. */
    scriptsInMs: number | null;
    metadataRequestedMs: number | null;
    metadataInMs: number | null;
    frameRequestedMs: number | null;
    frameInMs: number | null;
  };
  network: {
    scripts: number;
    scriptBytes: number;
    scriptDecodedBytes: number;
    metadataBytes: number | null;
    frameRequests: number;
    distinctFrames: number;
    /** Frame paths asked for more than once, with the count. */
    repeatedFrames: Record<string, number>;
    maxFramesInFlight: number;
    /** Frame numbers of the primary instance, in the order they were requested (first 12). */
    firstFramesRequested: number[];
    thumbnailRequests: number;
    distinctThumbnails: number;
    requests: number;
    transferBytes: number;
  };
  pageErrors: string[];
}

/** One fetch of a load, compact: what, when (ms from navigation start), how big. */
export interface FetchRow {
  path: string;
  type: string;
  startMs: number;
  endMs: number;
  kB: number;
}

/** The first load's fetches, in order, with only the first `frames` frame requests. */
export function fetchRows(s: ViewerSample, frames = 12): FetchRow[] {
  let seen = 0;
  return [...s.resources]
    .sort((a, b) => a.start - b.start)
    .filter((r) => !/\/frames\/\d+$/.test(pathOf(r.url)) || seen++ < frames)
    .map((r) => ({
      path: pathOf(r.url),
      type: r.type,
      startMs: round(r.start, 0),
      endMs: round(r.end, 0),
      kB: round(r.transfer / 1000, 1),
    }));
}

const pathOf = (url: string) => new URL(url, 'http://x').pathname;

export function readLoad(c: ViewerCase, s: ViewerSample): ViewerLoad {
  const m = s.marks;
  const other = c.viewports.find((v) => v !== c.primary);
  const list = [...s.resources].sort((a, b) => a.start - b.start);
  const frames = list.filter((r) => /\/frames\/\d+$/.test(pathOf(r.url)));
  const primary = frames.find((r) => pathOf(r.url) === c.primaryFrame);
  const instance = c.primaryFrame.replace(/\/frames\/\d+$/, '/frames/');
  const scripts = list.filter((r) => r.type === 'script' || /\.m?js$/.test(pathOf(r.url)));
  const before = primary ? scripts.filter((r) => r.start <= primary.start) : scripts;
  const metadata = list.find((r) => pathOf(r.url).endsWith('/metadata'));
  const thumbnails = list.filter((r) => pathOf(r.url).endsWith('/thumbnail'));

  const counts = new Map<string, number>();
  for (const r of frames) counts.set(pathOf(r.url), (counts.get(pathOf(r.url)) ?? 0) + 1);
  const repeatedFrames = Object.fromEntries([...counts].filter(([, n]) => n > 1));
  return {
    drawnMs: m[`${c.primary}:drawn`],
    placeholderMs: firstOf(m.preview, m[`${c.primary}:placeholder`]),
    otherDrawnMs: other ? (m[`${other}:drawn`] ?? null) : null,
    readyMs: m.ready,
    timeline: {
      htmlInMs: s.navigationEnd,
      scriptsInMs: before.length ? Math.max(...before.map((r) => r.end)) : null,
      metadataRequestedMs: metadata?.start ?? null,
      metadataInMs: metadata?.end ?? null,
      frameRequestedMs: primary?.start ?? null,
      frameInMs: primary?.end ?? null,
    },
    network: {
      scripts: scripts.length,
      scriptBytes: sum(scripts.map((r) => r.transfer)),
      scriptDecodedBytes: sum(scripts.map((r) => r.decoded)),
      metadataBytes: metadata?.transfer ?? null,
      frameRequests: frames.length,
      distinctFrames: counts.size,
      repeatedFrames,
      maxFramesInFlight: maxInFlight(frames),
      firstFramesRequested: frames
        .filter((r) => pathOf(r.url).startsWith(instance))
        .slice(0, 12)
        .map((r) => Number(/(\d+)$/.exec(pathOf(r.url))![1])),
      thumbnailRequests: thumbnails.length,
      distinctThumbnails: new Set(thumbnails.map((r) => pathOf(r.url))).size,
      requests: list.length + 1,
      transferBytes: s.navigationBytes + sum(list.map((r) => r.transfer)),
    },
    pageErrors: s.pageErrors,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function maxInFlight(list: Resource[]): number {
  const edges = list.flatMap((r) => [
    [r.start, 1],
    [r.end, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

export interface Summary {
  n: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function summarize(samples: Array<number | null | undefined>): Summary | null {
  const xs = samples.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (xs.length === 0) return null;
  return {
    n: xs.length,
    medianMs: round(percentile(xs, 50), 0),
    p95Ms: round(percentile(xs, 95), 0),
    minMs: round(Math.min(...xs), 0),
    maxMs: round(Math.max(...xs), 0),
  };
}

/** Every repeat of one case under one condition: the viewer's loads and the floor's fetches. */
export interface CaseResult {
  condition: Condition['id'];
  caseId: ViewerCase['id'];
  label: string;
  frames: number;
  /** Bytes the floor received (frames in their multipart wrapping). */
  floorBytes: number | null;
  loads: ViewerLoad[];
  /** What the first measured load fetched, and when. */
  firstLoadFetches: FetchRow[];
  floors: FloorSample[];
  summary: {
    drawn: Summary | null;
    placeholder: Summary | null;
    otherDrawn: Summary | null;
    ready: Summary | null;
    floorFirst: Summary | null;
    floorAll: Summary | null;
    htmlIn: Summary | null;
    scriptsIn: Summary | null;
    metadataRequested: Summary | null;
    metadataIn: Summary | null;
    frameRequested: Summary | null;
    frameIn: Summary | null;
  };
  ratios: { drawnOverFloor: number | null; readyOverFloor: number | null };
}

export function caseResult(
  condition: Condition,
  c: ViewerCase,
  loads: ViewerLoad[],
  firstLoadFetches: FetchRow[],
  floors: FloorSample[],
): CaseResult {
  const t = (f: (l: ViewerLoad['timeline']) => number | null) =>
    summarize(loads.map((l) => f(l.timeline)));
  const summary = {
    drawn: summarize(loads.map((l) => l.drawnMs)),
    placeholder: summarize(loads.map((l) => l.placeholderMs)),
    otherDrawn: summarize(loads.map((l) => l.otherDrawnMs)),
    ready: summarize(loads.map((l) => l.readyMs)),
    floorFirst: summarize(floors.map((f) => f.firstMs)),
    floorAll: summarize(floors.map((f) => f.allMs)),
    htmlIn: t((l) => l.htmlInMs),
    scriptsIn: t((l) => l.scriptsInMs),
    metadataRequested: t((l) => l.metadataRequestedMs),
    metadataIn: t((l) => l.metadataInMs),
    frameRequested: t((l) => l.frameRequestedMs),
    frameIn: t((l) => l.frameInMs),
  };
  return {
    condition: condition.id,
    caseId: c.id,
    label: c.label,
    frames: c.frames,
    floorBytes: floors[0]?.bytes ?? null,
    loads,
    firstLoadFetches,
    floors,
    summary,
    ratios: {
      drawnOverFloor: ratio(summary.drawn?.medianMs, summary.floorFirst?.medianMs),
      readyOverFloor: ratio(summary.ready?.medianMs, summary.floorAll?.medianMs),
    },
  };
}

export interface ViewerReport {
  date: string;
  plan: object;
  machine: Machine;
  /** os.loadavg() before and after: the machine is shared with other work. */
  loadAverage: { before: number[]; after: number[] };
  server: string;
  browser: string;
  conditions: Condition[];
  results: CaseResult[];
  totalS: number;
}

/** Goals of the issue, on loopback only, judged on the median. */
const GOALS: Partial<Record<string, number>> = {
  'fundus-large:drawn': 1000,
  'fundus-small:drawn': 1000,
  'oct:drawn': 1000,
  'oct:ready': 2000,
};

const ms = (s: Summary | null) => (s ? String(s.medianMs) : '-');
const spread = (s: Summary | null) => (s ? `${s.minMs}–${s.maxMs}` : '-');

function goal(r: CaseResult, what: string, s: Summary | null): string {
  const g = r.condition === 'loopback' ? GOALS[`${r.caseId}:${what}`] : undefined;
  if (g === undefined) return '';
  if (!s) return `< ${g / 1000} s`;
  return `< ${g / 1000} s: **${s.medianMs < g ? 'met' : 'not met'}**`;
}

export function renderTable(report: ViewerReport): string {
  const label = (id: string) => report.conditions.find((c) => c.id === id)?.label ?? id;
  const head = ['Network', 'Study', 'Time to…', 'Ours, median ms', 'min–max', 'Floor, median ms'];
  const lines = [
    `| ${[...head, 'Ours / floor', 'Goal'].join(' | ')} |`,
    '|---|---|---|--:|--:|--:|--:|---|',
  ];
  for (const r of report.results) {
    const s = r.summary;
    const row = (what: string, ours: Summary | null, floor: Summary | null, g = '') => {
      const vsFloor = floor ? show(ratio(ours?.medianMs, floor.medianMs)) : '';
      lines.push(
        `| ${label(r.condition)} | ${r.label} (n=${r.loads.length}) | ${what} | ${ms(ours)} | ` +
          `${spread(ours)} | ${ms(floor)} | ${vsFloor} | ${g} |`,
      );
    };
    if (r.caseId === 'oct') {
      row('localizer drawn', s.otherDrawn, null);
      row('first B-scan drawn', s.drawn, s.floorFirst, goal(r, 'drawn', s.drawn));
      row(`all ${r.frames} B-scans loaded`, s.ready, s.floorAll, goal(r, 'ready', s.ready));
    } else {
      row('thumbnail shown', s.placeholder, null);
      row('image drawn', s.drawn, s.floorFirst, goal(r, 'drawn', s.drawn));
    }
  }
  return lines.join('\n');
}

const show = (n: number | null | undefined) => (n == null ? '-' : String(n));
const kb = (n: number | null | undefined) => (n == null ? '-' : String(Math.round(n / 1000)));

/** Medians of where each load's time went, and what it fetched (from the first repeat). */
export function renderTimeline(report: ViewerReport): string {
  const label = (id: string) => report.conditions.find((c) => c.id === id)?.label ?? id;
  const lines = [
    `| ${[
      ...['Network', 'Study', 'HTML in', 'scripts in', 'metadata asked', 'metadata in'],
      ...['frame requested', 'frame in', 'drawn', 'scripts, n / kB sent / kB', 'metadata kB'],
      ...['frame requests (distinct)', 'most frames in flight'],
    ].join(' | ')} |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of report.results) {
    const s = r.summary;
    const n = r.loads[0]?.network;
    const cells = [
      label(r.condition),
      r.label,
      ms(s.htmlIn),
      ms(s.scriptsIn),
      ms(s.metadataRequested),
      ms(s.metadataIn),
      ms(s.frameRequested),
      ms(s.frameIn),
      ms(s.drawn),
      n ? `${n.scripts} / ${kb(n.scriptBytes)} / ${kb(n.scriptDecodedBytes)}` : '-',
      kb(n?.metadataBytes),
      n ? `${n.frameRequests} (${n.distinctFrames})` : '-',
      show(n?.maxFramesInFlight),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export async function writeJson(r: ViewerReport, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = r.date.replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `viewer-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

/** The earlier of two marks that may be missing; null when both are. */
function firstOf(...marks: Array<number | undefined>): number | null {
  const seen = marks.filter((x): x is number => x !== undefined);
  return seen.length ? Math.min(...seen) : null;
}
