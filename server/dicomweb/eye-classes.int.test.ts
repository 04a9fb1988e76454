/**
 * Every ophthalmic storage SOP class is accepted (PS3.4 Annex B; list from REFERENCE.md, not
 * from our own registry), indexed as known, and found by SOPClassUID and ImageLaterality. Also:
 * one 500 MB OCT volume goes through STOW-RS and back byte-identical.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateOpt } from '../dicom/opt-generator';
import { pydicomFacts } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { request, stow } from '../test/stow-client';

const BASE = `${SHARED_DATA}/dicom/edge/charset_chrFren_ISO_IR_100.dcm`;
const skip = !existsSync(BASE) && `test data not found at ${SHARED_DATA}`;
const ROOT = '1.2.840.10008.5.1.4.1.1.';
const EYE_CLASSES = [
  '77.1.5.1',
  '77.1.5.2',
  '77.1.5.3',
  '77.1.5.4',
  '77.1.5.5',
  '77.1.5.6',
  '77.1.5.7',
  '77.1.5.8',
  '81.1',
  '82.1',
  '79.1',
  '80.1',
  '78.1',
  '78.2',
  '78.3',
  '78.4',
  '78.5',
  '78.6',
  '78.7',
  '78.8',
  '104.1',
  '66',
].map((s) => ROOT + s);

describe('ophthalmic SOP classes', { skip }, () => {
  let t: TestArchive;
  let dir: string;
  before(async () => {
    t = await startTestArchive();
    dir = mkdtempSync(path.join(tmpdir(), 'eye-'));
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each is stored, indexed as a known class and found by SOPClassUID and eye', async () => {
    for (const [i, uid] of EYE_CLASSES.entries()) {
      const file = path.join(dir, `eye-${i}.dcm`);
      copyFileSync(BASE, file);
      const eye = i % 2 ? 'L' : 'R';
      execFileSync('dcmodify', [
        '-nb',
        '-gst',
        '-gse',
        '-gin',
        '-m',
        `(0008,0016)=${uid}`, // dcmodify updates (0002,0002) to match
        '-i',
        `(0020,0062)=${eye}`,
        '-i',
        '(0010,0020)=EYE-1',
        '-i',
        '(0010,0021)=CLINIC-9',
        file,
      ]);
      const res = await stow(t.dicomweb, [{ contentType: 'application/dicom', body: { file } }]);
      assert.equal(res.status, 200, `${uid}: ${res.body}`);
      const [f] = pydicomFacts([file]);
      const row = await t.archive.ctx.db.instance.findUnique({
        where: { sopInstanceUID: f.SOPInstanceUID! },
      });
      assert.equal(row?.sopClassKnown, true, uid);

      const found = await request(
        `${t.dicomweb}/instances?SOPClassUID=${uid}&ImageLaterality=${eye}`,
        {},
      );
      const rows = JSON.parse(found.body.toString());
      assert.equal(rows.length, 1, uid);
      assert.equal(rows[0]['00200062'].Value[0], eye);
    }
    const right = await request(`${t.dicomweb}/studies?PatientID=EYE-1&ImageLaterality=R`, {});
    assert.equal(JSON.parse(right.body.toString()).length, EYE_CLASSES.length / 2);
  });

  test('a 500 MB OCT volume streams through STOW-RS and back byte-identical', async () => {
    const opt = await generateOpt({ outDir: dir, size: 500_000_000, seed: 5 });
    const want = await fileSha(opt.optPath);
    const res = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: { file: opt.optPath } },
    ]);
    assert.equal(res.status, 200, res.body.toString());
    const url = res.json['00081199'].Value[0]['00081190'].Value[0] as string;
    assert.equal(await downloadPartSha(url, t.token), want);
  });
});

async function fileSha(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Hashes the single part of a multipart response as it streams (no 500 MB buffer). */
function downloadPartSha(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(
        url,
        {
          headers: {
            Accept: 'multipart/related; type="application/dicom"',
            Authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const boundary = /boundary=([^;]+)/.exec(String(res.headers['content-type']))![1];
          const h = createHash('sha256');
          let head = Buffer.alloc(0);
          let inBody = false;
          let tail = Buffer.alloc(0);
          const closing = Buffer.byteLength(`\r\n--${boundary}--\r\n`);
          res.on('data', (chunk: Buffer) => {
            if (!inBody) {
              head = Buffer.concat([head, chunk]);
              const at = head.indexOf('\r\n\r\n');
              if (at < 0) return;
              inBody = true;
              chunk = head.subarray(at + 4);
            }
            // Hold back the last bytes: they are the closing boundary, not the part.
            const all = Buffer.concat([tail, chunk]);
            h.update(all.subarray(0, Math.max(0, all.length - closing)));
            tail = all.subarray(Math.max(0, all.length - closing));
          });
          res.on('end', () => resolve(h.digest('hex')));
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });
}
