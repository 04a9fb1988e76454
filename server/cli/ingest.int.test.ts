/**
 * `npm run ingest` on the shared test data: a summary that adds up, the refused files named with
 * reasons, exit code 1 because some were refused, 0 on a clean run, and photos imported as
 * Ophthalmic Photography when patient and eye are given.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listFiles } from '../archive/import-files';
import { pydicomFacts } from '../test/facts';
import { SHARED_DATA } from '../test/harness';
import { openArchive } from '../app';
import { loadConfig } from '../config';
import { makeUser } from '../test/identity';
import { createTestDatabase } from '../test/server-process';

const EDGE = `${SHARED_DATA}/dicom/edge`;
const FUNDUS = `${SHARED_DATA}/fundus/topcon_fundus_from_OCT-Converter_2576x1934.jpg`;
const skip = !existsSync(EDGE) && `test data not found at ${SHARED_DATA}`;
const ROOT = path.resolve(import.meta.dirname, '../..');
const USER = 'importer@ingest.example';

describe('npm run ingest', { skip }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/cli/ingest.ts', '--quiet', '--user', USER, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );

  before(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ingest-'));
    const handle = await openArchive(
      loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, NODE_ENV: 'test' }),
    );
    await makeUser(handle.ctx.db, USER, [{ role: 'SITE_TECHNICIAN', siteCode: 'INGEST' }]);
    await handle.close();
  });
  after(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a folder: summary adds up, refusals named, exit 1', async () => {
    const files = await listFiles([EDGE]);
    const facts = pydicomFacts(files);
    const complete = facts.filter(
      (f) =>
        !f.error &&
        f.SOPClassUID &&
        f.SOPInstanceUID &&
        f.StudyInstanceUID &&
        f.SeriesInstanceUID &&
        f.pixelComplete,
    );
    // Some samples are the same SOP instance in another transfer syntax: only the first is kept.
    const unique = new Set(complete.map((f) => f.SOPInstanceUID));
    const out = run(EDGE);
    assert.equal(out.status, 1, out.stderr);
    const m = /(\d+) file\(s\): (\d+) stored, (\d+) already there, (\d+) refused/.exec(out.stdout);
    assert.ok(m, out.stdout);
    const [total, stored, dup, refused] = m.slice(1).map(Number);
    assert.equal(total, files.length);
    assert.equal(stored + dup + refused, total);
    assert.equal(stored, unique.size, out.stdout);
    const refusedLines = out.stdout.split('\n').filter((l) => l.includes('refused /'));
    assert.equal(refusedLines.length, refused);
    for (const line of refusedLines) assert.match(line, /: .{10,}/, 'each refusal has a reason');

    const again = run(`${EDGE}/charset_chrFren_ISO_IR_100.dcm`);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /0 stored, 1 already there, 0 refused/);
  });

  test(
    'a photo needs patient and eye, then becomes an OP instance',
    { skip: !existsSync(FUNDUS) && 'no fundus photo' },
    () => {
      const without = run(FUNDUS);
      assert.equal(without.status, 1);
      assert.match(without.stdout, /--patient-id/);
      const withIds = run('--patient-id', 'TOPCON-1', '--issuer', 'SITE-T', '--eye', 'L', FUNDUS);
      assert.equal(withIds.status, 0, withIds.stdout + withIds.stderr);
      assert.match(withIds.stdout, /1 stored/);
      const badEye = run('--patient-id', 'X', '--eye', 'both', FUNDUS);
      assert.equal(badEye.status, 2);
      assert.match(badEye.stderr, /laterality/);
    },
  );
});
