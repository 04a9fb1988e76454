/**
 * Signing in through the form in a real browser: a site technician sees only their site's
 * studies, a wrong password is told apart, signing out ends the session, and the audit trail
 * records each step. An admin manages API tokens through the admin pages.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { imageToOphthalmicPhotography } from '../server/dicom/encapsulate';
import { SHARED_DATA } from '../server/test/harness';
import {
  createTestDatabase,
  startServerProcess,
  type ServerProcess,
} from '../server/test/server-process';
import { request, setDefaultToken, stow } from '../server/test/stow-client';
import { chromiumMissing, launchBrowser } from './browser';
import { seedUsers, signIn, submitSignIn, type SeededUser } from './sign-in';

const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
const built = existsSync(path.resolve(import.meta.dirname, '../.next/BUILD_ID'));
const skip =
  chromiumMissing() ||
  (!existsSync(FUNDUS) && `test data not found at ${SHARED_DATA}`) ||
  (!built && 'the web app is not built: run npm run setup (or npm run build) first');

interface AuditRow {
  action: string;
  outcome: string;
  actorUserId: string | null;
  actorEmail: string | null;
  studyInstanceUID: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

describe('sign-in, roles and the audit trail in the browser', { skip }, () => {
  let server: ServerProcess;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let browser: Browser;
  let techA: SeededUser;
  let orgAdmin: SeededUser;
  const studies: Record<'A' | 'B', string> = { A: '', B: '' };

  async function storeStudy(token: string, patientID: string, name: string): Promise<string> {
    const photo = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS),
      contentType: 'image/jpeg',
      patient: { patientID, issuerOfPatientID: 'E2E', patientName: name },
      laterality: 'R',
      studyDate: '20250102',
    });
    setDefaultToken(token);
    const r = await stow(`${server.baseUrl}/dicomweb`, [
      { contentType: 'application/dicom', body: photo },
    ]);
    setDefaultToken(undefined);
    assert.equal(r.status, 200, r.body.toString());
    return r.json['00081190'].Value[0].split('/').pop();
  }

  async function auditOf(email: string): Promise<AuditRow[]> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const r = await c.query<AuditRow>(
        `SELECT action, outcome, "actorUserId", "actorEmail", "studyInstanceUID", ip, detail
           FROM "AuditEvent" WHERE "actorEmail" = $1 ORDER BY id`,
        [email],
      );
      return r.rows;
    } finally {
      await c.end();
    }
  }

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ databaseUrl: db.url });
    const seeded = await seedUsers(db.url, [
      { email: 'tech@site-a.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'SITE-A' }] },
      { email: 'tech@site-b.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'SITE-B' }] },
      { email: 'admin@org.example', roles: [{ role: 'ORG_ADMIN', siteCode: null }] },
      { email: 'locked@site-a.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'SITE-A' }] },
    ]);
    [techA, , orgAdmin] = seeded;
    studies.A = await storeStudy(seeded[0].token!, 'E2E-A', 'Alpha^Ann');
    studies.B = await storeStudy(seeded[1].token!, 'E2E-B', 'Beta^Bob');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  test('a technician signs in, sees only their site, signs out; all of it audited', async () => {
    const page = await browser.newPage();
    await page.goto(server.baseUrl);
    await page.waitForURL(/\/signin$/);

    await submitSignIn(page, techA.email, 'not the password');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'Wrong email or password.');

    await signIn(page, server.baseUrl, techA.email);
    await page.waitForURL(`${server.baseUrl}/`);
    const items = page.locator('[data-testid="study-list"] li');
    await items.first().waitFor();
    const uids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-study-uid')));
    assert.deepEqual(uids, [studies.A], 'only the study of site A');

    const img = page.locator(`li[data-study-uid="${studies.A}"] img`);
    await img.evaluate((el: HTMLImageElement) =>
      el.complete ? undefined : new Promise((r) => el.addEventListener('load', r, { once: true })),
    );
    assert.ok((await img.evaluate((el: HTMLImageElement) => el.naturalWidth)) > 0);

    const whoami = page.getByTestId('whoami');
    assert.match((await whoami.textContent()) ?? '', /tech@site-a\.example/);
    assert.equal(await page.getByTestId('roles').textContent(), 'SITE_TECHNICIAN@SITE-A');
    assert.equal(await page.getByRole('link', { name: 'API tokens' }).count(), 0, 'no admin links');
    const adminPage = await page.goto(`${server.baseUrl}/admin/tokens`);
    assert.equal(adminPage?.status(), 404, 'admin pages do not exist for a technician');
    await page.goto(server.baseUrl);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.goto(server.baseUrl);
    await page.waitForURL(/\/signin$/);

    const events = await auditOf(techA.email);
    const seen = events.map((e) => `${e.action} ${e.outcome}`);
    const failed = events.find((e) => e.action === 'SIGN_IN_FAILED');
    assert.equal(failed?.outcome, 'FAILURE');
    assert.equal(failed?.detail?.reason, 'bad-credentials');
    const signIn_ = events.find((e) => e.action === 'SIGN_IN');
    assert.equal(signIn_?.actorUserId, techA.id, seen.join(', '));
    assert.ok(signIn_?.ip, 'the sign-in records the address it came from');
    const views = events.filter((e) => e.action === 'VIEW' && e.outcome === 'SUCCESS');
    assert.ok(views.length >= 1, `thumbnail views are audited: ${seen.join(', ')}`);
    assert.ok(views.every((v) => v.studyInstanceUID === studies.A && v.actorUserId === techA.id));
    const signOut = events.find((e) => e.action === 'SIGN_OUT');
    assert.equal(signOut?.actorUserId, techA.id, seen.join(', '));
    const order = ['SIGN_IN_FAILED', 'SIGN_IN', 'VIEW', 'SIGN_OUT'].map((a) =>
      events.findIndex((e) => e.action === a),
    );
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      order,
      `in order: ${seen.join(', ')}`,
    );
    await page.close();
  });

  test('a locked account is told until when, even with the right password', async () => {
    const until = new Date(Date.now() + 10 * 60_000);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c
      .query('UPDATE "User" SET "lockedUntil" = $1 WHERE email = $2', [
        until,
        'locked@site-a.example',
      ])
      .finally(() => c.end());

    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/signin`);
    await submitSignIn(page, 'locked@site-a.example', 'correct horse battery staple');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    const shown = await page.evaluate(
      (iso) =>
        new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }),
      until.toISOString(),
    );
    assert.equal(await error.textContent(), `Too many failed attempts: try again after ${shown}.`);
    const [event] = await auditOf('locked@site-a.example');
    assert.deepEqual([event.action, event.detail?.reason], ['SIGN_IN_FAILED', 'locked']);
    await page.close();
  });

  test('an admin creates a token shown once, revokes it, finds both in the audit', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/admin/tokens`);
    await page.waitForURL(/\/signin\?callbackUrl=/);
    await submitSignIn(page, orgAdmin.email, 'correct horse battery staple');
    await page.waitForURL(`${server.baseUrl}/admin/tokens`);

    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.locator('select[name="userId"]').selectOption({ label: techA.email });
    await form.locator('select[name="siteId"]').selectOption({ label: 'SITE-A — Site SITE-A' });
    await form.getByLabel('Name', { exact: true }).fill('e2e reader');
    await form.getByLabel('Expires after (days)').fill('7');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = page.locator('#new-token-secret');
    await secret.waitFor();
    const token = (await secret.textContent()) ?? '';
    assert.match(token, /^eyp_/);

    const qido = await request(`${server.baseUrl}/dicomweb/studies`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/dicom+json' },
    });
    assert.equal(qido.status, 200);
    const found = JSON.parse(qido.body.toString('utf8'));
    assert.deepEqual(
      found.map((s: Record<string, { Value: string[] }>) => s['0020000D'].Value[0]),
      [studies.A],
    );

    const row = page.locator('tr', { hasText: 'e2e reader' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Really revoke e2e reader' }).click();
    await row.getByText(/^revoked /).waitFor();
    const refused = await request(`${server.baseUrl}/dicomweb/studies`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(refused.status, 401);

    await page.goto(`${server.baseUrl}/admin/audit?action=TOKEN_CREATE`);
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 1);

    const csv = await context.request.get(
      `${server.baseUrl}/admin/audit/export?actorEmail=admin@org`,
    );
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(
      lines[0],
      'at,actorEmail,actorUserId,tokenId,ip,action,outcome,' +
        'patientId,studyInstanceUID,siteId,resource',
    );
    const actions = lines.slice(1).map((l) => l.split(',')[5]);
    assert.ok(
      actions.includes('TOKEN_CREATE') && actions.includes('TOKEN_REVOKE'),
      lines.join('\n'),
    );

    const forged = await context.request.post(`${server.baseUrl}/api/trpc/admin.tokens.revoke`, {
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      data: { id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(forged.status(), 403, 'a cross-site change is refused');
    await context.close();
  });
});
