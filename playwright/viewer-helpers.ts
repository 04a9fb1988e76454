/**
 * Shared pieces of the viewer's browser tests: a real server on a fresh database with a signed-in
 * technician, studies stored over STOW-RS, waiting on the viewer's own signals (never a sleep),
 * screenshots of one viewport compared with stored ones, and pydicom as the independent reader.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { SHARED_DATA } from '../server/test/harness';
import {
  createTestDatabase,
  startServerProcess,
  type ServerProcess,
} from '../server/test/server-process';
import { setDefaultToken, stow, type Part } from '../server/test/stow-client';
import { chromiumMissing, launchBrowser } from './browser';
import { seedUsers, signIn } from './sign-in';

export const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
export const PYTHON = '/usr/bin/python3';
const ROOT = path.resolve(import.meta.dirname, '..');
const SNAPSHOTS = path.join(import.meta.dirname, 'snapshots');

export const skipReason =
  chromiumMissing() ||
  (!existsSync(FUNDUS) && `test data not found at ${SHARED_DATA}`) ||
  (!existsSync(PYTHON) && `${PYTHON} (with pydicom) not found`) ||
  (!existsSync(path.join(ROOT, '.next/BUILD_ID')) &&
    'the web app is not built: run npx next build --webpack first');

export interface ViewerFixture {
  server: ServerProcess;
  browser: Browser;
  email: string;
  /** Stores Part 10 files with the technician's token; returns the study UID of the first. */
  store(files: Array<Buffer | { file: string }>): Promise<string>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startViewerFixture(email: string): Promise<ViewerFixture> {
  const db = await createTestDatabase();
  const server = await startServerProcess({ databaseUrl: db.url });
  const [tech] = await seedUsers(db.url, [
    { email, roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'TEST-A' }] },
  ]);
  const browser = await launchBrowser();
  return {
    server,
    browser,
    email,
    async store(files) {
      setDefaultToken(tech.token!);
      const parts: Part[] = files.map((body) => ({ contentType: 'application/dicom', body }));
      const res = await stow(`${server.baseUrl}/dicomweb`, parts);
      setDefaultToken(undefined);
      assert.equal(res.status, 200, res.body.toString());
      const url: string = res.json['00081199'].Value[0]['00081190'].Value[0];
      return /studies\/([\d.]+)/.exec(url)![1];
    },
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await signIn(page, server.baseUrl, email);
      return page;
    },
    async close() {
      await browser?.close();
      await server?.stop();
      await db?.drop();
    },
  };
}

/** Opens /view on a study and waits until the viewer says the chosen image is ready. */
export async function openStudy(page: Page, baseUrl: string, studyUID: string): Promise<void> {
  await page.goto(`${baseUrl}/view?studyUID=${studyUID}`);
  await page.waitForFunction(() => !!window.__viewer);
}

/** Waits for the status line to settle, and fails with its text if it reports an error. */
export async function waitReady(page: Page): Promise<void> {
  const status = page.getByTestId('viewer-status');
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="viewer-status"]')?.getAttribute('data-state');
      return s === 'ready' || s === 'error';
    },
    undefined,
    { timeout: 60_000 },
  );
  assert.equal(
    await status.getAttribute('data-state'),
    'ready',
    (await status.textContent()) ?? 'no status text',
  );
}

/** Waits until a viewport's canvas really shows at least `min` non-black pixels. */
export async function waitDrawn(page: Page, testId: string, min = 20_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, n]) => {
      const hook = window.__viewer;
      const drawn = hook && hook.rendered > 0 ? hook.drawnPixels(id) : 0;
      return drawn >= n ? drawn : false;
    },
    [testId, min] as const,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Waits until the decoded image a viewport shows has, at each (row, column) point, the values
 * expected there (each channel within `tolerance`): the frame on screen is the one expected.
 */
export async function waitImagePixels(
  page: Page,
  testId: string,
  points: Array<[number, number]>,
  expected: number[][],
  tolerance = 0,
): Promise<void> {
  await page.waitForFunction(
    ([id, p, want, tol]) => {
      const got = window.__viewer!.imagePixels(id, p);
      return !!got && got.every((v, k) => v.every((x, c) => Math.abs(x - want[k][c]) <= tol));
    },
    [testId, points, expected, tolerance] as const,
    { timeout: 15_000 },
  );
}

/** Page coordinates of an image point (x = column, y = row) in a viewport. */
export async function imageToPage(page: Page, testId: string, x: number, y: number) {
  const at = await page.evaluate(([id, px, py]) => window.__viewer!.imageToPage(id, px, py), [
    testId,
    x,
    y,
  ] as const);
  assert.ok(at, `no image shown in ${testId}`);
  return at;
}

/** Drags with the left button from one image point to another, in small steps. */
export async function dragOnImage(
  page: Page,
  testId: string,
  from: [number, number],
  to: [number, number],
): Promise<void> {
  const a = await imageToPage(page, testId, ...from);
  const b = await imageToPage(page, testId, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 12 });
  await page.mouse.up();
}

/** Waits until the viewer has no save in flight and has saved at least `count` annotations. */
export async function waitSaved(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => window.__viewer!.pendingSaves === 0 && window.__viewer!.saves >= n,
    count,
  );
}

/**
 * Compares a screenshot of one element with playwright/snapshots/NAME.png: same size, and a
 * mean absolute difference per channel below `maxMean` (0..255). A missing snapshot, or
 * UPDATE_SNAPSHOTS=1, writes it instead (commit the file).
 */
export async function matchSnapshot(element: Locator, name: string, maxMean = 4): Promise<number> {
  const shot = await element.screenshot();
  const file = path.join(SNAPSHOTS, `${name}.png`);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, shot);
    console.log(`snapshot written: ${path.relative(ROOT, file)}`);
    return 0;
  }
  const [actual, expected] = await Promise.all(
    [shot, file].map((src) => sharp(src).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
  );
  assert.deepEqual(
    [actual.info.width, actual.info.height],
    [expected.info.width, expected.info.height],
    `${name}: screenshot size differs from the snapshot`,
  );
  let sum = 0;
  for (let i = 0; i < actual.data.length; i++) sum += Math.abs(actual.data[i] - expected.data[i]);
  const mean = sum / actual.data.length;
  if (mean >= maxMean && process.env.SCREENSHOT_DIR) {
    writeFileSync(path.join(process.env.SCREENSHOT_DIR, `${name}.actual.png`), shot);
  }
  assert.ok(mean < maxMean, `${name}: mean difference ${mean.toFixed(2)} is over ${maxMean}`);
  return mean;
}

/** Decoded RGB (or grey) values at (row, column) points, read by pydicom. */
export function pydicomPixels(file: string, points: Array<[number, number]>): number[][] {
  const script = path.join(ROOT, 'server/test/pixels.py');
  const args = [script, file, '0', ...points.map(([r, c]) => `${r},${c}`)];
  return JSON.parse(execFileSync(PYTHON, args).toString()) as number[][];
}

/** Runs a Python snippet with Debian's python3 (pydicom, numpy) and parses its JSON output. */
export function python<T>(code: string, ...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', code, ...args]).toString()) as T;
}
