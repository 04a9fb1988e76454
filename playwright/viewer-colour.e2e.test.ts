/**
 * Colour in the viewer, in a real browser, for the photometrics fundus devices send besides
 * JPEG's YBR_FULL_422 (viewer.e2e.test.ts): RGB by pixel, RGB by plane and PALETTE COLOR. The
 * same real fundus photo is written each way by pydicom (colour-fixtures.py); at points where
 * the picture is flat over 3 × 3 pixels the canvas must show the RGB pydicom decodes, through
 * the palette's lookup tables for the palette image.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newUid } from '../server/dicom/encapsulate';
import { SHARED_DATA } from '../server/test/harness';
import {
  FUNDUS,
  imageToPage,
  openStudy,
  PYTHON,
  pydicomPixels,
  python,
  skipReason,
  startViewerFixture,
  waitDrawn,
  waitReady,
  type ViewerFixture,
} from './viewer-helpers';

const MAKE = path.join(import.meta.dirname, 'colour-fixtures.py');
/** Retired JPEG spectral selection: the server does not render it; the browser's libjpeg can. */
const SPECTRAL =
  `${SHARED_DATA}/dicom/edge/` + 'cswil_CTImage_JPEGProcess6_8_spectral_1.2.840.10008.1.2.4.53.dcm';

/** Points where every channel of the decoded RGB is flat over 3 × 3 pixels. */
const FLAT_POINTS = `
import sys, json, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut
ds = pydicom.dcmread(sys.argv[1])
a = ds.pixel_array
if ds.PhotometricInterpretation == 'PALETTE COLOR':
    a = apply_color_lut(a, ds) // 257
a = a.astype(int)
out = []
for r in range(40, a.shape[0] - 40, 9):
    for c in range(40, a.shape[1] - 40, 9):
        w = a[r-1:r+2, c-1:c+2]
        if (w.max(axis=(0, 1)) - w.min(axis=(0, 1))).max() == 0 and a[r, c].sum() > 60:
            out.append([r, c])
print(json.dumps(out[::max(1, len(out) // 10)][:10]))
`;

interface Written {
  file: string;
  sop: string;
  photometric: string;
}

describe('study viewer: RGB, planar RGB and palette colour', { skip: skipReason }, () => {
  let fx: ViewerFixture;
  let dir: string;
  let study: string;
  let files: Written[];
  let spectral: string;
  let broken: string;

  before(async () => {
    fx = await startViewerFixture('tech@viewer-colour.example');
    dir = mkdtempSync(path.join(tmpdir(), 'viewer-colour-'));
    const made = execFileSync(PYTHON, [MAKE, FUNDUS, dir, newUid()]);
    files = JSON.parse(made.toString()) as Written[];
    assert.deepEqual(
      files.map((f) => f.photometric),
      ['RGB', 'RGB', 'PALETTE COLOR'],
    );
    study = await fx.store(files.map((f) => ({ file: f.file })));
    spectral = await fx.store([{ file: SPECTRAL }]);
    // The palette image without its red table: another instance, in a study of its own.
    const noTable = path.join(dir, 'no-table.dcm');
    copyFileSync(files[2].file, noTable);
    execFileSync('dcmodify', [
      '-nb',
      '-ea',
      '(0028,1201)',
      '-i',
      `(0020,000D)=${newUid()}`,
      '-i',
      `(0020,000E)=${newUid()}`,
      '-i',
      `(0008,0018)=${newUid()}`,
      noTable,
    ]);
    broken = await fx.store([{ file: noTable }]);
  });

  after(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [k, name] of ['RGB by pixel', 'RGB by plane', 'PALETTE COLOR'].entries()) {
    test(`${name}: the canvas shows the colours pydicom decodes`, async () => {
      const { file, sop } = files[k];
      const points = python<Array<[number, number]>>(FLAT_POINTS, file);
      assert.ok(points.length >= 6, `only ${points.length} flat points to sample`);
      const expected = pydicomPixels(file, points);
      // The points must not all be one colour, or a wrong channel order could pass.
      assert.ok(new Set(expected.map((p) => p.join())).size >= 3, 'varied colours');

      const page = await fx.newPage();
      await openStudy(page, fx.server.baseUrl, study);
      await page.locator(`button[data-sop-instance-uid="${sop}"]`).click();
      await waitReady(page);
      await page.waitForFunction(
        (uid) =>
          document
            .querySelector('button[aria-pressed="true"]')
            ?.getAttribute('data-sop-instance-uid') === uid,
        sop,
      );
      await waitDrawn(page, 'photo-viewport');

      const at = await Promise.all(
        points.map(([r, c]) => imageToPage(page, 'photo-viewport', c + 0.5, r + 0.5)),
      );
      // Drawing can trail the first render by a frame: wait for the canvas to settle on it.
      await page
        .waitForFunction(
          ([p, want]) => {
            const got = window.__viewer!.canvasPixels('photo-viewport', p);
            return (
              !!got && got.every((v, i) => [0, 1, 2].every((c) => Math.abs(v[c] - want[i][c]) <= 2))
            );
          },
          [at, expected] as const,
          { timeout: 10_000 },
        )
        .catch(() => undefined);
      const shown = await page.evaluate(
        (p) => window.__viewer!.canvasPixels('photo-viewport', p),
        at,
      );
      assert.ok(shown);
      shown.forEach((rgba, i) => {
        const worst = Math.max(...[0, 1, 2].map((c) => Math.abs(rgba[c] - expected[i][c])));
        assert.ok(worst <= 2, `${name} at ${points[i]}: canvas ${rgba} vs pydicom ${expected[i]}`);
      });
      await page.context().close();
    });
  }

  test('a palette image without its tables is not viewable, and says why', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, broken);
    await waitReady(page);
    const panel = page.getByTestId('not-viewable');
    await panel.waitFor();
    assert.match(
      (await panel.textContent()) ?? '',
      /cannot be shown: PALETTE COLOR without table data \(00281201\)/,
    );
    await page.context().close();
  });

  test('an image the server cannot render still draws in the browser', async () => {
    const page = await fx.newPage();
    const thumbnail = page.waitForResponse(
      (r) => r.url().includes(spectral) && r.url().endsWith('/thumbnail'),
    );
    await openStudy(page, fx.server.baseUrl, spectral);
    // The archive says it cannot render this retired transfer syntax...
    assert.equal((await thumbnail).status(), 406);
    await page.getByTestId('no-thumbnail').waitFor();
    // ...but the browser's libjpeg decodes it.
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport', 5_000);
    await page.context().close();
  });
});
