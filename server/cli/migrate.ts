/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL,
 * else the embedded PGlite under DATA_DIR). `npm run db:migrate -- --create NAME` writes
 * prisma/migrations/<timestamp>_NAME from the difference between the migrations and the schema.
 * `npm start` migrates by itself; this is for doing it ahead of a start, or for a schema change.
 */
import { loadConfig } from '../config';
import { openDb } from '../db/client';
import { applyMigrations, createWithScratchDb } from '../db/migrate';

async function main(): Promise<void> {
  const createIdx = process.argv.indexOf('--create');
  if (createIdx > 0) return createWithScratchDb(process.argv[createIdx + 1] ?? 'change');

  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    const applied = await applyMigrations(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
