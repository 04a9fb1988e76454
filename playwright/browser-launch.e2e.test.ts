/**
 * The patient browser and the viewer launch in a real browser: a launch URL followed before
 * signing in comes back after the sign-in; a patient found by an accent-free lowercase name
 * has a timeline whose OD and OS columns hold the images each image's ImageLaterality names,
 * decoded; launch URLs by patient and by study open the right study; and another site's study
 * gets the same 404 page as a study that does not exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { openDb } from '../server/db/client';
import { imageToOphthalmicPhotography, newUid } from '../server/dicom/encapsulate';
import { SHARED_DATA } from '../server/test/harness';
import {
  createTestDatabase,
  startServerProcess,
  type ServerProcess,
} from '../server/test/server-process';
import { stow } from '../server/test/stow-client';
import { chromiumMissing, launchBrowser } from './browser';
import { seedUsers, signIn } from './sign-in';

const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
const built = existsSync(path.resolve(import.meta.dirname, '../.next/BUILD_ID'));
const skip =
  chromiumMissing() ||
  (!existsSync(FUNDUS) && `test data not found at ${SHARED_DATA}`) ||
  (!built && 'the web app is not built: run npx next build --webpack first');

const PATIENT = {
  patientID: 'E2E-77',
  issuerOfPatientID: 'HOSP-E2E',
  patientName: 'Müller^Jürgen',
};
const OTHER = { patientID: 'E2E-88', issuerOfPatientID: 'HOSP-B', patientName: 'Other^Olga' };

/** Resolves once the image has loaded (or failed); then returns its decoded width. */
async function decodedWidth(img: Locator): Promise<number> {
  await img.scrollIntoViewIfNeeded();
  return img.evaluate(
    (el: HTMLImageElement) =>
      new Promise<number>((resolve) => {
        if (el.complete) return resolve(el.naturalWidth);
        el.addEventListener('load', () => resolve(el.naturalWidth), { once: true });
        el.addEventListener('error', () => resolve(0), { once: true });
      }),
  );
}

describe('patient browser and viewer launch', { skip }, () => {
  let server: ServerProcess;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let browser: Browser;
  let page: Page;
  const TECH = 'tech@browse-e2e.example';
  const uid = { latest: newUid(), older: newUid(), otherSite: newUid(), series: newUid() };
  const sop = { right: newUid(), left: newUid() };
  let otherPatientId = '';

  async function store(token: string, p: typeof PATIENT, o: Record<string, unknown>) {
    const photo = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS),
      contentType: 'image/jpeg',
      patient: p,
      laterality: 'R',
      ...o,
    });
    const r = await stow(
      `${server.baseUrl}/dicomweb`,
      [{ contentType: 'application/dicom', body: photo }],
      { token },
    );
    assert.equal(r.status, 200, r.body.toString());
  }

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ databaseUrl: db.url });
    const [techA, techB] = await seedUsers(db.url, [
      { email: TECH, roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'TEST-A' }] },
      { email: 'tech@browse-b.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'TEST-B' }] },
    ]);
    // The latest visit: one series holding both eyes.
    const visit = { studyInstanceUID: uid.latest, seriesInstanceUID: uid.series };
    const latest = { ...visit, studyDate: '20240501' };
    await store(techA.token!, PATIENT, { ...latest, laterality: 'R', sopInstanceUID: sop.right });
    await store(techA.token!, PATIENT, {
      ...latest,
      laterality: 'L',
      sopInstanceUID: sop.left,
      instanceNumber: 2,
    });
    await store(techA.token!, PATIENT, { studyInstanceUID: uid.older, studyDate: '20230303' });
    await store(techB.token!, OTHER, { studyInstanceUID: uid.otherSite, studyDate: '20240601' });

    const handle = await openDb({ databaseUrl: db.url, dataDir: tmpdir() });
    try {
      const other = await handle.prisma.patient.findFirstOrThrow({
        where: { patientID: 'E2E-88' },
      });
      otherPatientId = other.id;
    } finally {
      await handle.close();
    }
    browser = await launchBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  test('a launch URL followed before signing in opens after the sign-in', async () => {
    const launch = `/view?patientID=${PATIENT.patientID}&issuer=${PATIENT.issuerOfPatientID}`;
    await page.goto(`${server.baseUrl}${launch}`);
    await page.waitForURL((u) => u.pathname === '/signin');
    assert.equal(new URL(page.url()).searchParams.get('callbackUrl'), launch);

    await signIn(page, server.baseUrl, TECH);
    await page.waitForURL(`${server.baseUrl}${launch}`);
    const opened = page.getByTestId('launched-study');
    await opened.waitFor();
    assert.equal(await opened.getAttribute('data-study-uid'), uid.latest, 'the latest visit');
    await page.getByTestId('to-timeline').waitFor();
  });

  test('search by an accent-free lowercase name, then the timeline per eye', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Studies', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/studies`);
    await page.getByLabel('Patient name').fill('muller jurgen');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((u) => u.searchParams.get('name') === 'muller jurgen');

    const rows = page.locator('[data-testid="study-results"] tbody tr');
    await rows.first().waitFor();
    const uids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-study-uid')));
    assert.deepEqual(uids, [uid.latest, uid.older], 'newest first, nothing of site B');

    await rows.first().getByTestId('patient-link').click();
    await page.waitForURL((u) => u.pathname.startsWith('/patients/'));
    const visit = page.locator(`article[data-study-uid="${uid.latest}"]`);
    await visit.waitFor();
    for (const [eye, want] of [
      ['OD', sop.right],
      ['OS', sop.left],
    ] as const) {
      const imgs = visit.locator(`section[data-eye="${eye}"] [data-sop-instance-uid]`);
      const sops = await imgs.evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-sop-instance-uid')),
      );
      assert.deepEqual(sops, [want], `${eye} column`);
      assert.ok((await decodedWidth(imgs.first().locator('img'))) > 0, `${eye} thumbnail decoded`);
    }
    assert.equal(await visit.locator('section[data-eye="unknown"]').count(), 0);
    await page.locator(`article[data-study-uid="${uid.older}"]`).waitFor();
    await page.screenshot({
      path: path.join(process.env.SCREENSHOT_DIR ?? server.dataDir, 'timeline.png'),
      fullPage: true,
    });
  });

  test('launch URLs by patient and by study open the right study', async () => {
    const byStudy = await page.goto(`${server.baseUrl}/view?studyUID=${uid.older}`);
    assert.equal(byStudy?.status(), 200);
    const opened = page.getByTestId('launched-study');
    await opened.waitFor();
    assert.equal(await opened.getAttribute('data-study-uid'), uid.older);

    await page.goto(`${server.baseUrl}/view?patientID=${PATIENT.patientID}^^^HOSP-E2E`);
    await opened.waitFor();
    assert.equal(await opened.getAttribute('data-study-uid'), uid.latest);
    await page.getByTestId('to-timeline').click();
    await page.waitForURL((u) => u.pathname.startsWith('/patients/'));
    await page.getByTestId('timeline').waitFor();
  });

  test('another site\u2019s study is "not found or not shared", as an unknown one', async () => {
    const pages: string[] = [];
    for (const where of [
      `/view?studyUID=${uid.otherSite}`,
      `/view?studyUID=${newUid()}`,
      `/view?patientID=${OTHER.patientID}`,
      `/patients/${otherPatientId}`,
    ]) {
      const res = await page.goto(`${server.baseUrl}${where}`);
      assert.equal(res?.status(), 404, where);
      const notShared = page.getByTestId('not-shared');
      await notShared.waitFor();
      pages.push(await notShared.innerHTML());
    }
    assert.equal(new Set(pages).size, 1, 'the same page whatever the reason');
    assert.match(pages[0], /Not found or not shared with you/);
  });
});
