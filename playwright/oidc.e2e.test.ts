/**
 * Single sign-on through an OpenID Connect provider (a mock one, playwright/mock-oidc.ts): a
 * role the archive does not know refuses the sign-in and says which; known roles make the user
 * and keep their memberships in step with the provider at every sign-in.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import {
  createTestDatabase,
  startServerProcess,
  type ServerProcess,
} from '../server/test/server-process';
import { chromiumMissing, launchBrowser } from './browser';
import { startMockOidc, type MockOidc } from './mock-oidc';
import { seedUsers } from './sign-in';

const built = existsSync(path.resolve(import.meta.dirname, '../.next/BUILD_ID'));
const skip =
  chromiumMissing() ||
  (!built && 'the web app is not built: run npm run setup (or npm run build) first');

const EMAIL = 'dr.oidc@clinic.example';

describe('sign-in through the clinic OpenID Connect provider', { skip }, () => {
  let idp: MockOidc;
  let server: ServerProcess;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let browser: Browser;

  async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  }

  async function signInWithProvider() {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/signin`);
    await page.getByRole('button', { name: 'Sign in with your clinic account' }).click();
    return page;
  }

  before(async () => {
    idp = await startMockOidc();
    db = await createTestDatabase();
    server = await startServerProcess({
      databaseUrl: db.url,
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_ROLES_CLAIM: 'archive_roles',
      },
    });
    // Sites SITE-A and SITE-B, in one organization.
    await seedUsers(db.url, [
      { email: 'tech@site-a.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'SITE-A' }] },
      { email: 'tech@site-b.example', roles: [{ role: 'SITE_TECHNICIAN', siteCode: 'SITE-B' }] },
    ]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
    await idp?.close();
  });

  test('an unknown role refuses the sign-in and names the role', async () => {
    idp.signInAs({ email: EMAIL, name: 'Dr Oidc', archive_roles: ['GRADER@SITE-A', 'JANITOR'] });
    const page = await signInWithProvider();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    assert.equal(
      await error.textContent(),
      'Your sign-in provider sent a role this archive does not know: JANITOR',
    );
    assert.equal(new URL(page.url()).pathname, '/signin');

    const users = await query('SELECT id FROM "User" WHERE email = $1', [EMAIL]);
    assert.equal(users.length, 0, 'no account is made for a refused sign-in');
    const events = await query<{ action: string; detail: Record<string, unknown> }>(
      'SELECT action, detail FROM "AuditEvent" WHERE "actorEmail" = $1',
      [EMAIL],
    );
    assert.deepEqual(
      events.map((e) => [e.action, e.detail.reason, e.detail.role]),
      [['SIGN_IN_FAILED', 'unknown-role', 'JANITOR']],
    );
    assert.match(server.output(), /OIDC sign-in refused/);
    assert.ok(!server.output().includes(EMAIL), 'the log names no person');
    await page.close();
  });

  test('known roles sign in, and the next sign-in brings the memberships in step', async () => {
    idp.signInAs({ email: EMAIL, name: 'Dr Oidc', archive_roles: ['RETINA_SPECIALIST@site-a'] });
    let page = await signInWithProvider();
    await page.getByTestId('whoami').waitFor();
    assert.equal(await page.getByTestId('roles').textContent(), 'RETINA_SPECIALIST@SITE-A');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.close();

    idp.signInAs({
      email: EMAIL,
      name: 'Dr Oidc',
      archive_roles: 'GRADER@SITE-B SITE_ADMIN@SITE-B',
    });
    page = await signInWithProvider();
    await page.getByTestId('whoami').waitFor();
    assert.equal(await page.getByTestId('roles').textContent(), 'GRADER@SITE-B, SITE_ADMIN@SITE-B');
    assert.equal(await page.getByRole('link', { name: 'API tokens' }).count(), 1, 'now an admin');
    await page.close();

    const rows = await query<{ role: string; code: string; passwordHash: string | null }>(
      `SELECT m.role, s.code, u."passwordHash" FROM "Membership" m
         JOIN "User" u ON u.id = m."userId" JOIN "Site" s ON s.id = m."siteId"
        WHERE u.email = $1 ORDER BY m.role`,
      [EMAIL],
    );
    assert.deepEqual(
      rows.map((r) => [r.role, r.code, r.passwordHash]),
      [
        ['GRADER', 'SITE-B', null],
        ['SITE_ADMIN', 'SITE-B', null],
      ],
    );
    const signIns = await query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM "AuditEvent" WHERE "actorEmail" = $1 AND action = 'SIGN_IN' ORDER BY id`,
      [EMAIL],
    );
    assert.deepEqual(
      signIns.map((e) => [e.detail.provider, e.detail.created]),
      [
        ['oidc', true],
        ['oidc', false],
      ],
    );
  });
});
