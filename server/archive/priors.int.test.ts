/**
 * Priors for the viewer against a real database: the same patient's earlier visits with an
 * image of the same eye (each image's own ImageLaterality) and the same SOP class, newest first,
 * a same-day visit only when its time is earlier. Another patient with the same PatientID, a
 * later visit, another class and another site's study the caller may not see are never offered;
 * what is offered is audited.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TRPCError } from '@trpc/server';
import { principalForUser, type Principal } from '../auth/principal';
import { imageToOphthalmicPhotography, newUid, OP_8BIT_SOP_CLASS_UID } from '../dicom/encapsulate';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { makeSite, makeToken, makeUser } from '../test/identity';
import { stow } from '../test/stow-client';
import { createCaller } from '../trpc/router';
import type { BrowseActor } from './browse';
import { priorStudies } from './priors';

const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
const SC = `${SHARED_DATA}/dicom/edge/pydicom_SC_rgb_jpeg_dcmtk.dcm`;
const skip = (!existsSync(FUNDUS) || !existsSync(SC)) && `test data not found at ${SHARED_DATA}`;

const P = { patientID: 'PR-1', issuerOfPatientID: 'HOSP-A', patientName: 'Prior^Paula' };
const SAME_NUMBER = { patientID: 'PR-1', issuerOfPatientID: 'HOSP-Z', patientName: 'Other^Olga' };

describe('priors of an image', { skip }, () => {
  let t: TestArchive;
  let dir: string;
  const who: Record<'techA' | 'org', Principal> = {} as never;
  const names = ['early', 'middle', 'sameDayBefore', 'current', 'sameDayAfter', 'later'] as const;
  const uid = Object.fromEntries(names.map((n) => [n, newUid()])) as Record<
    (typeof names)[number] | 'otherPatient' | 'otherClass' | 'siteB',
    string
  >;
  uid.otherPatient = newUid();
  uid.otherClass = newUid();
  uid.siteB = newUid();
  const nameOf = () => Object.fromEntries(Object.entries(uid).map(([n, u]) => [u, n]));
  const actor = (k: keyof typeof who): BrowseActor => ({
    principal: who[k],
    origin: { ip: '192.0.2.7', userAgent: 'priors test' },
  });

  async function photo(
    p: typeof P,
    study: string,
    date: string,
    eye: 'R' | 'L',
    time?: string,
  ): Promise<string> {
    const bytes = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS),
      contentType: 'image/jpeg',
      patient: p,
      laterality: eye,
      studyInstanceUID: study,
      studyDate: date,
    });
    const file = path.join(dir, `${newUid()}.dcm`);
    writeFileSync(file, bytes);
    if (time) execFileSync('dcmodify', ['-nb', '-i', `(0008,0030)=${time}`, file]);
    return file;
  }

  async function store(files: string[], token?: string) {
    const parts = files.map((f) => ({ contentType: 'application/dicom', body: { file: f } }));
    const res = await stow(t.dicomweb, parts, { token });
    assert.equal(res.status, 200, res.body.toString());
  }

  before(async () => {
    t = await startTestArchive();
    dir = mkdtempSync(path.join(tmpdir(), 'priors-'));
    const db = t.archive.ctx.db;
    await makeSite(db, 'TEST-B');
    const techB = await makeUser(db, 'tech@test-b.example', [
      { role: 'SITE_TECHNICIAN', siteCode: 'TEST-B' },
    ]);
    const tokenB = await makeToken(db, techB.id, 'TEST-B');
    const org = await makeUser(db, 'org@test.example', [{ role: 'ORG_ADMIN', siteCode: null }]);
    who.techA = await principalForUser(db, { email: 'tech@test-a.example' }, 'session');
    who.org = await principalForUser(db, { id: org.id }, 'session');

    await store([
      await photo(P, uid.early, '20210301', 'R'),
      await photo(P, uid.early, '20210301', 'L'),
    ]);
    await store([await photo(P, uid.middle, '20230510', 'R')]);
    await store([await photo(P, uid.sameDayBefore, '20240601', 'R', '081500')]);
    await store([
      await photo(P, uid.current, '20240601', 'R', '120000'),
      await photo(P, uid.current, '20240601', 'L', '120000'),
    ]);
    await store([await photo(P, uid.sameDayAfter, '20240601', 'R', '163000')]);
    await store([await photo(P, uid.later, '20250101', 'R')]);
    await store([await photo(SAME_NUMBER, uid.otherPatient, '20220101', 'R')]);
    // Same patient, right eye, earlier, but Secondary Capture: not compared with a photo.
    const sc = path.join(dir, 'sc.dcm');
    copyFileSync(SC, sc);
    const attrs = {
      '(0010,0010)': P.patientName,
      '(0010,0020)': P.patientID,
      '(0010,0021)': P.issuerOfPatientID,
      '(0020,000D)': uid.otherClass,
      '(0008,0020)': '20220601',
      '(0020,0062)': 'R',
    };
    const args = ['-nb', '-gse', '-gin'];
    for (const [tag, value] of Object.entries(attrs)) args.push('-i', `${tag}=${value}`);
    execFileSync('dcmodify', [...args, sc]);
    await store([sc]);
    // The same patient seen at site B: the organization sees it, site A's technician does not.
    await store([await photo(P, uid.siteB, '20220901', 'R')], tokenB);
  });

  after(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function priors(k: keyof typeof who, study: string, eye: 'R' | 'L') {
    const list = await priorStudies(t.archive.ctx, actor(k), {
      studyInstanceUID: study,
      laterality: eye,
      sopClassUID: OP_8BIT_SOP_CLASS_UID,
    });
    return list?.map((s) => nameOf()[s.studyInstanceUID] ?? s.studyInstanceUID) ?? null;
  }

  test('earlier visits of the same eye and class, newest first', async () => {
    assert.deepEqual(await priors('techA', uid.current, 'R'), ['sameDayBefore', 'middle', 'early']);
    assert.deepEqual(await priors('techA', uid.current, 'L'), ['early']);
    assert.deepEqual(await priors('techA', uid.middle, 'R'), ['early']);
    assert.deepEqual(await priors('techA', uid.early, 'R'), []);
    assert.deepEqual(await priors('techA', uid.later, 'R'), [
      'sameDayAfter',
      'current',
      'sameDayBefore',
      'middle',
      'early',
    ]);
    // The other patient with the same PatientID has only its own study, and no prior.
    assert.deepEqual(await priors('techA', uid.otherPatient, 'R'), []);
  });

  test('each prior names its images of that eye, which WADO-RS serves', async () => {
    const list = await priorStudies(t.archive.ctx, actor('techA'), {
      studyInstanceUID: uid.current,
      laterality: 'L',
      sopClassUID: OP_8BIT_SOP_CLASS_UID,
    });
    assert.equal(list?.length, 1);
    const [early] = list!;
    assert.equal(early.studyDate, '20210301');
    assert.equal(early.images.length, 1);
    const { seriesInstanceUID, sopInstanceUID } = early.images[0];
    const res = await fetch(
      `${t.dicomweb}/studies/${early.studyInstanceUID}/series/${seriesInstanceUID}` +
        `/instances/${sopInstanceUID}/metadata`,
      { headers: { Accept: 'application/dicom+json', Authorization: `Bearer ${t.token}` } },
    );
    assert.equal(res.status, 200);
    const [ds] = (await res.json()) as Array<Record<string, { Value?: unknown[] }>>;
    assert.deepEqual(ds['00200062'].Value, ['L']);
  });

  test("another site's study is offered only to who may see it", async () => {
    assert.deepEqual(await priors('org', uid.current, 'R'), [
      'sameDayBefore',
      'middle',
      'siteB',
      'early',
    ]);
    // Site A's technician cannot ask from site B's study either: it does not exist for them.
    assert.equal(await priors('techA', uid.siteB, 'R'), null);
    assert.equal(await priors('techA', newUid(), 'R'), null);
  });

  test('every prior offered is audited as a VIEW', async () => {
    const db = t.archive.ctx.db;
    const mark = (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    await priors('techA', uid.current, 'L');
    const events = await db.auditEvent.findMany({
      where: { id: { gt: mark } },
      orderBy: { id: 'asc' },
    });
    assert.deepEqual(
      events.map((e) => [e.action, e.outcome, nameOf()[e.studyInstanceUID ?? ''], e.resource]),
      [['VIEW', 'SUCCESS', 'early', `/viewer/priors/${uid.current}`]],
    );
  });

  test('the procedure needs a signed-in user and valid input', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => (assert.ok(e instanceof TRPCError), e.code),
      );
    const input = {
      studyInstanceUID: uid.current,
      laterality: 'R' as const,
      sopClassUID: OP_8BIT_SOP_CLASS_UID,
    };
    const anonymous = createCaller({ archive: t.archive.ctx, principal: null });
    assert.equal(await code(anonymous.browse.priors(input)), 'UNAUTHORIZED');
    const api = createCaller({ archive: t.archive.ctx, principal: who.techA });
    assert.equal(
      await code(api.browse.priors({ ...input, laterality: 'B' as never })),
      'BAD_REQUEST',
    );
    const list = await api.browse.priors(input);
    assert.equal(list?.length, 3);
  });
});
