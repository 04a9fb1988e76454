/**
 * Bad STOW-RS input: each case gets the right status and a reason a person can act on, the
 * other parts of the same request are unaffected, and nothing stored changes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { pydicomFacts, sha256 } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { multipartBody, parseMultipart, request, stow } from '../test/stow-client';

const GOOD = `${SHARED_DATA}/dicom/edge/charset_chrGreek_ISO_IR_126.dcm`;
const OTHER = `${SHARED_DATA}/dicom/edge/charset_chrRuss_ISO_IR_144.dcm`;
const skip = !existsSync(GOOD) && `test data not found at ${SHARED_DATA}`;

function reasonOf(json: any, i = 0): string {
  return json['00081198'].Value[i]['00000902'].Value[0];
}

describe('STOW-RS bad input', { skip }, () => {
  let t: TestArchive;
  before(async () => {
    t = await startTestArchive();
  });
  after(() => t?.close());

  test('non-DICOM bytes are refused, the good part beside them is stored', async () => {
    const res = await stow(t.dicomweb, [
      {
        contentType: 'application/dicom',
        body: Buffer.from('this is a text file, not DICOM\n'.repeat(20)),
      },
      { contentType: 'application/dicom', body: { file: GOOD } },
    ]);
    assert.equal(res.status, 202);
    assert.equal(res.json['00081199'].Value.length, 1);
    assert.equal(res.json['00081198'].Value.length, 1);
    assert.match(reasonOf(res.json), /DICOM/i);
  });

  test('a truncated file is refused with TRUNCATED-style reason', async () => {
    const bytes = readFileSync(OTHER);
    const res = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: bytes.subarray(0, bytes.length - 300) },
    ]);
    assert.equal(res.status, 409);
    assert.match(reasonOf(res.json), /truncat|ends|short|bytes/i);
    const [f] = pydicomFacts([OTHER]);
    // The refused instance is named, so the sender knows which file to fix.
    assert.equal(res.json['00081198'].Value[0]['00081155'].Value[0], f.SOPInstanceUID);
    const q = await request(`${t.dicomweb}/instances?SOPInstanceUID=${f.SOPInstanceUID}`, {});
    assert.deepEqual(JSON.parse(q.body.toString()), []);
  });

  test('an empty part is refused', async () => {
    const res = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: Buffer.alloc(0) },
    ]);
    assert.equal(res.status, 409);
    assert.match(reasonOf(res.json), /empty/i);
  });

  test('a study UID that contradicts the URL is refused with 0xC122', async () => {
    const res = await stow(
      t.dicomweb,
      [{ contentType: 'application/dicom', body: { file: OTHER } }],
      {
        study: '1.2.3.4.5',
      },
    );
    assert.equal(res.status, 409);
    const failed = res.json['00081198'].Value[0];
    assert.equal(failed['00081197'].Value[0], 0xc122);
    assert.match(reasonOf(res.json), /StudyInstanceUID/);
  });

  test('a wrong content type is 415, a missing boundary 400, with reasons', async () => {
    const bytes = readFileSync(GOOD);
    const wrong = await request(`${t.dicomweb}/studies`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: bytes,
    });
    assert.equal(wrong.status, 415);
    assert.match(JSON.parse(wrong.body.toString()).error.message, /multipart\/related/);

    const noBoundary = await request(`${t.dicomweb}/studies`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/related; type="application/dicom"' },
      body: bytes,
    });
    assert.equal(noBoundary.status, 400);
    assert.match(JSON.parse(noBoundary.body.toString()).error.message, /boundary/);

    const none = await request(`${t.dicomweb}/studies`, { method: 'POST', body: bytes });
    assert.equal(none.status, 415);
  });

  test('a body cut off mid-part stores nothing from that part', async () => {
    const mp = multipartBody([{ contentType: 'application/dicom', body: { file: OTHER } }]);
    const chunks: Buffer[] = [];
    for await (const c of mp.stream()) chunks.push(c as Buffer);
    const full = Buffer.concat(chunks);
    const cut = full.subarray(0, full.length - 500);
    const res = await request(`${t.dicomweb}/studies`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${mp.boundary}`,
      },
      body: cut,
    });
    assert.ok(res.status === 409 || res.status === 400, `status ${res.status}`);
    const [f] = pydicomFacts([OTHER]);
    const q = await request(`${t.dicomweb}/instances?SOPInstanceUID=${f.SOPInstanceUID}`, {});
    assert.deepEqual(JSON.parse(q.body.toString()), []);
  });

  test('what was stored before is unchanged after all the bad requests', async () => {
    const [f] = pydicomFacts([GOOD]);
    const url = `${t.dicomweb}/studies/${f.StudyInstanceUID}/series/${f.SeriesInstanceUID}/instances/${f.SOPInstanceUID}`;
    const back = await request(url, {
      headers: { Accept: 'multipart/related; type="application/dicom"' },
    });
    assert.equal(sha256(parseMultipart(back)[0].body), sha256(GOOD));
  });
});
