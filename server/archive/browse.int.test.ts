/**
 * The patient and study browser against a real database: search by each criterion finds
 * exactly the right studies, the timeline puts each image under the eye its own
 * ImageLaterality names (as dcmdump reads it back) whatever its series says, a launch URL
 * opens the right study, nothing of another site leaks through search, timeline or launch,
 * and every look is on the audit trail.
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
import { imageToOphthalmicPhotography, newUid } from '../dicom/encapsulate';
import { dcmdumpValue } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { makeSite, makeToken, makeUser } from '../test/identity';
import { request, stow } from '../test/stow-client';
import { createCaller } from '../trpc/router';
import { searchStudies, ZStudySearch, type BrowseActor } from './browse';
import { resolveLaunch, ZLaunchInput } from './launch';
import { patientTimeline } from './patient-timeline';

const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;
const SC = `${SHARED_DATA}/dicom/edge/pydicom_SC_rgb_jpeg_dcmtk.dcm`;
const skip = (!existsSync(FUNDUS) || !existsSync(SC)) && `test data not found at ${SHARED_DATA}`;

interface PatientFacts {
  patientID: string;
  issuerOfPatientID: string;
  patientName: string;
}

const A1 = { patientID: 'P-100', issuerOfPatientID: 'HOSP-A', patientName: 'Müller^Jürgen' };
const A2 = { patientID: 'P-200', issuerOfPatientID: 'HOSP-A', patientName: 'Lee^Ann' };
const B1 = { patientID: 'P-100', issuerOfPatientID: 'HOSP-B', patientName: 'Müller^Hans' };
const B2 = { patientID: 'P-900', issuerOfPatientID: 'HOSP-B', patientName: 'Other^Bob' };

describe('patient and study browser', { skip }, () => {
  let t: TestArchive;
  let dir: string;
  const who: Record<'techA' | 'techB' | 'org' | 'referrer', Principal> = {} as never;
  const [S1, S2, S3, SB1, SB2, mixedSeries] = Array.from({ length: 6 }, () => newUid());
  const uid = { S1, S2, S3, SB1, SB2, mixedSeries };
  /** Files stored in study S1, for reading their attributes back with dcmdump. */
  const s1Files: string[] = [];
  const patientIds: Record<string, string> = {};
  const sites: Record<string, string> = {};
  const actor = (k: keyof typeof who): BrowseActor => ({
    principal: who[k],
    origin: { ip: '192.0.2.9', userAgent: 'browse test' },
  });

  /** A fundus photo of `p`, written to a file so dcmtk can change and read it. */
  async function photo(
    p: PatientFacts,
    o: { study: string; date: string; eye: 'R' | 'L'; series?: string; n?: number },
  ): Promise<string> {
    const bytes = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS),
      contentType: 'image/jpeg',
      patient: p,
      laterality: o.eye,
      studyInstanceUID: o.study,
      seriesInstanceUID: o.series,
      studyDate: o.date,
      instanceNumber: o.n ?? 1,
    });
    const file = path.join(dir, `${newUid()}.dcm`);
    writeFileSync(file, bytes);
    return file;
  }

  /** The secondary capture sample as another patient's image, by dcmtk's dcmodify. */
  function secondaryCapture(p: PatientFacts, study: string, date: string, modality: string) {
    const file = path.join(dir, `${newUid()}.dcm`);
    copyFileSync(SC, file);
    const attrs = {
      '(0010,0010)': p.patientName,
      '(0010,0020)': p.patientID,
      '(0010,0021)': p.issuerOfPatientID,
      '(0020,000D)': study,
      '(0008,0020)': date,
      '(0008,0060)': modality,
    };
    const args = ['-nb', '-gse', '-gin'];
    for (const [tag, value] of Object.entries(attrs)) args.push('-i', `${tag}=${value}`);
    execFileSync('dcmodify', [...args, file]);
    return file;
  }

  async function store(files: string[], token?: string) {
    const parts = files.map((f) => ({ contentType: 'application/dicom', body: { file: f } }));
    const res = await stow(t.dicomweb, parts, { token });
    assert.equal(res.status, 200, res.body.toString());
  }

  before(async () => {
    t = await startTestArchive();
    dir = mkdtempSync(path.join(tmpdir(), 'browse-'));
    const db = t.archive.ctx.db;
    sites.A = (await makeSite(db, 'TEST-A')).id;
    sites.B = (await makeSite(db, 'TEST-B')).id;
    const techB = await makeUser(db, 'tech@test-b.example', [
      { role: 'SITE_TECHNICIAN', siteCode: 'TEST-B' },
    ]);
    const tokenB = await makeToken(db, techB.id, 'TEST-B');
    const org = await makeUser(db, 'org@test.example', [{ role: 'ORG_ADMIN', siteCode: null }]);
    const referrer = await makeUser(db, 'gp@clinic.example', [
      { role: 'REFERRING_CLINICIAN', siteCode: null },
    ]);
    who.techA = await principalForUser(db, { email: 'tech@test-a.example' }, 'session');
    who.techB = await principalForUser(db, { id: techB.id }, 'session');
    who.org = await principalForUser(db, { id: org.id }, 'session');
    who.referrer = await principalForUser(db, { id: referrer.id }, 'session');

    // S1: one series holding both eyes, whose series-level Laterality wrongly says R for all,
    // and an image without ImageLaterality.
    const mixed = [
      await photo(A1, { study: uid.S1, date: '20230115', eye: 'R', series: uid.mixedSeries }),
      await photo(A1, { study: uid.S1, date: '20230115', eye: 'L', series: uid.mixedSeries, n: 2 }),
      await photo(A1, { study: uid.S1, date: '20230115', eye: 'R', series: uid.mixedSeries, n: 3 }),
    ];
    for (const f of mixed) execFileSync('dcmodify', ['-nb', '-i', '(0020,0060)=R', f]);
    s1Files.push(...mixed, secondaryCapture(A1, uid.S1, '20230115', 'OT'));
    await store(mixed);
    await store(s1Files.slice(3));
    await store([await photo(A1, { study: uid.S2, date: '20240601', eye: 'R' })]);
    await store([secondaryCapture(A2, uid.S3, '20240210', 'XC')]);
    await store([await photo(B1, { study: uid.SB1, date: '20230520', eye: 'L' })], tokenB);
    await store([await photo(B2, { study: uid.SB2, date: '20220101', eye: 'R' })], tokenB);

    for (const p of await db.patient.findMany()) {
      patientIds[`${p.patientID}|${p.issuerOfPatientID}`] = p.id;
    }
    // A patient referred to the clinician before any image of them arrived.
    const waiting = await db.patient.create({
      data: { patientID: 'P-300', issuerOfPatientID: 'HOSP-B', patientName: 'Waiting^Will' },
    });
    patientIds['P-300|HOSP-B'] = waiting.id;
    const inAYear = new Date(Date.now() + 365 * 864e5);
    await db.accessGrant.createMany({
      data: [B1, { patientID: 'P-300', issuerOfPatientID: 'HOSP-B' }].map((p) => ({
        kind: 'REFERRAL' as const,
        granteeId: referrer.id,
        patientId: patientIds[`${p.patientID}|${p.issuerOfPatientID}`],
        expiresAt: inAYear,
      })),
    });
  });

  after(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const idOf = (p: PatientFacts) => patientIds[`${p.patientID}|${p.issuerOfPatientID}`];

  async function found(k: keyof typeof who, search: Record<string, unknown>) {
    const page = await searchStudies(t.archive.ctx, actor(k), ZStudySearch.parse(search));
    const names = Object.fromEntries(Object.entries(uid).map(([n, u]) => [u, n]));
    return page.rows.map((r) => names[r.studyInstanceUID] ?? r.studyInstanceUID);
  }

  test('search by each criterion finds exactly the right studies, newest first', async () => {
    assert.deepEqual(await found('techA', {}), ['S2', 'S3', 'S1']);
    for (const name of ['muller', 'MÜLLER jürgen', 'jurgen muller', 'mul*', 'm?ller^j*']) {
      assert.deepEqual(await found('techA', { name }), ['S2', 'S1'], name);
    }
    assert.deepEqual(await found('techA', { name: 'lee ann' }), ['S3']);
    assert.deepEqual(await found('techA', { name: 'hans' }), []);
    assert.deepEqual(await found('techA', { patientID: 'P-100' }), ['S2', 'S1']);
    assert.deepEqual(await found('techA', { patientID: 'P-100', issuer: 'HOSP-A' }), ['S2', 'S1']);
    assert.deepEqual(await found('techA', { patientID: 'P-100', issuer: 'HOSP-B' }), []);
    assert.deepEqual(await found('techA', { from: '2024-01-01', to: '2024-12-31' }), ['S2', 'S3']);
    assert.deepEqual(await found('techA', { from: '2023-01-15', to: '2023-01-15' }), ['S1']);
    assert.deepEqual(await found('techA', { to: '2023-12-31' }), ['S1']);
    assert.deepEqual(await found('techA', { from: '2024-03-01' }), ['S2']);
    assert.deepEqual(await found('techA', { siteId: sites.A }), ['S2', 'S3', 'S1']);
    assert.deepEqual(await found('techA', { modality: 'op' }), ['S2', 'S1']);
    assert.deepEqual(await found('techA', { modality: 'XC' }), ['S3']);
    assert.deepEqual(await found('techA', { modality: 'OT', name: 'muller' }), ['S1']);

    assert.deepEqual(await found('org', { name: 'muller' }), ['S2', 'SB1', 'S1']);
    assert.deepEqual(await found('org', { siteId: sites.B }), ['SB1', 'SB2']);
    assert.deepEqual(await found('org', { patientID: 'P-100', issuer: 'HOSP-B' }), ['SB1']);
    assert.deepEqual(await found('referrer', {}), ['SB1']);
  });

  test('results come one page at a time', async () => {
    const page = (n: number) =>
      searchStudies(t.archive.ctx, actor('techA'), ZStudySearch.parse({ pageSize: 2, page: n }));
    const uids = (p: Awaited<ReturnType<typeof page>>) => p.rows.map((r) => r.studyInstanceUID);
    const [first, second] = [await page(1), await page(2)];
    assert.deepEqual([uids(first), first.hasMore], [[uid.S2, uid.S3], true]);
    assert.deepEqual([uids(second), second.hasMore], [[uid.S1], false]);
    assert.equal(ZStudySearch.safeParse({ from: '2024-02-01', to: '2024-01-01' }).success, false);
  });

  test('the timeline puts each image under its own ImageLaterality, not its series', async () => {
    const timeline = await patientTimeline(t.archive.ctx, actor('techA'), {
      patientId: idOf(A1),
      page: 1,
    });
    assert.ok(timeline);
    assert.equal(timeline.patient.patientName, 'Müller^Jürgen');
    assert.deepEqual(
      timeline.rows.map((v) => v.studyInstanceUID),
      [uid.S2, uid.S1],
    );

    // What each file says, read back by dcmtk rather than by our parser.
    const expected: Record<string, string[]> = { OD: [], OS: [], unknown: [] };
    for (const f of s1Files) {
      const eye = dcmdumpValue(f, '0020,0062');
      const column = eye === 'R' ? 'OD' : eye === 'L' ? 'OS' : 'unknown';
      expected[column].push(dcmdumpValue(f, '0008,0018')!);
    }
    assert.equal(dcmdumpValue(s1Files[1], '0020,0060'), 'R', 'the series says R for an OS image');
    assert.equal(expected.OD.length, 2);

    const s1 = timeline.rows[1];
    for (const eye of ['OD', 'OS', 'unknown'] as const) {
      assert.deepEqual(
        s1.eyes[eye].shown.map((th) => th.sopInstanceUID),
        expected[eye],
        eye,
      );
      assert.equal(s1.eyes[eye].total, expected[eye].length);
      assert.ok(s1.eyes[eye].shown.every((th) => th.hasImage));
    }
    assert.equal(s1.eyes.unknown.shown[0].imageLaterality, null);
    assert.deepEqual(timeline.rows[0].eyes.OS, { total: 0, shown: [] });

    // The thumbnail address the page uses answers with an image.
    const th = s1.eyes.OS.shown[0];
    const res = await request(
      `${t.dicomweb}/studies/${uid.S1}/series/${th.seriesInstanceUID}/instances/` +
        `${th.sopInstanceUID}/thumbnail`,
      { headers: { Accept: 'image/jpeg' } },
    );
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.headers['content-type'], 'image/jpeg');
  });

  test('a launch URL opens the right study, or a choice, or the timeline', async () => {
    const launch = (k: keyof typeof who, q: Record<string, string>) =>
      resolveLaunch(t.archive.ctx, actor(k), ZLaunchInput.parse(q));
    const opened = async (k: keyof typeof who, q: Record<string, string>) => {
      const r = await launch(k, q);
      assert.equal(r.kind, 'study', JSON.stringify(q));
      return r.kind === 'study' ? r.study.studyInstanceUID : null;
    };

    assert.equal(await opened('techA', { studyUID: uid.S1 }), uid.S1);
    assert.equal(await opened('techA', { studyUID: `${uid.S3},${uid.S1}` }), uid.S3);
    assert.equal(await opened('techA', { patientID: 'P-100', issuer: 'HOSP-A' }), uid.S2);
    assert.equal(await opened('techA', { patientID: 'P-100^^^HOSP-A' }), uid.S2);
    assert.equal(await opened('techA', { patientID: 'P-200' }), uid.S3);
    assert.equal(await opened('org', { patientID: 'P-100^^^&HOSP-B&ISO' }), uid.SB1);
    assert.equal(await opened('referrer', { patientID: 'P-100' }), uid.SB1);

    const study = await launch('techA', { studyUID: uid.S1 });
    assert.equal(study.kind === 'study' && study.study.patient.id, idOf(A1));

    const choice = await launch('org', { patientID: 'P-100' });
    assert.equal(choice.kind, 'choose');
    assert.deepEqual(
      choice.kind === 'choose' && choice.patients.map((p) => [p.issuerOfPatientID, p.visits]),
      [
        ['HOSP-A', 2],
        ['HOSP-B', 1],
      ],
    );

    const waiting = { patientID: 'P-300', issuer: 'HOSP-B' };
    assert.deepEqual(await launch('referrer', waiting), {
      kind: 'timeline',
      patientId: patientIds['P-300|HOSP-B'],
    });
    const empty = await patientTimeline(t.archive.ctx, actor('referrer'), {
      patientId: patientIds['P-300|HOSP-B'],
      page: 1,
    });
    assert.equal(empty?.rows.length, 0);
    assert.deepEqual(await launch('techA', {}), { kind: 'nothing-named' });
  });

  test('a user of site A sees nothing of site B through search, timeline or launch', async () => {
    const ctx = t.archive.ctx;
    assert.deepEqual(await found('techA', { patientID: 'P-900' }), []);
    assert.deepEqual(await found('techA', { siteId: sites.B }), []);
    assert.deepEqual(await found('techB', {}), ['SB1', 'SB2']);
    for (const p of [B1, B2]) {
      const tl = await patientTimeline(ctx, actor('techA'), { patientId: idOf(p), page: 1 });
      assert.equal(tl, null);
    }
    const waiting = patientIds['P-300|HOSP-B'];
    assert.equal(await patientTimeline(ctx, actor('techA'), { patientId: waiting, page: 1 }), null);

    const launch = (q: Record<string, string>) =>
      resolveLaunch(ctx, actor('techA'), ZLaunchInput.parse(q));
    const notFound = { kind: 'not-found' };
    assert.deepEqual(await launch({ studyUID: uid.SB1 }), notFound);
    assert.deepEqual(await launch({ studyUID: newUid() }), notFound);
    assert.deepEqual(await launch({ patientID: 'P-900' }), notFound);
    assert.deepEqual(await launch({ patientID: 'P-100', issuer: 'HOSP-B' }), notFound);
    assert.deepEqual(await launch({ patientID: 'P-300' }), notFound);
    // Another site's patient with the same PatientID is not offered as a choice.
    const own = await launch({ patientID: 'P-100' });
    assert.equal(own.kind === 'study' && own.study.studyInstanceUID, uid.S2);

    const api = createCaller({ archive: ctx, principal: who.techA });
    assert.equal(await api.browse.timeline({ patientId: idOf(B1) }), null);
    const options = await api.browse.options();
    assert.deepEqual(
      options.sites.map((s) => s.code),
      ['TEST-A'],
    );
  });

  test('every study shown is audited as a VIEW, every refused launch as DENIED', async () => {
    const db = t.archive.ctx.db;
    const since = async () => (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const eventsAfter = (id: bigint) =>
      db.auditEvent.findMany({ where: { id: { gt: id } }, orderBy: { id: 'asc' } });

    let mark = await since();
    await found('techA', { name: 'muller' });
    let events = await eventsAfter(mark);
    assert.deepEqual(
      events.map((e) => [e.action, e.outcome, e.studyInstanceUID, e.patientId, e.siteId]),
      [
        ['VIEW', 'SUCCESS', uid.S2, idOf(A1), sites.A],
        ['VIEW', 'SUCCESS', uid.S1, idOf(A1), sites.A],
      ],
    );
    assert.ok(events.every((e) => e.actorEmail === 'tech@test-a.example' && e.ip === '192.0.2.9'));
    assert.ok(events.every((e) => e.resource === '/studies'));

    mark = await since();
    await patientTimeline(t.archive.ctx, actor('techA'), { patientId: idOf(A1), page: 1 });
    events = await eventsAfter(mark);
    assert.deepEqual(
      events.map((e) => [e.action, e.studyInstanceUID, e.resource]),
      [
        ['VIEW', uid.S2, `/patients/${idOf(A1)}`],
        ['VIEW', uid.S1, `/patients/${idOf(A1)}`],
      ],
    );

    mark = await since();
    await resolveLaunch(t.archive.ctx, actor('techA'), { studyUID: uid.SB1 });
    await resolveLaunch(t.archive.ctx, actor('techA'), { studyUID: uid.S3 });
    await resolveLaunch(t.archive.ctx, actor('org'), { patientID: 'P-100' });
    events = await eventsAfter(mark);
    assert.deepEqual(
      events.map((e) => [e.action, e.outcome, e.studyInstanceUID, e.patientId]),
      [
        ['VIEW', 'DENIED', uid.SB1, null],
        ['VIEW', 'SUCCESS', uid.S3, idOf(A2)],
        ['VIEW', 'SUCCESS', null, idOf(A1)],
        ['VIEW', 'SUCCESS', null, idOf(B1)],
      ],
    );
  });

  test('the procedures need a signed-in user and valid input', async () => {
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof TRPCError);
        return e.code;
      }
      assert.fail('expected a refusal');
    };
    const anonymous = createCaller({ archive: t.archive.ctx, principal: null });
    assert.equal(await refusal(anonymous.browse.search({})), 'UNAUTHORIZED');
    const api = createCaller({ archive: t.archive.ctx, principal: who.techA });
    assert.equal(
      await refusal(api.browse.search({ from: '2024-02-01', to: '2024-01-01' })),
      'BAD_REQUEST',
    );
    assert.equal(await refusal(api.browse.timeline({ patientId: 'P-100' })), 'BAD_REQUEST');
  });
});
