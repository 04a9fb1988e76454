/**
 * The viewer on a generated OCT volume (Ophthalmic Tomography, with its fundus localizer in the
 * same study), in a real browser. pydicom reads the file independently: which pixels each
 * B-scan holds, where each B-scan lies on the localizer (Ophthalmic Frame Location), and the
 * B-scan pixel spacing (Pixel Measures). The test scrolls with keys, wheel and slider and
 * checks the B-scan Cornerstone shows is the frame pydicom decodes; clicks the localizer on a
 * scan line and lands on that B-scan; measures a length on a B-scan in µm.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { generateOpt, type GeneratedOpt } from '../server/dicom/opt-generator';
import {
  dragOnImage,
  imageToPage,
  matchSnapshot,
  openStudy,
  python,
  skipReason,
  startViewerFixture,
  waitDrawn,
  waitImagePixels,
  waitReady,
  waitSaved,
  type ViewerFixture,
} from './viewer-helpers';

const FRAMES = 48;

/** Per frame: the reference coordinates on the localizer, and pixels at sample points. */
const FACTS = `
import sys, json, numpy as np, pydicom
ds = pydicom.dcmread(sys.argv[1])
arr = ds.pixel_array
points = json.loads(sys.argv[2])
frames = []
for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
    loc = f.OphthalmicFrameLocationSequence[0]
    coords = [float(v) for v in loc.ReferenceCoordinates]
    frames.append({
        "line": [[coords[k], coords[k + 1]] for k in range(0, len(coords), 2)],
        "pixels": [int(arr[i][r, c]) for r, c in points],
    })
shared = ds.SharedFunctionalGroupsSequence[0]
pm = shared.PixelMeasuresSequence[0] if "PixelMeasuresSequence" in shared else \\
    ds.PerFrameFunctionalGroupsSequence[0].PixelMeasuresSequence[0]
print(json.dumps({
    "rows": int(ds.Rows), "columns": int(ds.Columns),
    "spacing": [float(v) for v in pm.PixelSpacing],
    "localizer": str(ds.PerFrameFunctionalGroupsSequence[0].OphthalmicFrameLocationSequence[0]
                     .ReferencedSOPInstanceUID),
    "frames": frames,
}))
`;

interface Facts {
  rows: number;
  columns: number;
  spacing: [number, number];
  localizer: string;
  frames: Array<{ line: Array<[number, number]>; pixels: number[] }>;
}

/** Points spread over the B-scan, where neighbouring frames differ (chosen below). */
function samplePoints(rows: number, columns: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let r = 1; r <= 7; r++) {
    for (let c = 1; c <= 7; c++) {
      out.push([Math.floor((r * rows) / 8), Math.floor((c * columns) / 8)]);
    }
  }
  return out;
}

/** Waits for the B-scan on screen to be `index`, and checks its pixels against pydicom. */
async function expectFrame(
  page: Page,
  facts: Facts,
  points: Array<[number, number]>,
  index: number,
) {
  await page.waitForFunction((i) => window.__viewer!.bscan?.index === i, index);
  await waitImagePixels(
    page,
    'bscan-viewport',
    points,
    facts.frames[index].pixels.map((v) => [v]),
  );
  const label = await page.getByTestId('bscan-index').textContent();
  assert.equal(label, `B-scan ${index + 1} of ${FRAMES}`);
}

describe('study viewer: OCT volume beside its localizer', { skip: skipReason }, () => {
  let fx: ViewerFixture;
  let dir: string;
  let opt: GeneratedOpt;
  let facts: Facts;
  let points: Array<[number, number]>;

  before(async () => {
    fx = await startViewerFixture('tech@viewer-oct.example');
    dir = mkdtempSync(path.join(tmpdir(), 'viewer-oct-'));
    opt = await generateOpt({ outDir: dir, frames: FRAMES, seed: 7 });
    const probe = python<{ rows: number; columns: number }>(
      'import sys,json,pydicom\nds=pydicom.dcmread(sys.argv[1],stop_before_pixels=True)\n' +
        'print(json.dumps({"rows":int(ds.Rows),"columns":int(ds.Columns)}))',
      opt.optPath,
    );
    points = samplePoints(probe.rows, probe.columns);
    facts = python<Facts>(FACTS, opt.optPath, JSON.stringify(points));
    // Neighbouring frames must differ at the sample points, or the pixel check proves nothing.
    for (let i = 1; i < FRAMES; i++) {
      assert.notDeepEqual(
        facts.frames[i].pixels,
        facts.frames[i - 1].pixels,
        `frames ${i - 1}, ${i}`,
      );
    }
    const study = await fx.store([{ file: opt.localizerPath }, { file: opt.optPath }]);
    assert.equal(study, opt.studyInstanceUID);
  });

  after(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('opens on the middle B-scan; keys, wheel and slider show the frames pydicom decodes', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, opt.studyInstanceUID);
    await waitReady(page);
    const status = page.getByTestId('viewer-status');
    assert.equal(await status.getAttribute('data-loaded'), String(FRAMES));
    await waitDrawn(page, 'bscan-viewport');
    await waitDrawn(page, 'localizer-viewport');
    assert.equal(
      await page.evaluate(() => window.__viewer!.bscan!.localizerSOPInstanceUID),
      facts.localizer,
    );

    const middle = Math.floor(FRAMES / 2);
    await expectFrame(page, facts, points, middle);

    await page.keyboard.press('ArrowDown');
    await expectFrame(page, facts, points, middle + 1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expectFrame(page, facts, points, middle - 1);
    await page.keyboard.press('PageDown');
    await expectFrame(page, facts, points, middle + 9);
    await page.keyboard.press('End');
    await expectFrame(page, facts, points, FRAMES - 1);
    await page.keyboard.press('Home');
    await expectFrame(page, facts, points, 0);

    const centre = await imageToPage(page, 'bscan-viewport', facts.columns / 2, facts.rows / 2);
    await page.mouse.move(centre.x, centre.y);
    for (let k = 0; k < 3; k++) {
      await page.mouse.wheel(0, 100);
      await expectFrame(page, facts, points, k + 1);
    }
    await page.mouse.wheel(0, -100);
    await expectFrame(page, facts, points, 2);

    await page.getByTestId('bscan-slider').fill('40');
    await expectFrame(page, facts, points, 39);

    await matchSnapshot(page.getByTestId('bscan-viewport'), 'oct-bscan-40');
    await page.context().close();
  });

  test('the scan line lies where the frame location puts it; a click on the localizer jumps there', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, opt.studyInstanceUID);
    await waitReady(page);
    await waitDrawn(page, 'localizer-viewport');

    // The drawn line's ends are the pydicom ReferenceCoordinates (row, column) of the B-scan.
    for (const index of [Math.floor(FRAMES / 2), 5]) {
      await page.getByTestId('bscan-slider').fill(String(index + 1));
      await page.waitForFunction((i) => window.__viewer!.bscan?.index === i, index);
      const line = page.getByTestId('localizer-line');
      const ends = facts.frames[index].line;
      const [first, last] = [ends[0], ends[ends.length - 1]];
      const expectA = await imageToPage(page, 'localizer-viewport', first[1], first[0]);
      const expectB = await imageToPage(page, 'localizer-viewport', last[1], last[0]);
      await page.waitForFunction(
        ([want]) => {
          const el = document.querySelector('[data-testid="localizer-line"]');
          const svg = el?.closest('svg')?.getBoundingClientRect();
          if (!el || !svg) return false;
          const x1 = Number(el.getAttribute('x1')) + svg.left;
          const y1 = Number(el.getAttribute('y1')) + svg.top;
          return Math.abs(x1 - want.x) < 1.5 && Math.abs(y1 - want.y) < 1.5;
        },
        [expectA] as const,
      );
      const box = await line.evaluate((el) => {
        const svg = el.closest('svg')!.getBoundingClientRect();
        return {
          x2: Number(el.getAttribute('x2')) + svg.left,
          y2: Number(el.getAttribute('y2')) + svg.top,
        };
      });
      assert.ok(
        Math.abs(box.x2 - expectB.x) < 1.5 && Math.abs(box.y2 - expectB.y) < 1.5,
        'line end',
      );
    }

    // A click a little off the middle of B-scan 12's line, and one on B-scan 37's.
    for (const target of [11, 36]) {
      const ends = facts.frames[target].line;
      const [a, b] = [ends[0], ends[ends.length - 1]];
      const row = (a[0] + b[0]) / 2 + 0.3;
      const column = (a[1] + b[1]) / 2;
      const at = await imageToPage(page, 'localizer-viewport', column, row);
      await page.mouse.click(at.x, at.y);
      await expectFrame(page, facts, points, target);
    }
    await page.context().close();
  });

  test('a length on a B-scan reads in µm from the Pixel Measures spacing', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, opt.studyInstanceUID);
    await waitReady(page);
    await waitDrawn(page, 'bscan-viewport');
    await page.keyboard.press('l');
    const from: [number, number] = [100, 120];
    const to: [number, number] = [100, 420];
    await dragOnImage(page, 'bscan-viewport', from, to);
    await waitSaved(page, 1);
    const m = await page.evaluate(() => window.__viewer!.lastMeasurement);
    assert.ok(m);
    assert.equal(m.toolName, 'Length');
    // Vertical drag: rows, so the row spacing (first value of Pixel Spacing), in µm.
    const expected = facts.spacing[0] * 1000 * Math.abs(to[1] - from[1]);
    const inMicrons = m.unit === 'mm' ? m.value! * 1000 : m.value!;
    assert.ok(['µm', 'mm'].includes(m.unit!), `unit ${m.unit}`);
    assert.ok(
      Math.abs(inMicrons - expected) / expected < 0.01,
      `${m.value} ${m.unit} vs ${expected} µm`,
    );
    await page.context().close();
  });
});
