/**
 * Builds the running archive: configuration, database and blob store. Shared by
 * the HTTP server, the ingest CLI and the tests, so all three run the same code.
 */
import { loadConfig, type Config } from './config';
import { openDb, type DbHandle } from './db/client';
import { applyMigrations, pendingMigrations } from './db/migrate';
import { log } from './log';
import type { ArchiveContext } from './archive/context';
import { FsBlobStore } from './storage/fs-store';

export interface Archive {
  config: Config;
  ctx: ArchiveContext;
  db: DbHandle;
  close(): Promise<void>;
}

export async function openArchive(config: Config = loadConfig()): Promise<Archive> {
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  if ((await pendingMigrations(db)).length) await applyMigrations(db);
  const store = new FsBlobStore(config.storageDir);
  await store.init();
  const ctx: ArchiveContext = { db: db.prisma, store, config, log };
  return { config, ctx, db, close: () => db.close() };
}
