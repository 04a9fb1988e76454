/**
 * Crash consistency: the server process is killed (SIGKILL) at each step of storing an
 * instance, then restarted on the same storage and database. Nothing half-stored is visible,
 * everything acknowledged before is intact, and the interrupted instance can be sent again.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pydicomFacts, sha256 } from '../test/facts';
import { SHARED_DATA } from '../test/harness';
import { createTestDatabase, startServerProcess, technicianToken } from '../test/server-process';
import { parseMultipart, request, setDefaultToken, stow } from '../test/stow-client';

const FIRST = `${SHARED_DATA}/dicom/edge/charset_chrGreek_ISO_IR_126.dcm`;
const SECOND = `${SHARED_DATA}/dicom/edge/pydicom_emri_small_enhanced_10frames.dcm`;
const skip = !existsSync(FIRST) && `test data not found at ${SHARED_DATA}`;
const POINTS = ['after-temp-write', 'after-blob-commit', 'after-index'] as const;

async function retrieve(baseUrl: string, f: ReturnType<typeof pydicomFacts>[number]) {
  const url = `${baseUrl}/dicomweb/studies/${f.StudyInstanceUID}/series/${f.SeriesInstanceUID}/instances/${f.SOPInstanceUID}`;
  return request(url, { headers: { Accept: 'multipart/related; type="application/dicom"' } });
}

describe('a crash at any point of a store', { skip }, () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  let first: ReturnType<typeof pydicomFacts>[number];
  let second: ReturnType<typeof pydicomFacts>[number];
  before(() => {
    [first, second] = pydicomFacts([FIRST, SECOND]);
  });

  for (const point of POINTS) {
    test(`killed ${point}: nothing half-visible, nothing acknowledged lost`, async () => {
      const db = await createTestDatabase();
      const dataDir = mkdtempSync(path.join(tmpdir(), `crash-${point}-`));
      dirs.push(dataDir);
      try {
        const env = { WEB_APP: 'off' };
        const a = await startServerProcess({ databaseUrl: db.url, dataDir, env });
        setDefaultToken(await technicianToken(db.url));
        const ack = await stow(`${a.baseUrl}/dicomweb`, [
          { contentType: 'application/dicom', body: { file: FIRST } },
        ]);
        assert.equal(ack.status, 200);
        await a.stop();

        const b = await startServerProcess({
          databaseUrl: db.url,
          dataDir,
          env: { ...env, ARCHIVE_CRASH_AT: point },
        });
        await assert.rejects(
          stow(`${b.baseUrl}/dicomweb`, [
            { contentType: 'application/dicom', body: { file: SECOND } },
          ]),
        );
        await new Promise((r) => (b.child.exitCode !== null ? r(null) : b.child.once('exit', r)));
        assert.equal(b.child.signalCode, 'SIGKILL');

        const c = await startServerProcess({ databaseUrl: db.url, dataDir, env });
        try {
          const kept = await retrieve(c.baseUrl, first);
          assert.equal(
            sha256(parseMultipart(kept)[0].body),
            sha256(FIRST),
            'acknowledged instance intact',
          );

          const q = await request(
            `${c.baseUrl}/dicomweb/instances?SOPInstanceUID=${second.SOPInstanceUID}`,
            {},
          );
          const visible = JSON.parse(q.body.toString()).length;
          // Indexed before the kill: visible and whole. Killed earlier: not visible at all.
          assert.equal(visible, point === 'after-index' ? 1 : 0);
          if (visible) {
            const back = await retrieve(c.baseUrl, second);
            assert.equal(sha256(parseMultipart(back)[0].body), sha256(SECOND));
          }

          const again = await stow(`${c.baseUrl}/dicomweb`, [
            { contentType: 'application/dicom', body: { file: SECOND } },
          ]);
          assert.equal(again.status, 200, again.body.toString());
          const back = await retrieve(c.baseUrl, second);
          assert.equal(sha256(parseMultipart(back)[0].body), sha256(SECOND));
          const blobs = path.join(dataDir, 'blobs', 'sha256');
          assert.ok(existsSync(blobs) && readdirSync(blobs).length > 0);
        } finally {
          await c.stop();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
