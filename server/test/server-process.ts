/**
 * Runs the real server (`server/main.ts`, with Next.js) as a child process on a free port, on
 * a fresh test database, for browser tests and crash tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ADMIN_URL } from './harness';

/** Signs the session cookies of servers started by tests (the same across restarts). */
export const TEST_AUTH_SECRET = 'test-only-secret-for-session-cookies-0123456789abcdef';

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  dataDir: string;
  databaseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `archive_e2e_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Starts the server and resolves once /healthz answers. */
export async function startServerProcess(opts: {
  databaseUrl: string;
  dataDir?: string;
  env?: Record<string, string>;
  entry?: string;
}): Promise<ServerProcess> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'archive-proc-'));
  const port = await freePort();
  let out = '';
  const entry = opts.entry ?? 'server/main.ts';
  // The bundle `npm start` runs is plain JavaScript: node alone, as in production.
  const args = entry.endsWith('.mjs') ? [entry] : ['--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: opts.databaseUrl,
      LOG_LEVEL: 'warn',
      AUTH_SECRET: TEST_AUTH_SECRET,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    child,
    dataDir,
    databaseUrl: opts.databaseUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A site technician with a WRITE token at `siteCode`, made directly in the server's database
 * (the server must have started once, so the schema exists).
 */
export async function technicianToken(databaseUrl: string, siteCode = 'TEST-A'): Promise<string> {
  const { openDb } = await import('../db/client');
  const { makeToken, makeUser } = await import('./identity');
  const db = await openDb({ databaseUrl, dataDir: tmpdir() });
  try {
    const email = `tech-${randomBytes(4).toString('hex')}@${siteCode.toLowerCase()}.example`;
    const user = await makeUser(db.prisma, email, [{ role: 'SITE_TECHNICIAN', siteCode }]);
    return await makeToken(db.prisma, user.id, siteCode);
  } finally {
    await db.close();
  }
}
