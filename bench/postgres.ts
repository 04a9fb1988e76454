/**
 * `--postgres URL`: run our server on a real PostgreSQL instead of the embedded PGlite, in a
 * database made for the run and dropped after it. Only a loopback server is accepted, since the
 * benchmark must not reach beyond this machine.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function checkLoopbackUrl(adminUrl: string): string {
  const host = new URL(adminUrl).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`--postgres must name a loopback server, not ${host}`);
  return adminUrl;
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; returns its URL and a function that drops it again. */
export async function createRunDatabase(adminUrl: string) {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The URL without its password, for the results file. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
