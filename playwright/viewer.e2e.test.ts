/**
 * The study viewer in a real browser, on a fundus photograph stored as JPEG baseline
 * (YBR_FULL_422): it draws (counted on the canvas, not trusted from render events), its colours
 * match what pydicom decodes, a length dragged on it reads in mm as Pixel Spacing × the pixel
 * distance, and the measurement is there again when the study is reopened. Also: an absurd
 * Pixel Spacing is refused on screen, a PDF is shown inline, Raw Data says it is not viewable;
 * on a slow link the first image's thumbnail shows before the viewer's own code has arrived.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imageToOphthalmicPhotography, newUid, writePart10 } from '../server/dicom/encapsulate';
import {
  dragOnImage,
  FUNDUS,
  imageToPage,
  matchSnapshot,
  openStudy,
  pydicomPixels,
  python,
  skipReason,
  startViewerFixture,
  waitDrawn,
  waitReady,
  waitSaved,
  type ViewerFixture,
} from './viewer-helpers';

const SPACING_MM = 0.0125;

/** Points of the photo where every channel is flat over 3 × 3 pixels, and their RGB. */
const FLAT_POINTS = `
import sys, json, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
ds = pydicom.dcmread(sys.argv[1])
a = convert_color_space(ds.pixel_array, ds.PhotometricInterpretation, 'RGB').astype(int)
out = []
for r in range(40, a.shape[0] - 40, 7):
    for c in range(40, a.shape[1] - 40, 7):
        w = a[r-1:r+2, c-1:c+2]
        if (w.max(axis=(0, 1)) - w.min(axis=(0, 1))).max() <= 2 and a[r, c].sum() > 60:
            out.append([r, c, [int(x) for x in a[r, c]]])
print(json.dumps({"photometric": ds.PhotometricInterpretation, "points": out[::max(1, len(out) // 12)][:12]}))
`;

function documentAndRaw(studyInstanceUID: string) {
  const common = {
    StudyInstanceUID: studyInstanceUID,
    SeriesInstanceUID: newUid(),
    PatientID: 'VIEW-1',
    PatientName: 'Viewer^Vera',
    StudyDate: '20250102',
    SeriesNumber: '9',
  };
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
      '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n',
  );
  const padded = pdf.length % 2 ? Buffer.concat([pdf, Buffer.alloc(1)]) : pdf;
  const document = writePart10(
    {
      ...common,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.104.1',
      SOPInstanceUID: newUid(),
      Modality: 'DOC',
      InstanceNumber: '1',
      DocumentTitle: 'Visual field printout',
      MIMETypeOfEncapsulatedDocument: 'application/pdf',
      EncapsulatedDocument: padded.buffer.slice(
        padded.byteOffset,
        padded.byteOffset + padded.length,
      ),
    },
    null,
  );
  const raw = writePart10(
    {
      ...common,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.66',
      SOPInstanceUID: newUid(),
      Modality: 'OT',
      InstanceNumber: '2',
    },
    null,
  );
  return [document, raw];
}

describe('study viewer: fundus photograph', { skip: skipReason }, () => {
  let fx: ViewerFixture;
  let dir: string;
  let opFile: string;
  let fundusStudy: string;
  let absurdStudy: string;

  before(async () => {
    fx = await startViewerFixture('tech@viewer-e2e.example');
    dir = mkdtempSync(path.join(tmpdir(), 'viewer-e2e-'));
    const photo = (spacing: number) =>
      imageToOphthalmicPhotography({
        bytes: readFileSync(FUNDUS),
        contentType: 'image/jpeg',
        patient: { patientID: 'VIEW-1', issuerOfPatientID: 'TEST-A', patientName: 'Viewer^Vera' },
        laterality: 'R',
        studyDate: '20250102',
        pixelSpacingMm: [spacing, spacing],
      });
    const op = await photo(SPACING_MM);
    opFile = path.join(dir, 'op.dcm');
    writeFileSync(opFile, op);
    fundusStudy = await fx.store([op]);
    await fx.store(documentAndRaw(fundusStudy));
    absurdStudy = await fx.store([await photo(250)]);
  });

  after(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('draws the photo, with the colours pydicom decodes', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, fundusStudy);
    await waitReady(page);
    const drawn = await waitDrawn(page, 'photo-viewport');
    assert.ok(drawn > 50_000, `only ${drawn} pixels drawn`);

    const { photometric, points } = python<{
      photometric: string;
      points: Array<[number, number, number[]]>;
    }>(FLAT_POINTS, opFile);
    assert.equal(photometric, 'YBR_FULL_422');
    assert.ok(points.length >= 6, 'enough flat points to sample');
    const rc = points.map(([r, c]) => [r, c] as [number, number]);
    const expected = pydicomPixels(opFile, rc);

    // The decoded image Cornerstone holds.
    const decoded = await page.evaluate(
      (p) => window.__viewer!.imagePixels('photo-viewport', p),
      rc,
    );
    assert.ok(decoded);
    decoded.forEach((rgb, i) => {
      const worst = Math.max(...rgb.map((v, k) => Math.abs(v - expected[i][k])));
      assert.ok(worst <= 3, `pixel ${rc[i]}: ${rgb} vs pydicom ${expected[i]}`);
    });

    // What is on the canvas, at the centres of the same pixels (flat areas, so scaling the
    // photo to the viewport does not change them).
    const at = await Promise.all(
      rc.map(([r, c]) => imageToPage(page, 'photo-viewport', c + 0.5, r + 0.5)),
    );
    const shown = await page.evaluate(
      (p) => window.__viewer!.canvasPixels('photo-viewport', p),
      at,
    );
    assert.ok(shown);
    shown.forEach((rgba, i) => {
      const worst = Math.max(...[0, 1, 2].map((k) => Math.abs(rgba[k] - expected[i][k])));
      assert.ok(worst <= 3, `canvas at ${rc[i]}: ${rgba} vs pydicom ${expected[i]}`);
    });

    await matchSnapshot(page.getByTestId('photo-viewport'), 'fundus-photo');
    await page.context().close();
  });

  test('the first image\u2019s thumbnail shows before the viewer\u2019s code is in', async () => {
    const page = await fx.newPage();
    const url = `${fx.server.baseUrl}/view?studyUID=${fundusStudy}`;
    // The scripts the page itself names (in <script> tags, and without the /_next prefix in
    // the layout's RSC payload) are let through; those it loads later, the viewer and
    // Cornerstone, are held until the preview has been seen: a link slow enough for that.
    const html = await (await page.request.get(url)).text();
    const chunks = html.matchAll(/static\/chunks\/[^"'\\\s]+?\.js/g);
    const named = new Set([...chunks].map((m) => `/_next/${m[0]}`));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    await page.route('**/_next/static/**/*.js', async (route) => {
      if (!named.has(new URL(route.request().url()).pathname)) {
        held += 1;
        await released;
      }
      await route.continue();
    });
    const metadataAsked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/metadata')) metadataAsked.push(r.url());
    });

    // Not until 'load': the held scripts hold that back.
    await page.goto(url, { waitUntil: 'commit' });
    const preview = page.getByTestId('early-preview');
    await page.waitForFunction(() => {
      const img = document.querySelector('img[data-testid="early-preview"]');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    assert.ok(held > 0, 'the viewer\u2019s scripts were held back');
    assert.equal(await page.getByTestId('viewer').count(), 0, 'the viewer is not there yet');
    const { sop, rows, columns } = python<{ sop: string; rows: number; columns: number }>(
      `import sys, json, pydicom
ds = pydicom.dcmread(sys.argv[1])
print(json.dumps({"sop": ds.SOPInstanceUID, "rows": ds.Rows, "columns": ds.Columns}))`,
      opFile,
    );
    const src = new URL((await preview.getAttribute('src'))!, url).pathname;
    assert.equal(
      src,
      `/dicomweb/studies/${fundusStudy}/series/${src.split('/')[5]}/instances/${sop}/thumbnail`,
    );
    const [w, h] = await preview.evaluate((img: HTMLImageElement) => [
      img.naturalWidth,
      img.naturalHeight,
    ]);
    assert.ok(
      Math.abs(w / h - columns / rows) < 0.02,
      `thumbnail ${w}x${h} of a ${columns}x${rows} photo`,
    );

    release();
    await page.waitForFunction(() => !!window.__viewer);
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    assert.equal(await preview.count(), 0, 'the preview gives way to the viewer');
    // The viewer used the metadata asked for early instead of asking again.
    assert.equal(metadataAsked.length, 1, metadataAsked.join(', '));
    await page.context().close();
  });

  test('a dragged length reads in mm and is there again on reopening', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, fundusStudy);
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    await page.keyboard.press('l');
    assert.equal(
      await page.locator('[data-action="toolLength"]').getAttribute('aria-pressed'),
      'true',
    );

    const from: [number, number] = [150, 200];
    const to: [number, number] = [430, 380];
    await dragOnImage(page, 'photo-viewport', from, to);
    await waitSaved(page, 1);
    const m = await page.evaluate(() => window.__viewer!.lastMeasurement);
    assert.ok(m);
    assert.equal(m.toolName, 'Length');
    assert.equal(m.unit, 'mm');
    // Independently: the spacing the photo was stored with, times the pixel distance dragged.
    const expected = SPACING_MM * Math.hypot(to[0] - from[0], to[1] - from[1]);
    assert.ok(Math.abs(m.value! - expected) / expected < 0.01, `${m.value} mm vs ${expected} mm`);
    const listed = page.locator('[data-testid="annotation-list"] li[data-tool="Length"]');
    await listed
      .locator('[data-saved="yes"], :scope[data-saved="yes"]')
      .first()
      .waitFor()
      .catch(() => undefined);
    assert.match((await listed.textContent()) ?? '', new RegExp(`${m.value!.toFixed(2)} mm`));

    await page.reload();
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    await page.waitForFunction(() => window.__viewer!.restored >= 1);
    const again = page.locator('[data-testid="annotation-list"] li[data-tool="Length"]');
    assert.equal(await again.count(), 1);
    assert.match((await again.textContent()) ?? '', new RegExp(`${m.value!.toFixed(2)} mm`));
    // Cornerstone draws it again, with its own reading of the length.
    const svgText = page.locator('[data-testid="photo-viewport"] svg text');
    await svgText.first().waitFor();
    assert.match(
      (await svgText.allTextContents()).join(' '),
      new RegExp(`${m.value!.toFixed(2)} mm`),
    );
    await page.context().close();
  });

  test('an absurd Pixel Spacing is refused, and says so', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, absurdStudy);
    await waitReady(page);
    const warning = page.getByTestId('scale-warning');
    await warning.waitFor();
    assert.match((await warning.textContent()) ?? '', /250 mm per pixel is not plausible/);
    await waitDrawn(page, 'photo-viewport');
    await page.keyboard.press('l');
    await dragOnImage(page, 'photo-viewport', [100, 100], [400, 500]);
    await waitSaved(page, 1);
    const m = await page.evaluate(() => window.__viewer!.lastMeasurement);
    assert.equal(m?.unit, 'px');
    assert.ok(Math.abs(m!.value! - 500) < 3, `${m?.value} px`);
    await page.context().close();
  });

  test('a PDF is shown inline, Raw Data is named and not viewable', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, fundusStudy);
    await waitReady(page);

    const pdfResponse = page.waitForResponse((r) => r.url().endsWith('/rendered'));
    await page.locator('button[data-kind="pdf"]').click();
    const frame = page.getByTestId('pdf-frame');
    await frame.waitFor();
    const res = await pdfResponse;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal(res.headers()['x-frame-options'], 'SAMEORIGIN');

    await page.locator('button[data-kind="none"]').click();
    const panel = page.getByTestId('not-viewable');
    await panel.waitFor();
    assert.equal(await page.getByTestId('sop-class-name').textContent(), 'Raw Data');
    assert.match((await panel.textContent()) ?? '', /no Pixel Data/);
    await page.context().close();
  });

  test('? shows every shortcut, Escape hides them; the keys act on the image', async () => {
    const page = await fx.newPage();
    await openStudy(page, fx.server.baseUrl, fundusStudy);
    await waitReady(page);
    await waitDrawn(page, 'photo-viewport');
    await page.keyboard.press('?');
    const panel = page.getByTestId('help-panel');
    await panel.waitFor();
    const rows = await panel.locator('tr').allTextContents();
    for (const label of [
      'Zoom in',
      'Length',
      'Red-free',
      'latest prior',
      'Show or hide this help',
    ]) {
      assert.ok(
        rows.some((r) => r.includes(label)),
        `help lists ${label}`,
      );
    }
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    const zoom = () => page.evaluate(() => window.__viewer!.zoom('photo-viewport')!);
    const before = await zoom();
    await page.keyboard.press('+');
    await page.waitForFunction((z) => window.__viewer!.zoom('photo-viewport')! > z * 1.05, before);
    await page.keyboard.press('f');
    await page.waitForFunction(
      (z) => Math.abs(window.__viewer!.zoom('photo-viewport')! - z) < 1e-6,
      before,
    );
    const redFree = page.locator('[data-action="redFree"]');
    await page.keyboard.press('g');
    assert.equal(await redFree.getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('g');
    assert.equal(await redFree.getAttribute('aria-pressed'), 'false');
    await page.context().close();
  });
});
