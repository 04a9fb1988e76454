/**
 * The server as `npm start` runs it: the esbuild bundle dist/server.mjs under plain node, where
 * the other tests run server/main.ts under tsx. A bundle puts every module in one file, so code
 * that runs when a module loads behaves differently there: the migration CLI's "am I the script
 * that was run" check was true inside the bundle, and every start ran a second migration beside
 * the server's own (on a new PostgreSQL database the two raced for Prisma's advisory lock and
 * the start failed after 10 s; on PGlite the database was opened twice).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { PROJECT_ROOT } from '../paths';
import { createTestDatabase, startServerProcess } from '../test/server-process';

const BUNDLE = 'dist/server.mjs';
const built = existsSync(path.join(PROJECT_ROOT, BUNDLE));

/** What the migration CLI (server/cli/migrate.ts) prints when it runs. */
const MIGRATE_CLI_SAYS = /database is up to date|^applied: /m;

test(
  'npm start\u2019s bundle migrates a new PostgreSQL database once, itself, and serves',
  { skip: !built && `${BUNDLE} is not built: run npm run setup` },
  async () => {
    const db = await createTestDatabase();
    try {
      const first = await startServerProcess({
        databaseUrl: db.url,
        entry: BUNDLE,
        env: { WEB_APP: 'off' },
      });
      const health = await fetch(`${first.baseUrl}/healthz`);
      assert.equal(health.status, 200);
      await first.stop();
      assert.equal(first.child.exitCode, 0, first.output());
      assert.doesNotMatch(first.output(), MIGRATE_CLI_SAYS);

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client
        .query<{ name: string; n: number }>(
          `SELECT migration_name AS name, count(*)::int AS n FROM "_prisma_migrations"
           WHERE finished_at IS NOT NULL GROUP BY migration_name ORDER BY migration_name`,
        )
        .finally(() => client.end());
      const dirs = readdirSync(path.join(PROJECT_ROOT, 'prisma/migrations'), {
        withFileTypes: true,
      })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
      assert.deepEqual(
        rows,
        dirs.map((name) => ({ name, n: 1 })),
      );

      // Up to date now: a second start finds nothing to do and still runs no migration.
      const second = await startServerProcess({
        databaseUrl: db.url,
        entry: BUNDLE,
        env: { WEB_APP: 'off' },
      });
      await second.stop();
      assert.equal(second.child.exitCode, 0, second.output());
      assert.doesNotMatch(second.output(), MIGRATE_CLI_SAYS);
    } finally {
      await db.drop();
    }
  },
);
