/**
 * Every DICOM file in ../shared/data through STOW-RS, then back through WADO-RS: each one is
 * either stored and read back byte-identical, or refused with a reason. pydicom decides
 * independently which files are complete, valid instances.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { listFiles } from '../archive/import-files';
import { pydicomFacts, sha256, type PydicomFacts } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { parseMultipart, request, setDefaultToken, stow } from '../test/stow-client';

const DICOM_DIR = `${SHARED_DATA}/dicom`;
const skip = !existsSync(DICOM_DIR) && `test data not found at ${DICOM_DIR}`;

function expectStored(f: PydicomFacts): boolean {
  return (
    !f.error &&
    !!f.SOPClassUID &&
    !!f.SOPInstanceUID &&
    !!f.StudyInstanceUID &&
    !!f.SeriesInstanceUID &&
    f.pixelComplete
  );
}

describe('STOW-RS then WADO-RS with every shared DICOM file', { skip }, () => {
  let t: TestArchive;
  let files: string[] = [];
  let facts: PydicomFacts[] = [];

  before(async () => {
    t = await startTestArchive();
    files = (await listFiles([DICOM_DIR])).filter((f) => f.endsWith('.dcm'));
    facts = pydicomFacts(files);
  });
  after(() => t?.close());

  test('each file is stored and read back byte-identical, or refused with a reason', async () => {
    const seen = new Map<string, string>();
    for (const f of facts) {
      const res = await stow(t.dicomweb, [
        { contentType: 'application/dicom', body: { file: f.path } },
      ]);
      const name = f.path.split('/').pop();
      // Two sample files derive from the same original: same SOPInstanceUID, other bytes.
      const earlier = f.SOPInstanceUID ? seen.get(f.SOPInstanceUID) : undefined;
      if (expectStored(f) && earlier && earlier !== sha256(f.path)) {
        assert.equal(res.status, 409, `${name}: ${res.body.toString()}`);
        assert.equal(res.json['00081198'].Value[0]['00081197'].Value[0], 0xa770, name);
        continue;
      }
      if (expectStored(f)) {
        seen.set(f.SOPInstanceUID!, sha256(f.path));
        assert.equal(res.status, 200, `${name}: ${res.body.toString()}`);
        const ref = res.json['00081199'].Value[0];
        assert.equal(ref['00081155'].Value[0], f.SOPInstanceUID, name);
        const url = ref['00081190'].Value[0] as string;
        const back = await request(url, {
          headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
        });
        assert.equal(back.status, 200, name);
        const [part] = parseMultipart(back);
        assert.equal(sha256(part.body), sha256(f.path), `${name} read back byte-identical`);
      } else {
        assert.equal(res.status, 409, `${name} should be refused: ${res.body.toString()}`);
        const failed = res.json['00081198'].Value[0];
        assert.ok(failed['00081197'].Value[0] > 0, `${name}: FailureReason`);
        const reason = failed['00000902'].Value[0] as string;
        assert.ok(reason.length > 10, `${name}: a reason a person can act on, got "${reason}"`);
      }
    }
  });

  test('frames of multi-frame instances match pydicom, frame by frame', async () => {
    // A fresh archive: some samples share a SOPInstanceUID with files stored above.
    const own = await startTestArchive();
    const multi = facts.filter(
      (f) => !f.error && (f.NumberOfFrames ?? 0) > 1 && f.framesSha256 && f.pixelComplete,
    );
    assert.ok(multi.length >= 3, 'several multi-frame files in the test data');
    try {
      await framesMatch(own, multi);
    } finally {
      await own.close();
      setDefaultToken(t.token);
    }
  });

  test('the same instance sent again with the same bytes is a success', async () => {
    const f = facts.find((x) => x.path.endsWith('charset_chrFren_ISO_IR_100.dcm'))!;
    const res = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: { file: f.path } },
    ]);
    assert.equal(res.status, 200);
    assert.equal(res.json['00081199'].Value.length, 1);
  });

  test('the same SOPInstanceUID with different bytes is refused and nothing is overwritten', async () => {
    const f = facts.find((x) => x.path.endsWith('charset_chrFren_ISO_IR_100.dcm'))!;
    const original = readFileSync(f.path);
    const changed = Buffer.from(original);
    changed[changed.length - 1] ^= 0xff; // one pixel differs
    const res = await stow(t.dicomweb, [{ contentType: 'application/dicom', body: changed }]);
    assert.equal(res.status, 409);
    const failed = res.json['00081198'].Value[0];
    assert.equal(failed['00081197'].Value[0], 0xa770);
    assert.equal(failed['00081155'].Value[0], f.SOPInstanceUID);

    const url = `${t.dicomweb}/studies/${f.StudyInstanceUID}/series/${f.SeriesInstanceUID}/instances/${f.SOPInstanceUID}`;
    const back = await request(url, {
      headers: { Accept: 'multipart/related; type="application/dicom"' },
    });
    assert.equal(sha256(parseMultipart(back)[0].body), sha256(original));
  });
});

async function framesMatch(t: TestArchive, multi: PydicomFacts[]): Promise<void> {
  for (const f of multi) {
    const stored = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: { file: f.path } },
    ]);
    assert.equal(stored.status, 200, f.path);
    const base = `${t.dicomweb}/studies/${f.StudyInstanceUID}/series/${f.SeriesInstanceUID}/instances/${f.SOPInstanceUID}`;
    const list = Array.from({ length: f.NumberOfFrames! }, (_, i) => i + 1).join(',');
    const res = await request(`${base}/frames/${list}`, {
      headers: {
        Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
      },
    });
    assert.equal(res.status, 200, f.path);
    const parts = parseMultipart(res);
    assert.equal(parts.length, f.NumberOfFrames);
    parts.forEach((p, i) => {
      // pydicom's fragments may carry the trailing pad byte of an odd-length frame.
      const got = sha256(p.body);
      const ok =
        got === f.framesSha256![i] ||
        sha256(Buffer.concat([p.body, Buffer.alloc(1)])) === f.framesSha256![i];
      assert.ok(ok, `${f.path.split('/').pop()} frame ${i + 1}`);
    });
  }
}
