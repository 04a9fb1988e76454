/**
 * `npm run bench:viewer [-- --quick] [--repeats N] [--frames N] [--slow-oct-repeats N]
 * [--only loopback|10mbit] [--keep]`: how long the study viewer takes, from opening a study to
 * the first fundus image drawn, and to the first B-scan drawn and every B-scan loaded of a
 * generated OCT, over loopback and with Chromium's network throttled to 10 Mbit/s.
 *
 * The peer, measured in the same run, same browser, same throttle, is the floor no viewer can
 * beat: a plain page on the same origin fetching the same frame URLs (same Accept header, same
 * order and concurrency as the viewer's prefetcher) with nothing decoded or drawn.
 *
 * Our server runs as `npm start` does (`node dist/server.mjs`, rebuilt now, NODE_ENV=production,
 * Next.js on the existing .next build) on a PostgreSQL database made for the run on the
 * loopback server the tests use, dropped afterwards. Prints Markdown tables and writes
 * bench/results/viewer-<UTC time>.json. See BENCHMARKS.md, "Viewer load". A benchmark, not a
 * test: it asserts nothing about time.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { imageToOphthalmicPhotography } from '../server/dicom/encapsulate';
import { generateOpt, OPT_SOP_CLASS_UID } from '../server/dicom/opt-generator';
import { ADMIN_URL } from '../server/test/harness';
import { centreOutOrder } from '../server/viewer/fetch-order';
import { CHROMIUM, chromiumMissing, launchBrowser } from '../playwright/browser';
import { seedUsers, signIn } from '../playwright/sign-in';
import { prepareOurs, REPO } from './build';
import { dicomPart, stowParts, type Endpoint } from './http';
import { describeMachine } from './machine';
import { provisionAccess } from './access';
import { oursDataDir, startOurs, type Peer } from './peers';
import { createRunDatabase } from './postgres';
import { round } from './stats';
import {
  CONDITIONS,
  DRAWN_PIXELS,
  FRAME_ACCEPT,
  PREFETCH_CONCURRENCY,
  fetchFloor,
  openViewer,
  type Condition,
  type FloorSample,
  type StorageState,
  type ViewerCase,
} from './viewer-page';
import {
  caseResult,
  fetchRows,
  readLoad,
  renderTable,
  renderTimeline,
  writeJson,
  type CaseResult,
  type FetchRow,
  type ViewerLoad,
  type ViewerReport,
} from './viewer-report';

const FUNDUS_DIR = path.resolve(REPO, '../shared/data/fundus');
const LARGE_FUNDUS = path.join(FUNDUS_DIR, 'topcon_fundus_from_OCT-Converter_2576x1934.jpg');
const SMALL_FUNDUS = path.join(FUNDUS_DIR, 'wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg');
const EMAIL = 'viewer-bench@bench.example';
const SITE = 'BENCH';

interface Plan {
  quick: boolean;
  keep: boolean;
  repeats: number;
  /** B-scans in the generated OCT. */
  frames: number;
  /** Repeats of the whole OCT under throttling, which takes minutes each (see BENCHMARKS.md). */
  slowOctRepeats: number;
  conditions: Condition['id'][];
  /** Per viewer load or floor fetch. */
  timeoutS: number;
}

const FLAGS = ['--quick', '--keep', '--repeats', '--frames', '--slow-oct-repeats', '--only'];

const ZArgs = z.object({
  quick: z.boolean(),
  keep: z.boolean(),
  repeats: z.coerce.number().int().min(1).max(100).optional(),
  frames: z.coerce.number().int().min(2).max(4000).optional(),
  slowOctRepeats: z.coerce.number().int().min(0).max(100).optional(),
  only: z.enum(['loopback', '10mbit']).optional(),
});

function parsePlan(argv: string[]): Plan {
  const valueOf = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const unknown = argv.filter((a) => a.startsWith('--') && !FLAGS.includes(a));
  if (unknown.length) throw new Error(`Unknown option(s): ${unknown.join(', ')}`);
  const a = ZArgs.parse({
    quick: argv.includes('--quick'),
    keep: argv.includes('--keep'),
    repeats: valueOf('--repeats'),
    frames: valueOf('--frames'),
    slowOctRepeats: valueOf('--slow-oct-repeats'),
    only: valueOf('--only'),
  });
  const repeats = a.repeats ?? (a.quick ? 2 : 5);
  return {
    quick: a.quick,
    keep: a.keep,
    repeats,
    frames: a.frames ?? (a.quick ? 64 : 512),
    slowOctRepeats: Math.min(repeats, a.slowOctRepeats ?? (a.quick ? 1 : 2)),
    conditions: a.only ? [a.only] : CONDITIONS.map((c) => c.id),
    timeoutS: 900,
  };
}

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const date = new Date().toISOString();
  const runDir = path.join(REPO, 'bench', 'tmp', `viewer-${date.replace(/[:.]/g, '-')}`);
  await mkdir(runDir, { recursive: true });
  const began = performance.now();
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  console.log(`Viewer benchmark${plan.quick ? ' (quick)' : ''}; working in ${runDir}`);

  const launch = prepareOurs({ dicomwebOnly: false, logDir: runDir });
  if (launch.mode !== 'npm-start') throw new Error(`the viewer needs Next.js: ${launch.note}`);
  const db = await createRunDatabase(ADMIN_URL);
  let server: Peer | null = null;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  try {
    // The database is migrated and given a site and a token before the first start, as
    // `npm run bench` does, so that the server's start is not timed with a migration in it.
    const access = await provisionAccess(oursDataDir(runDir), db.url);
    const [tech] = await seedUsers(db.url, [
      { email: EMAIL, roles: [{ role: 'SITE_TECHNICIAN', siteCode: SITE }] },
    ]);
    server = await startOurs(runDir, { launch, databaseUrl: db.url, access });
    const baseUrl = server.dicomweb.replace(/\/dicomweb$/, '');
    console.log(`Server: ${server.label} (${launch.note}), ${baseUrl}`);
    const endpoint: Endpoint = {
      dicomweb: server.dicomweb,
      headers: { Authorization: `Bearer ${tech.token}` },
    };
    const cases = await storeStudies(plan, endpoint, path.join(runDir, 'files'));

    browser = await launchBrowser();
    const storageState = await signedIn(browser, baseUrl);
    const browserVersion = browser.version();

    console.log('Warm-up: each study once on loopback, not counted');
    for (const c of cases) {
      await openViewer(browser, storageState, baseUrl, c, CONDITIONS[0], plan.timeoutS * 1000);
      await fetchFloor(browser, storageState, baseUrl, c, CONDITIONS[0], plan.timeoutS * 1000);
    }

    const results: CaseResult[] = [];
    for (const condition of CONDITIONS.filter((c) => plan.conditions.includes(c.id))) {
      for (const c of cases) {
        const slow = condition.throttle !== null && c.id === 'oct';
        const repeats = slow ? plan.slowOctRepeats : plan.repeats;
        results.push(
          await measureCase(browser, storageState, baseUrl, c, condition, repeats, plan),
        );
      }
    }

    const report: ViewerReport = {
      date,
      plan,
      machine: describeMachine(runDir),
      loadAverage: { before: loadBefore, after: os.loadavg().map((x) => round(x, 2)) },
      server: `${server.label}; ${launch.note}`,
      browser: `Chromium ${browserVersion} (${CHROMIUM}), headless, playwright-core`,
      conditions: CONDITIONS.filter((c) => plan.conditions.includes(c.id)),
      results,
      totalS: round((performance.now() - began) / 1000, 0),
    };
    console.log(`\n${renderTable(report)}\n\n${renderTimeline(report)}\n`);
    console.log(networkNotes(results));
    const file = await writeJson(report, path.join(REPO, 'bench', 'results'));
    console.log(`\nResults: ${path.relative(REPO, file)}`);
  } finally {
    await browser?.close();
    await server?.stop();
    await db.drop();
    if (!plan.keep) await rm(runDir, { recursive: true, force: true });
    console.log(`Total ${round((performance.now() - began) / 1000, 0)} s`);
  }
}

/** Ours and the floor in turn, each repeat in fresh contexts, swapping who goes first. */
async function measureCase(
  browser: NonNullable<Awaited<ReturnType<typeof launchBrowser>>>,
  storageState: StorageState,
  baseUrl: string,
  c: ViewerCase,
  condition: Condition,
  repeats: number,
  plan: Plan,
): Promise<CaseResult> {
  const loads: ViewerLoad[] = [];
  const floors: FloorSample[] = [];
  let firstFetches: FetchRow[] = [];
  const timeout = plan.timeoutS * 1000;
  for (let i = 0; i < repeats; i++) {
    const ours = async () => {
      const sample = await openViewer(browser, storageState, baseUrl, c, condition, timeout);
      loads.push(readLoad(c, sample));
      if (loads.length === 1) firstFetches = fetchRows(sample);
    };
    const floor = async () => {
      const f = await fetchFloor(browser, storageState, baseUrl, c, condition, timeout);
      const want = c.frames + c.alongside.length;
      if (f.requests !== want) throw new Error(`floor of ${c.label}: ${f.requests} of ${want}`);
      floors.push(f);
    };
    if (i % 2 === 0) {
      await ours();
      await floor();
    } else {
      await floor();
      await ours();
    }
    const l = loads[loads.length - 1];
    const f = floors[floors.length - 1];
    console.log(
      `  ${condition.label}, ${c.label}, ${i + 1}/${repeats}: drawn ${round(l.drawnMs, 0)} ms, ` +
        `ready ${round(l.readyMs, 0)} ms; floor ${round(f.firstMs, 0)} / ${round(f.allMs, 0)} ms`,
    );
  }
  return caseResult(condition, c, loads, firstFetches, floors);
}

/** Signs in once through the form; every fresh context starts with that session cookie. */
async function signedIn(
  browser: NonNullable<Awaited<ReturnType<typeof launchBrowser>>>,
  baseUrl: string,
): Promise<StorageState> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, baseUrl, EMAIL);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

interface StowAnswer {
  '00081199'?: { Value: Array<Record<string, { Value?: string[] }>> };
}

/** Stores one study over STOW-RS; returns the stored instances' WADO-RS paths by SOP class. */
async function stow(endpoint: Endpoint, files: string[]) {
  const res = await stowParts(
    endpoint,
    files.map((file) => dicomPart({ file })),
  );
  const answer = JSON.parse(res.body.toString('utf8')) as StowAnswer;
  const stored = (answer['00081199']?.Value ?? []).map((item) => ({
    sopClassUID: item['00081150']?.Value?.[0] ?? '',
    path: new URL(item['00081190']?.Value?.[0] ?? '').pathname,
  }));
  if (stored.length !== files.length) throw new Error(`STOW-RS stored ${stored.length} files`);
  const studyInstanceUID = /\/studies\/([^/]+)/.exec(stored[0].path)![1];
  return { studyInstanceUID, stored };
}

/**
 * The two fundus photos, each its own study (the real JPEGs, encapsulated unchanged), and a
 * generated OCT of `plan.frames` B-scans with its fundus localizer in one study.
 */
async function storeStudies(plan: Plan, endpoint: Endpoint, dir: string) {
  await mkdir(dir, { recursive: true });
  const t = performance.now();
  const cases: ViewerCase[] = [];
  const photos = [
    { id: 'fundus-large', label: 'Fundus 2576×1934', file: LARGE_FUNDUS },
    { id: 'fundus-small', label: 'Fundus 600×600', file: SMALL_FUNDUS },
  ] as const;
  for (const [i, p] of photos.entries()) {
    const jpeg = await readFile(p.file);
    const dicom = await imageToOphthalmicPhotography({
      bytes: jpeg,
      contentType: 'image/jpeg',
      patient: { patientID: `BENCH-VIEWER-${i + 1}`, patientName: `Viewer^Photo${i + 1}` },
      laterality: 'R',
    });
    const out = path.join(dir, `${p.id}.dcm`);
    await writeFile(out, dicom);
    const { studyInstanceUID, stored } = await stow(endpoint, [out]);
    cases.push({
      id: p.id,
      label: `${p.label} (${Math.round(jpeg.length / 1000)} kB JPEG)`,
      studyInstanceUID,
      viewports: ['photo-viewport'],
      primary: 'photo-viewport',
      frames: 1,
      primaryFrame: `${stored[0].path}/frames/1`,
      alongside: [],
      rest: [],
    });
  }

  const opt = await generateOpt({ outDir: path.join(dir, 'oct'), frames: plan.frames, seed: 31 });
  const { studyInstanceUID, stored } = await stow(endpoint, [opt.localizerPath, opt.optPath]);
  const volume = stored.find((s) => s.sopClassUID === OPT_SOP_CLASS_UID)!;
  const localizer = stored.find((s) => s.sopClassUID !== OPT_SOP_CLASS_UID)!;
  // The viewer opens on the middle B-scan and fetches outward from it (app/viewer/OctView.tsx).
  const order = centreOutOrder(Math.floor(opt.frames / 2), opt.frames);
  const frame = (i: number) => `${volume.path}/frames/${i + 1}`;
  cases.push({
    id: 'oct',
    label: `OCT ${opt.frames} B-scans (${round(opt.bytes / 1e6, 0)} MB)`,
    studyInstanceUID,
    viewports: ['bscan-viewport', 'localizer-viewport'],
    primary: 'bscan-viewport',
    frames: opt.frames,
    primaryFrame: frame(order[0]),
    alongside: [`${localizer.path}/frames/1`],
    rest: order.slice(1).map(frame),
  });
  console.log(
    `Stored 3 studies (${round(opt.bytes / 1e6, 0)} MB OCT) in ` +
      `${round((performance.now() - t) / 1000, 1)} s`,
  );
  return cases;
}

/** What the loads fetched that the floor did not, or fetched twice, in words. */
function networkNotes(results: CaseResult[]): string {
  const lines = [
    `Floor: fetch() of the same frame URLs, Accept "${FRAME_ACCEPT}", the primary frame (and ` +
      `the localizer beside a B-scan) first, then the rest ${PREFETCH_CONCURRENCY} at a time in ` +
      `the viewer's order. Drawn: at least ${DRAWN_PIXELS} non-black canvas pixels.`,
  ];
  for (const r of results) {
    const n = r.loads[0]?.network;
    if (!n) continue;
    const repeated = Object.entries(n.repeatedFrames).length;
    const twice = repeated ? `, ${repeated} asked twice or more` : '';
    lines.push(
      `- ${r.condition}, ${r.label}: ${n.requests} requests, ` +
        `${round(n.transferBytes / 1e6, 1)} MB; ` +
        `frames ${n.frameRequests} (${n.distinctFrames} distinct${twice}); ` +
        `thumbnails ${n.thumbnailRequests} (${n.distinctThumbnails} distinct); ` +
        `first frames asked for: ${n.firstFramesRequested.join(', ')}` +
        (n.scriptDecodedBytes
          ? `; scripts ${kB(n.scriptBytes)} sent for ${kB(n.scriptDecodedBytes)}`
          : '') +
        (r.loads.some((l) => l.pageErrors.length)
          ? `; page errors: ${r.loads
              .flatMap((l) => l.pageErrors)
              .slice(0, 3)
              .join(' | ')}`
          : ''),
    );
  }
  return lines.join('\n');
}

const kB = (n: number) => `${Math.round(n / 1000)} kB`;

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
