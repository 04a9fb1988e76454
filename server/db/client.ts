/**
 * One Prisma client over either a real PostgreSQL (DATABASE_URL) or an embedded PGlite
 * database under DATA_DIR, so a newcomer needs no database server to try the platform.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;

export interface DbTarget {
  databaseUrl?: string;
  dataDir: string;
}

export interface DbHandle {
  prisma: Db;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
  kind: 'postgres' | 'pglite';
}

export async function openDb(target: DbTarget): Promise<DbHandle> {
  if (target.databaseUrl) {
    const factory = new PrismaPg({ connectionString: target.databaseUrl, max: 10 });
    const prisma = new PrismaClient({ adapter: factory });
    return { prisma, adapterFactory: factory, kind: 'postgres', close: () => prisma.$disconnect() };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const dir = path.join(target.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const release = acquireEmbeddedLock(dir);
  const pglite = await PGlite.create(dir);
  const factory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    adapterFactory: factory as unknown as SqlMigrationAwareDriverAdapterFactory,
    kind: 'pglite',
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file with the owner's pid makes the second one stop with a clear message instead.
 */
function acquireEmbeddedLock(dir: string): () => void {
  const lock = path.join(dir, '..', 'pglite.lock');
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(readFileSync(lock, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The embedded database in ${path.dirname(dir)} is in use by process ${owner} ` +
          '(probably `npm start`). Stop it first, or run both against PostgreSQL with DATABASE_URL.',
      );
    }
    writeFileSync(lock, String(process.pid));
  }
  return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
