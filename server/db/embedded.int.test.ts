/**
 * Smoke test of the embedded mode a newcomer gets without DATABASE_URL: PGlite under DATA_DIR,
 * migrated on start, storing and finding an instance, and still there after a restart.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openArchive } from '../app';
import { storeInstance } from '../archive/store-instance';
import { loadConfig } from '../config';
import { pydicomFacts } from '../test/facts';
import { SHARED_DATA } from '../test/harness';
import { createReadStream } from 'node:fs';
import { makeSite } from '../test/identity';

const FILE = `${SHARED_DATA}/dicom/edge/charset_chrX1_ISO_IR_192_UTF8.dcm`;

test(
  'embedded PGlite: migrate, store, find, reopen',
  { skip: !existsSync(FILE) && 'no test data' },
  async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn' });
      const [facts] = pydicomFacts([FILE]);

      const first = await openArchive(config);
      assert.equal(first.db.kind, 'pglite');
      const stored = await storeInstance(first.ctx, {
        source: createReadStream(FILE),
        site: { ...(await makeSite(first.ctx.db, 'EMBEDDED')), mayUploadTo: () => true },
      });
      assert.equal(stored.sopInstanceUID, facts.SOPInstanceUID);
      await first.close();

      const second = await openArchive(config);
      const row = await second.ctx.db.instance.findUnique({
        where: { sopInstanceUID: facts.SOPInstanceUID! },
        include: { study: { include: { patient: true } } },
      });
      assert.equal(row?.study.patient.patientName, facts.PatientName);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
