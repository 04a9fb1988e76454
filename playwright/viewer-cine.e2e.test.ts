/**
 * Multi-frame colour sequences in the viewer, in a real browser: a 30-frame JPEG (YBR_FULL_422)
 * cine shows the frames pydicom decodes as it steps, and plays and pauses with Space; the same
 * frames as an angiogram with an irregular Frame Time Vector show, at each frame, the time since
 * the first one that pydicom reads from the file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newUid } from '../server/dicom/encapsulate';
import { SHARED_DATA } from '../server/test/harness';
import {
  openStudy,
  python,
  skipReason,
  startViewerFixture,
  waitDrawn,
  waitImagePixels,
  waitReady,
  type ViewerFixture,
} from './viewer-helpers';

const CINE = `${SHARED_DATA}/dicom/edge/pydicom_examples_ybr_color_multiframe_jpeg.dcm`;
const FRAMES = 30;
/** Irregular like an angiogram: a burst, then one a second, then one every five seconds. */
const VECTOR = [0, ...Array(9).fill(200), ...Array(10).fill(1000), ...Array(10).fill(5000)];

/** RGB of every frame at the points, and the Frame Time Vector, as pydicom reads them. */
const FACTS = `
import sys, json, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
ds = pydicom.dcmread(sys.argv[1])
arr = convert_color_space(ds.pixel_array, ds.PhotometricInterpretation, 'RGB').astype(int)
points = json.loads(sys.argv[2])
print(json.dumps({
    "frames": [[[int(v) for v in f[r, c]] for r, c in points] for f in arr],
    "vector": [float(v) for v in ds.get("FrameTimeVector", [])],
}))
`;

interface Facts {
  frames: number[][][];
  vector: number[];
}

async function expectFrame(page: Page, facts: Facts, points: Array<[number, number]>, i: number) {
  await page.waitForFunction((k) => window.__viewer!.cine?.index === k, i);
  await waitImagePixels(page, 'cine-viewport', points, facts.frames[i], 3);
}

describe('study viewer: cine and angiography', { skip: skipReason }, () => {
  let fx: ViewerFixture;
  let dir: string;
  let cineStudy: string;
  let faStudy: string;
  let cine: Facts;
  let fa: Facts;
  const points: Array<[number, number]> = [
    [60, 80],
    [120, 160],
    [180, 240],
    [200, 100],
  ];

  before(async () => {
    fx = await startViewerFixture('tech@viewer-cine.example');
    dir = mkdtempSync(path.join(tmpdir(), 'viewer-cine-'));
    const angiogram = path.join(dir, 'fa.dcm');
    copyFileSync(CINE, angiogram);
    execFileSync('dcmodify', [
      '-nb',
      ...['-i', `(0020,000D)=${newUid()}`, '-i', `(0020,000E)=${newUid()}`],
      ...['-i', `(0008,0018)=${newUid()}`, '-i', `(0018,1065)=${VECTOR.join('\\')}`],
      ...['-i', '(0028,0009)=(0018,1065)', '-ea', '(0018,1063)'],
      angiogram,
    ]);
    cine = python<Facts>(FACTS, CINE, JSON.stringify(points));
    fa = python<Facts>(FACTS, angiogram, JSON.stringify(points));
    assert.deepEqual(fa.vector, VECTOR);
    // Frames must differ at the points, or stepping would prove nothing.
    assert.notDeepEqual(cine.frames[0], cine.frames[15]);
    cineStudy = await fx.store([{ file: CINE }]);
    faStudy = await fx.store([{ file: angiogram }]);
  });

  after(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('steps through the frames pydicom decodes; Space plays and pauses', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, cineStudy);
    await waitReady(page);
    const status = page.getByTestId('viewer-status');
    assert.equal(await status.getAttribute('data-loaded'), String(FRAMES));
    await waitDrawn(page, 'cine-viewport', 5_000);
    await expectFrame(page, cine, points, 0);
    await page.keyboard.press('ArrowDown');
    await expectFrame(page, cine, points, 1);
    await page.keyboard.press('End');
    await expectFrame(page, cine, points, FRAMES - 1);
    await page.keyboard.press('PageUp');
    await expectFrame(page, cine, points, FRAMES - 11);
    assert.match(
      (await page.getByTestId('cine-rate').textContent()) ?? '',
      /30\.0 frames\/s \(Frame Time\)/,
    );

    await page.keyboard.press(' ');
    assert.equal(await page.getByTestId('cine-play').getAttribute('aria-pressed'), 'true');
    // Playing moves on by itself, past the last frame back to the first.
    await page.waitForFunction(() => window.__viewer!.cine!.wrapped > 0, undefined, {
      timeout: 20_000,
    });
    await page.keyboard.press(' ');
    assert.equal(await page.getByTestId('cine-play').getAttribute('aria-pressed'), 'false');
    await page.context().close();
  });

  test('an angiogram shows the time since its first frame from the Frame Time Vector', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, faStudy);
    await waitReady(page);
    await waitDrawn(page, 'cine-viewport', 5_000);
    assert.match((await page.getByTestId('cine-rate').textContent()) ?? '', /Frame Time Vector/);
    const elapsed = (i: number) => fa.vector.slice(1, i + 1).reduce((a, b) => a + b, 0);
    for (const [key, i] of [
      ['ArrowDown', 1],
      ['PageDown', 11],
      ['End', FRAMES - 1],
    ] as const) {
      await page.keyboard.press(key);
      await expectFrame(page, fa, points, i);
      const text = await page.getByTestId('cine-elapsed').textContent();
      assert.equal(text, `${(elapsed(i) / 1000).toFixed(1)} s`, `frame ${i + 1}`);
    }
    await page.context().close();
  });
});
