/**
 * QIDO-RS against the index: names in many character sets come back as pydicom reads them,
 * name search ignores case and accents, wildcards, date ranges, paging, includefield, and
 * patient identity by (PatientID, IssuerOfPatientID).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pydicomFacts, type PydicomFacts } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { request, stow } from '../test/stow-client';

const EDGE = `${SHARED_DATA}/dicom/edge`;
const skip = !existsSync(EDGE) && `test data not found at ${EDGE}`;

async function qido(t: TestArchive, q: string): Promise<any[]> {
  const res = await request(`${t.dicomweb}${q}`, { headers: { Accept: 'application/dicom+json' } });
  assert.equal(res.status, 200, `${q}: ${res.body.toString()}`);
  return JSON.parse(res.body.toString('utf8'));
}

/** A copy of `file` with new UIDs and the given attributes, made by dcmtk's dcmodify. */
function variant(file: string, dir: string, name: string, attrs: Record<string, string>): string {
  const out = path.join(dir, name);
  copyFileSync(file, out);
  const args = ['-nb', '-gst', '-gse', '-gin'];
  for (const [tag, value] of Object.entries(attrs)) args.push('-i', `${tag}=${value}`);
  execFileSync('dcmodify', [...args, out]);
  return out;
}

describe('QIDO-RS', { skip }, () => {
  let t: TestArchive;
  let charsets: PydicomFacts[] = [];
  let dir: string;

  before(async () => {
    t = await startTestArchive();
    dir = mkdtempSync(path.join(tmpdir(), 'qido-'));
    // fodicom's GB18030 sample shares its SOPInstanceUID with charset_chrX2: charset_ files only.
    const files = readdirSync(EDGE)
      .filter((f) => f.startsWith('charset_'))
      .map((f) => `${EDGE}/${f}`);
    charsets = pydicomFacts(files).filter((f) => f.StudyInstanceUID && f.SOPClassUID);
    for (const f of charsets) {
      const res = await stow(t.dicomweb, [
        { contentType: 'application/dicom', body: { file: f.path } },
      ]);
      assert.equal(res.status, 200, `${f.path}: ${res.body}`);
    }
  });
  after(() => t?.close());

  test('PatientName in every character set comes back as pydicom decodes it', async () => {
    for (const f of charsets) {
      const [study] = await qido(t, `/studies?StudyInstanceUID=${f.StudyInstanceUID}`);
      assert.ok(study, f.path);
      const pn = study['00100010'].Value?.[0] ?? {};
      const groups = [pn.Alphabetic ?? '', pn.Ideographic ?? '', pn.Phonetic ?? ''];
      while (groups.length && groups[groups.length - 1] === '') groups.pop();
      assert.equal(groups.join('='), f.PatientName ?? '', path.basename(f.path));
    }
  });

  test('name search ignores case and accents, and takes wildcards', async () => {
    const fren = charsets.find((f) => f.path.includes('chrFren'))!;
    for (const q of ['buc^jerome', 'BUC^JÉRÔME', 'Buc*', '*jero*', 'b?c^j*']) {
      const found = await qido(t, `/studies?PatientName=${encodeURIComponent(q)}`);
      const uids = found.map((s) => s['0020000D'].Value[0]);
      assert.ok(uids.includes(fren.StudyInstanceUID), `PatientName=${q}`);
    }
    assert.deepEqual(await qido(t, `/studies?PatientName=${encodeURIComponent('Bucx*')}`), []);
  });

  test('a name in kanji finds the study by its ideographic group', async () => {
    const jp = charsets.find((f) => f.path.includes('chrH31'))!;
    const ideographic = jp.PatientName!.split('=')[1];
    const found = await qido(t, `/studies?PatientName=${encodeURIComponent(ideographic)}`);
    assert.ok(found.some((s) => s['0020000D'].Value[0] === jp.StudyInstanceUID));
  });

  test('patient identity is (PatientID, IssuerOfPatientID): two sites reusing an ID stay two patients', async () => {
    const base = `${EDGE}/charset_chrArab_ISO_IR_127.dcm`;
    const a = variant(base, dir, 'a.dcm', {
      '(0010,0020)': 'P-1001',
      '(0010,0021)': 'SITE-A',
      '(0008,0020)': '20240105',
    });
    const b = variant(base, dir, 'b.dcm', {
      '(0010,0020)': 'P-1001',
      '(0010,0021)': 'SITE-B',
      '(0008,0020)': '20240610',
    });
    for (const f of [a, b])
      assert.equal(
        (await stow(t.dicomweb, [{ contentType: 'application/dicom', body: { file: f } }])).status,
        200,
      );

    const both = await qido(t, '/studies?PatientID=P-1001');
    assert.equal(both.length, 2);
    const siteA = await qido(t, '/studies?PatientID=P-1001&IssuerOfPatientID=SITE-A');
    assert.equal(siteA.length, 1);
    assert.equal(siteA[0]['00100021'].Value[0], 'SITE-A');
    const rows = await t.archive.ctx.db.patient.findMany({ where: { patientID: 'P-1001' } });
    assert.equal(rows.length, 2);
  });

  test('StudyDate ranges, limit and offset', async () => {
    const first = await qido(t, '/studies?PatientID=P-1001&StudyDate=20240101-20240131');
    assert.equal(first.length, 1);
    assert.equal(first[0]['00080020'].Value[0], '20240105');
    assert.equal((await qido(t, '/studies?PatientID=P-1001&StudyDate=20240601-')).length, 1);
    assert.equal((await qido(t, '/studies?PatientID=P-1001&StudyDate=-20231231')).length, 0);
    const all = await qido(t, '/studies');
    const page = await qido(t, '/studies?limit=2&offset=1');
    assert.equal(page.length, 2);
    assert.equal(page[0]['0020000D'].Value[0], all[1]['0020000D'].Value[0]);
    const bad = await request(`${t.dicomweb}/studies?StudyDate=2024-01`, {});
    assert.equal(bad.status, 400);
  });

  test('series and instance level, UID lists, includefield', async () => {
    const [x, y] = charsets;
    const list = await qido(
      t,
      `/studies?StudyInstanceUID=${x.StudyInstanceUID},${y.StudyInstanceUID}`,
    );
    assert.equal(list.length, 2);
    const series = await qido(t, `/studies/${x.StudyInstanceUID}/series`);
    assert.equal(series[0]['0020000E'].Value[0], x.SeriesInstanceUID);
    const inst = await qido(
      t,
      `/studies/${x.StudyInstanceUID}/series/${x.SeriesInstanceUID}/instances?includefield=00280010,PhotometricInterpretation`,
    );
    assert.equal(inst[0]['00080018'].Value[0], x.SOPInstanceUID);
    assert.equal(inst[0]['00080016'].Value[0], x.SOPClassUID);
    assert.equal(inst[0]['00280004'].Value[0], 'MONOCHROME2');
    const bySop = await qido(t, `/instances?SOPInstanceUID=${y.SOPInstanceUID}`);
    assert.equal(bySop.length, 1);
  });

  test('unsupported matching keys are ignored with a Warning header', async () => {
    const res = await request(`${t.dicomweb}/studies?00191001=x`, {});
    assert.equal(res.status, 200);
    assert.match(String(res.headers.warning), /00191001/);
  });
});
