/**
 * What `npm run bench:viewer` does inside the browser: opens the viewer on a study in a fresh
 * context and notes, from inside the page, when each thing the user waits for first happens;
 * and the floor, a plain fetch() of the same frame URLs with no decoding or drawing.
 *
 * Every time is `performance.now()` in the page, in ms. For the viewer that is from the page's
 * time origin, the start of the navigation to /view, so the HTML, the scripts, the study
 * metadata and the frames all count. For the floor it is from its first fetch().
 * Marks are taken at animation frames, so each is at most one frame (~17 ms) late.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Network conditions applied with the DevTools protocol; null: loopback as it is. */
export interface Throttle {
  latencyMs: number;
  /** Bits per second, each way. */
  bitsPerS: number;
}

export interface Condition {
  id: 'loopback' | '10mbit';
  label: string;
  throttle: Throttle | null;
}

export const CONDITIONS: Condition[] = [
  { id: 'loopback', label: 'loopback', throttle: null },
  {
    id: '10mbit',
    label: '10 Mbit/s, 20 ms',
    throttle: { latencyMs: 20, bitsPerS: 10e6 },
  },
];

/** One study opened in the viewer, and the frame URLs the floor fetches for it. */
export interface ViewerCase {
  id: 'fundus-large' | 'fundus-small' | 'oct';
  label: string;
  studyInstanceUID: string;
  /** data-testid of every viewport that must show pixels. */
  viewports: string[];
  /** The viewport whose first pixels are "the first image". */
  primary: string;
  /** Frames the viewer must have before it is done (1 for a photo). */
  frames: number;
  /** Path of the frame the primary viewport opens on. */
  primaryFrame: string;
  /** Frames the viewer requests at the same moment (the localizer beside a B-scan). */
  alongside: string[];
  /** The other frames, in the order the viewer's prefetcher asks for them. */
  rest: string[];
}

/** Accept header of Cornerstone's WADO-RS loader (dicom-image-loader wadors/loadImage.js). */
export const FRAME_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
/** Frames in flight at once in the viewer's background fetch (app/viewer/prefetch.ts). */
export const PREFETCH_CONCURRENCY = 3;
/** Non-black canvas pixels that count as "drawn" (the browser tests' waitDrawn uses it too). */
export const DRAWN_PIXELS = 20_000;

export interface ProbeState {
  marks: Record<string, number>;
  done: boolean;
  error: string | null;
}

declare global {
  interface Window {
    __bench?: ProbeState;
  }
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named inner functions in
 * `__name(...)` calls; functions sent to the page would fail without this no-op.
 */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/**
 * Runs in the viewer's page before any of its scripts, and on every animation frame records
 * `preview` (the first image's thumbnail shown while the viewer's code loads),
 * `<viewport>:placeholder` (the thumbnail shown until the first frame is drawn),
 * `<viewport>:drawn` (the canvas shows at least `minPixels` non-black pixels, counted by the
 * viewer's own test hook) and `ready` (the status line says ready with every frame loaded).
 * The canvas is read only after a render event, or every tenth frame: reading it is not free.
 */
function probe(arg: { viewports: string[]; frames: number; minPixels: number }): void {
  performance.setResourceTimingBufferSize(20_000);
  const state: ProbeState = { marks: {}, done: false, error: null };
  window.__bench = state;
  const mark = (key: string) => {
    if (state.marks[key] === undefined) state.marks[key] = performance.now();
  };
  let seenRenders = -1;
  let tick = 0;
  const onFrame = () => {
    tick += 1;
    const hook = window.__viewer;
    const rendered = hook?.rendered ?? 0;
    const look = rendered > 0 && (rendered !== seenRenders || tick % 10 === 0);
    seenRenders = rendered;
    const preview = document.querySelector('img[data-testid="early-preview"]');
    if (preview instanceof HTMLImageElement && preview.complete && preview.naturalWidth > 0) {
      mark('preview');
    }
    for (const id of arg.viewports) {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (!el) continue;
      const img = el.parentElement?.querySelector('img.placeholder') as HTMLImageElement | null;
      if (img && img.complete && img.naturalWidth > 0) mark(`${id}:placeholder`);
      if (hook && look && state.marks[`${id}:drawn`] === undefined) {
        if (hook.drawnPixels(id) >= arg.minPixels) mark(`${id}:drawn`);
      }
    }
    const status = document.querySelector('[data-testid="viewer-status"]');
    const s = status?.getAttribute('data-state');
    if (s === 'error') state.error = status?.textContent ?? 'error';
    if (s === 'ready' && Number(status?.getAttribute('data-loaded')) >= arg.frames) mark('ready');
    const drawn = arg.viewports.every((id) => state.marks[`${id}:drawn`] !== undefined);
    state.done = state.error !== null || (drawn && state.marks.ready !== undefined);
    if (!state.done) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
}

/** One resource the page fetched, from the Resource Timing API (times in ms, sizes in bytes). */
export interface Resource {
  url: string;
  type: string;
  start: number;
  end: number;
  transfer: number;
  decoded: number;
}

function resources(): { navigationEnd: number; navigationBytes: number; list: Resource[] } {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  const list = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
    (e) => ({
      url: e.name,
      type: e.initiatorType,
      start: e.startTime,
      end: e.responseEnd,
      transfer: e.transferSize,
      decoded: e.decodedBodySize,
    }),
  );
  return { navigationEnd: nav?.responseEnd ?? NaN, navigationBytes: nav?.transferSize ?? 0, list };
}

async function freshPage(browser: Browser, storageState: StorageState) {
  const context = await browser.newContext({
    storageState,
    viewport: { width: 1280, height: 1000 },
  });
  await context.addInitScript({ content: NAME_SHIM });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

function late(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`${what}: not done in ${ms / 1000} s`)), ms).unref();
  });
}

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Network emulation for this page, the way DevTools' throttling does it. */
async function throttle(context: BrowserContext, page: Page, t: Throttle | null): Promise<void> {
  if (!t) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: t.latencyMs,
    downloadThroughput: t.bitsPerS / 8,
    uploadThroughput: t.bitsPerS / 8,
  });
}

export interface ViewerSample {
  marks: Record<string, number>;
  navigationEnd: number;
  navigationBytes: number;
  resources: Resource[];
  pageErrors: string[];
}

/** Opens /view on the case's study in a cold context and waits until everything is in. */
export async function openViewer(
  browser: Browser,
  storageState: StorageState,
  baseUrl: string,
  c: ViewerCase,
  condition: Condition,
  timeoutMs: number,
): Promise<ViewerSample> {
  const { context, page, errors } = await freshPage(browser, storageState);
  try {
    await context.addInitScript(probe, {
      viewports: c.viewports,
      frames: c.frames,
      minPixels: DRAWN_PIXELS,
    });
    await throttle(context, page, condition.throttle);
    await page.goto(`${baseUrl}/view?studyUID=${c.studyInstanceUID}`, {
      waitUntil: 'commit',
      timeout: timeoutMs,
    });
    await page.waitForFunction(() => window.__bench?.done === true, undefined, {
      timeout: timeoutMs,
      polling: 250,
    });
    const state = (await page.evaluate(() => window.__bench))!;
    if (state.error) throw new Error(`${c.label}: the viewer reported "${state.error}"`);
    const r = await page.evaluate(resources);
    return {
      marks: state.marks,
      navigationEnd: r.navigationEnd,
      navigationBytes: r.navigationBytes,
      resources: r.list,
      pageErrors: errors,
    };
  } finally {
    await context.close();
  }
}

export interface FloorSample {
  /** The primary frame in. */
  firstMs: number;
  /** Every frame in. */
  allMs: number;
  bytes: number;
  requests: number;
}

/**
 * In the page: the primary frame and those alongside it requested at once, then, as soon as
 * the primary frame is in, the rest `concurrency` at a time in the given order; each body read
 * to its end and dropped. This is what the viewer's requests cost with nothing else done.
 */
async function fetchFrames(arg: {
  primary: string;
  alongside: string[];
  rest: string[];
  accept: string;
  concurrency: number;
}) {
  const t0 = performance.now();
  let bytes = 0;
  let requests = 0;
  const get = async (url: string) => {
    const res = await fetch(url, { headers: { Accept: arg.accept } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    bytes += body.byteLength;
    requests += 1;
  };
  const alongside = Promise.all(arg.alongside.map(get));
  await get(arg.primary);
  const primaryMs = performance.now() - t0;
  let next = 0;
  const worker = async () => {
    while (next < arg.rest.length) await get(arg.rest[next++]);
  };
  await Promise.all(Array.from({ length: arg.concurrency }, worker));
  await alongside;
  return { primaryMs, allMs: performance.now() - t0, bytes, requests };
}

/** The floor for a case, in a cold context of its own with the same network conditions. */
export async function fetchFloor(
  browser: Browser,
  storageState: StorageState,
  baseUrl: string,
  c: ViewerCase,
  condition: Condition,
  timeoutMs: number,
): Promise<FloorSample> {
  const { context, page } = await freshPage(browser, storageState);
  try {
    // A tiny page on the same origin, so fetch() sends the session cookie like the viewer.
    await page.goto(`${baseUrl}/healthz`);
    await throttle(context, page, condition.throttle);
    const fetched = page.evaluate(fetchFrames, {
      primary: c.primaryFrame,
      alongside: c.alongside,
      rest: c.rest,
      accept: FRAME_ACCEPT,
      concurrency: PREFETCH_CONCURRENCY,
    });
    const r = await Promise.race([fetched, late(timeoutMs, `floor of ${c.label}`)]);
    return { firstMs: r.primaryMs, allMs: r.allMs, bytes: r.bytes, requests: r.requests };
  } finally {
    await context.close();
  }
}
