/**
 * Builds the running archive: configuration, database, blob store and default site. Shared by
 * the HTTP server, the ingest CLI and the tests, so all three run the same code.
 */
import { loadConfig, type Config } from './config';
import { openDb, type DbHandle } from './db/client';
import { applyMigrations, pendingMigrations } from './db/migrate';
import { log } from './log';
import type { ArchiveContext, UploadSite } from './archive/context';
import { ensureSite } from './archive/sites';
import { FsBlobStore } from './storage/fs-store';

export interface Archive {
  config: Config;
  ctx: ArchiveContext;
  site: UploadSite;
  db: DbHandle;
  close(): Promise<void>;
}

export async function openArchive(config: Config = loadConfig()): Promise<Archive> {
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  if ((await pendingMigrations(db)).length) await applyMigrations(db);
  const store = new FsBlobStore(config.storageDir);
  await store.init();
  const site = await ensureSite(db.prisma, {
    code: config.DEFAULT_SITE_CODE,
    name: 'Demo screening site',
    organization: 'Demo eye clinic',
  });
  const ctx: ArchiveContext = { db: db.prisma, store, config, log };
  return { config, ctx, site, db, close: () => db.close() };
}
