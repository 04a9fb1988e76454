/**
 * Browser-test helpers for signing in: people with passwords made straight in the server's
 * database (by the factories the integration tests use), and the sign-in form driven the way
 * a person fills it in.
 */
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { openDb } from '../server/db/client';
import type { Role } from '../server/db/generated/client';
import { makeToken, makeUser } from '../server/test/identity';

export const PASSWORD = 'correct horse battery staple';

export interface SeededUser {
  id: string;
  email: string;
  /** A WRITE token at the user's first site, for storing test studies; null without a site. */
  token: string | null;
}

/** Users with roles (and a WRITE token each), in the database of a started server. */
export async function seedUsers(
  databaseUrl: string,
  users: Array<{ email: string; roles: Array<{ role: Role; siteCode: string | null }> }>,
): Promise<SeededUser[]> {
  const db = await openDb({ databaseUrl, dataDir: tmpdir() });
  try {
    const seeded: SeededUser[] = [];
    for (const u of users) {
      const user = await makeUser(db.prisma, u.email, u.roles, PASSWORD);
      const site = u.roles.find((r) => r.siteCode)?.siteCode;
      const token = site ? await makeToken(db.prisma, user.id, site) : null;
      seeded.push({ id: user.id, email: u.email, token });
    }
    return seeded;
  } finally {
    await db.close();
  }
}

/** Fills in and sends the sign-in form; resolves once the app shows who is signed in. */
export async function signIn(page: Page, baseUrl: string, email: string, password = PASSWORD) {
  if (!new URL(page.url(), baseUrl).pathname.startsWith('/signin')) {
    await page.goto(`${baseUrl}/signin`);
  }
  await submitSignIn(page, email, password);
  await page.getByTestId('whoami').waitFor();
}

export async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
