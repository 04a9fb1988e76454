/**
 * Database migrations through Prisma's own schema engine, compiled to WebAssembly
 * (@prisma/schema-engine-wasm), because the CLI's native engine cannot be downloaded here.
 * Migrations stay in Prisma's folder format, so `prisma migrate deploy` also works wherever
 * the network allows it.
 *
 * `npm run db:migrate` (server/cli/migrate.ts) is the command line over it. This module has no
 * entry point of its own: it is bundled into dist/server.mjs, where an "am I the script that
 * was run" test would be true for every module, and a second migration would start beside
 * the server's own.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { PROJECT_ROOT } from '../paths';
import { openDb, type DbHandle } from './client';

const ROOT = PROJECT_ROOT;
const SCHEMA_PATH = path.join(ROOT, 'prisma/schema.prisma');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma/migrations');
const NO_FILTER = { externalTables: [], externalEnums: [] };

function migrationList(): MigrationList {
  const dirs = existsSync(MIGRATIONS_DIR)
    ? readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: {
          tag: 'ok',
          value: readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'),
        },
      },
    })),
  };
}

/**
 * The package's entry point imports its .wasm file as an ES module, which Node 20 cannot do,
 * so the module is instantiated by hand with the package's own JS glue as its imports.
 */
async function loadEngineClass(): Promise<typeof SchemaEngine> {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(ROOT, 'node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
    './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
  });
  const exports = instance.exports as unknown as { __wbindgen_start: () => void };
  (glue as unknown as { __wbg_set_wasm: (w: unknown) => void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return glue.SchemaEngine as unknown as typeof SchemaEngine;
}

let engineClass: Promise<typeof SchemaEngine> | undefined;

async function engineFor(db: DbHandle): Promise<SchemaEngine> {
  engineClass ??= loadEngineClass();
  const Engine = await engineClass;
  const schema = readFileSync(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(db.adapterFactory);
  const onLog = () => undefined;
  return Engine.new({ datamodels: [[SCHEMA_PATH, schema]] }, onLog, adapter);
}

/**
 * Names of migrations not yet applied, read from Prisma's own `_prisma_migrations` table. The
 * schema engine is large (tens of MB once instantiated), so a server that is up to date never
 * loads it.
 */
export async function pendingMigrations(db: DbHandle): Promise<string[]> {
  const wanted = migrationList().migrationDirectories.map((d) => d.path);
  try {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL',
    );
    const done = new Set(rows.map((r) => r.migration_name));
    return wanted.filter((name) => !done.has(name));
  } catch {
    return wanted; // no migrations table yet: a new database
  }
}

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(db: DbHandle): Promise<string[]> {
  const engine = await engineFor(db);
  try {
    const out = await engine.applyMigrations({
      migrationsList: migrationList(),
      filters: NO_FILTER,
    });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** Writes a new migration holding the difference between the migrations and the schema. */
async function createMigration(db: DbHandle, name: string): Promise<string | null> {
  const engine = await engineFor(db);
  try {
    const list = migrationList();
    const from = list.migrationDirectories.length
      ? ({ tag: 'migrations', ...list } as const)
      : ({ tag: 'empty' } as const);
    const schema = readFileSync(SCHEMA_PATH, 'utf8');
    const diff = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const sql = diff.stdout ?? '';
    if (!sql.trim() || sql.includes('This is an empty migration')) return null;

    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    const lock = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
    if (!existsSync(lock)) writeFileSync(lock, 'provider = "postgresql"\n');
    return dir;
  } finally {
    engine.free();
  }
}

/** Diffs on a throwaway embedded database, which also serves as the shadow database. */
export async function createWithScratchDb(name: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'migrate-'));
  const db = await openDb({ dataDir: scratch });
  try {
    const dir = await createMigration(db, name);
    console.log(dir ? `created ${path.relative(ROOT, dir)}` : 'schema and migrations agree');
  } finally {
    await db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
