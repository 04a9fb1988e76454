/**
 * Test harness: a real archive on a fresh PostgreSQL database and a temporary blob directory,
 * served on a random loopback port (DICOMweb only, no Next.js). Each call gets its own
 * database, dropped again by `close`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openArchive, type Archive } from '../app';
import { loadConfig } from '../config';
import { createServer } from '../http/server';
import { makeToken, makeUser } from './identity';
import { setDefaultToken } from './stow-client';

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../shared/data');

export interface TestArchive {
  archive: Archive;
  /** A WRITE token of a site technician at site TEST-A, sent by default by stow-client. */
  token: string;
  baseUrl: string;
  dicomweb: string;
  dataDir: string;
  close(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startTestArchive(opts: { embedded?: boolean } = {}): Promise<TestArchive> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'archive-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (!opts.embedded) {
    dbName = `archive_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }

  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  });
  const archive = await openArchive(config);
  const tech = await makeUser(archive.ctx.db, 'tech@test-a.example', [
    { role: 'SITE_TECHNICIAN', siteCode: 'TEST-A' },
  ]);
  const token = await makeToken(archive.ctx.db, tech.id, 'TEST-A');
  setDefaultToken(token);
  const server = createServer(archive);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    archive,
    token,
    baseUrl,
    dicomweb: `${baseUrl}/dicomweb`,
    dataDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await archive.close();
      if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
