/**
 * The home page in a real browser: after a fundus photo and an OCT volume are stored, the
 * site's technician signs in and sees both studies listed newest first, each with a thumbnail
 * that actually decoded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { imageToOphthalmicPhotography } from '../server/dicom/encapsulate';
import { generateOpt } from '../server/dicom/opt-generator';
import { SHARED_DATA } from '../server/test/harness';
import {
  createTestDatabase,
  startServerProcess,
  type ServerProcess,
} from '../server/test/server-process';
import { setDefaultToken, stow } from '../server/test/stow-client';
import { chromiumMissing, launchBrowser } from './browser';
import { seedUsers, signIn } from './sign-in';

const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
const built = existsSync(path.resolve(import.meta.dirname, '../.next/BUILD_ID'));
const skip =
  chromiumMissing() ||
  (!existsSync(FUNDUS) && `test data not found at ${SHARED_DATA}`) ||
  (!built && 'the web app is not built: run npm run setup (or npm run build) first');

describe('home page lists studies with thumbnails', { skip }, () => {
  let server: ServerProcess;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let browser: Browser;
  let fundusStudy: string;
  let octStudy: string;
  const TECH = 'tech@home-e2e.example';

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ databaseUrl: db.url });
    const [tech] = await seedUsers(db.url, [
      { email: TECH, roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'TEST-A' }] },
    ]);
    setDefaultToken(tech.token!);
    const photo = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS),
      contentType: 'image/jpeg',
      patient: { patientID: 'E2E-1', issuerOfPatientID: 'DEMO', patientName: 'Fundus^Fiona' },
      laterality: 'R',
      studyDate: '20250101',
    });
    const r1 = await stow(`${server.baseUrl}/dicomweb`, [
      { contentType: 'application/dicom', body: photo },
    ]);
    assert.equal(r1.status, 200, r1.body.toString());
    fundusStudy = r1.json['00081190'].Value[0].split('/').pop();

    const dir = mkdtempSync(path.join(tmpdir(), 'e2e-oct-'));
    const oct = await generateOpt({
      outDir: dir,
      frames: 8,
      seed: 7,
      patientID: 'E2E-2',
      patientName: 'Oct^Oscar',
    });
    const r2 = await stow(`${server.baseUrl}/dicomweb`, [
      { contentType: 'application/dicom', body: { file: oct.localizerPath } },
      { contentType: 'application/dicom', body: { file: oct.optPath } },
    ]);
    assert.equal(r2.status, 200, r2.body.toString());
    octStudy = oct.studyInstanceUID;
    setDefaultToken(undefined);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  test('both studies are listed, newest first, each thumbnail decoded', async () => {
    const page = await browser.newPage();
    await signIn(page, server.baseUrl, TECH);
    await page.waitForURL(`${server.baseUrl}/`);
    const items = page.locator('[data-testid="study-list"] li');
    await items.first().waitFor();
    const uids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-study-uid')));
    assert.deepEqual(uids, [octStudy, fundusStudy]);

    for (const uid of uids) {
      const img = page.locator(`li[data-study-uid="${uid}"] img`);
      await img.evaluate((el: HTMLImageElement) =>
        el.complete
          ? undefined
          : new Promise((r) => el.addEventListener('load', r, { once: true })),
      );
      const width = await img.evaluate((el: HTMLImageElement) => el.naturalWidth);
      assert.ok(width > 0, `thumbnail of ${uid} decoded`);
    }
    await page.screenshot({
      path: process.env.SCREENSHOT_DIR
        ? path.join(process.env.SCREENSHOT_DIR, 'home.png')
        : path.join(server.dataDir, 'home.png'),
    });
    assert.match((await page.textContent('body')) ?? '', /Fundus Fiona/);
  });
});
