/**
 * Priors in the viewer, in a real browser: C shows the same eye's latest earlier visit beside
 * the image, the list offers the older ones, zoom follows both ways, an eye without an earlier
 * visit says so; on OCT the prior volume shows the B-scan at the same relative position, checked
 * against the pixels pydicom decodes from the prior's file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { imageToOphthalmicPhotography, newUid } from '../server/dicom/encapsulate';
import { generateOpt } from '../server/dicom/opt-generator';
import { SHARED_DATA } from '../server/test/harness';
import {
  FUNDUS,
  openStudy,
  python,
  skipReason,
  startViewerFixture,
  waitDrawn,
  waitImagePixels,
  waitReady,
  type ViewerFixture,
} from './viewer-helpers';

const TOPCON = `${SHARED_DATA}/fundus/topcon_fundus_from_OCT-Converter_2576x1934.jpg`;
const PATIENT = { patientID: 'PRIOR-1', issuerOfPatientID: 'TEST-A', patientName: 'Prior^Pia' };
const CURRENT_FRAMES = 24;
const PRIOR_FRAMES = 12;

/** Pixels of every frame of a volume at the given (row, column) points, by pydicom. */
const FRAME_PIXELS = `
import sys, json, pydicom
arr = pydicom.dcmread(sys.argv[1]).pixel_array
points = json.loads(sys.argv[2])
print(json.dumps([[int(f[r, c]) for r, c in points] for f in arr]))
`;

async function zoomOf(page: Page, testId: string): Promise<number> {
  const z = await page.evaluate((id) => window.__viewer!.zoom(id), testId);
  assert.ok(z !== null, `no viewport ${testId}`);
  return z;
}

describe('study viewer: priors of the same eye', { skip: skipReason }, () => {
  let fx: ViewerFixture;
  let dir: string;
  const study: Record<'current' | 'prior' | 'oldest' | 'octCurrent' | 'octPrior', string> =
    {} as never;
  let priorOpt: string;
  let priorFrames: number[][];
  const points: Array<[number, number]> = [
    [100, 150],
    [250, 300],
    [350, 450],
    [450, 200],
  ];

  before(async () => {
    fx = await startViewerFixture('tech@viewer-priors.example');
    dir = mkdtempSync(path.join(tmpdir(), 'viewer-priors-'));
    const photo = (file: string, date: string, eye: 'R' | 'L', studyInstanceUID?: string) =>
      imageToOphthalmicPhotography({
        studyInstanceUID,
        bytes: readFileSync(file),
        contentType: 'image/jpeg',
        patient: PATIENT,
        laterality: eye,
        studyDate: date,
      });
    study.oldest = await fx.store([await photo(TOPCON, '20210405', 'R')]);
    study.prior = await fx.store([await photo(TOPCON, '20230405', 'R')]);
    const visit = newUid();
    study.current = await fx.store([
      await photo(FUNDUS, '20250405', 'R', visit),
      await photo(FUNDUS, '20250405', 'L', visit),
    ]);

    const prior = await generateOpt({
      outDir: path.join(dir, 'prior'),
      frames: PRIOR_FRAMES,
      seed: 3,
      acquiredAt: new Date('2024-01-10T09:00:00Z'),
    });
    const current = await generateOpt({
      outDir: path.join(dir, 'current'),
      frames: CURRENT_FRAMES,
      seed: 11,
      acquiredAt: new Date('2025-02-20T09:00:00Z'),
    });
    study.octPrior = await fx.store([{ file: prior.localizerPath }, { file: prior.optPath }]);
    study.octCurrent = await fx.store([{ file: current.localizerPath }, { file: current.optPath }]);
    priorOpt = prior.optPath;
    priorFrames = python<number[][]>(FRAME_PIXELS, priorOpt, JSON.stringify(points));
    for (let i = 1; i < PRIOR_FRAMES; i++) {
      assert.notDeepEqual(priorFrames[i], priorFrames[i - 1], `prior frames ${i - 1}, ${i}`);
    }
  });

  after(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('C shows the latest prior of the eye beside the photo, the older one listed', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, study.current);
    await waitReady(page);
    await page.locator('button[data-kind="photo"]', { hasText: 'OD' }).click();
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    await page.keyboard.press('c');
    await page.waitForFunction(() => !!window.__viewer!.prior);
    assert.equal(await page.evaluate(() => window.__viewer!.prior!.studyInstanceUID), study.prior);
    await waitDrawn(page, 'prior-viewport');
    const options = await page.getByTestId('prior-select').locator('option').allTextContents();
    assert.deepEqual(options, ['2023-04-05', '2021-04-05']);

    // Zoom on the current image: the prior follows; zoom on the prior: the current follows.
    const before = await zoomOf(page, 'prior-viewport');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForFunction(
      () =>
        Math.abs(
          window.__viewer!.zoom('prior-viewport')! - window.__viewer!.zoom('photo-viewport')!,
        ) < 1e-6,
    );
    const zoomed = await zoomOf(page, 'photo-viewport');
    assert.ok(zoomed > before * 1.2, `zoom ${before} -> ${zoomed}`);
    const box = (await page.getByTestId('prior-viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 80, { steps: 8 });
    await page.mouse.up({ button: 'right' });
    const prior = await zoomOf(page, 'prior-viewport');
    assert.ok(
      Math.abs(prior - zoomed) > 0.05,
      `right-drag zoomed the prior (${zoomed} -> ${prior})`,
    );
    assert.ok(Math.abs((await zoomOf(page, 'photo-viewport')) - prior) < 1e-6, 'current follows');

    await page.getByTestId('prior-select').selectOption({ index: 1 });
    await page.waitForFunction(
      (uid) => window.__viewer!.prior?.studyInstanceUID === uid,
      study.oldest,
    );
    await waitDrawn(page, 'prior-viewport');

    await page.keyboard.press('c');
    await page.getByTestId('prior').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.__viewer!.prior), null);
    await page.context().close();
  });

  test('an eye with no earlier visit says so', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, study.current);
    await waitReady(page);
    await page.locator('button[data-kind="photo"]', { hasText: 'OS' }).click();
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    await page.locator('[data-action="compare"]').click();
    const message = page.getByTestId('prior-message');
    await page.waitForFunction(() =>
      /No earlier visit/.test(
        document.querySelector('[data-testid="prior-message"]')?.textContent ?? '',
      ),
    );
    assert.match((await message.textContent()) ?? '', /No earlier visit has this eye/);
    await page.context().close();
  });

  test('on OCT the prior volume follows the B-scan, frame for frame by position', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, study.octCurrent);
    await waitReady(page);
    await waitDrawn(page, 'bscan-viewport');
    await page.keyboard.press('c');
    await page.waitForFunction(
      (uid) => window.__viewer!.prior?.studyInstanceUID === uid,
      study.octPrior,
    );
    await waitDrawn(page, 'prior-viewport');

    // Current 0..23 against prior 0..11: first with first, middle with middle, last with last.
    for (const [key, current, expected] of [
      ['Home', 0, 0],
      ['End', CURRENT_FRAMES - 1, PRIOR_FRAMES - 1],
      ['PageUp', CURRENT_FRAMES - 11, Math.round(((CURRENT_FRAMES - 11) / 23) * 11)],
    ] as const) {
      await page.keyboard.press(key);
      await page.waitForFunction((i) => window.__viewer!.bscan?.index === i, current);
      await waitImagePixels(
        page,
        'prior-viewport',
        points,
        priorFrames[expected].map((v) => [v]),
      );
      assert.equal(await page.evaluate(() => window.__viewer!.prior!.index), expected);
    }
    await page.context().close();
  });
});
