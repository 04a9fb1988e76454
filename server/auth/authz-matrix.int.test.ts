/**
 * The authorization matrix, role × resource × action, over the real HTTP API: every DICOMweb
 * route, for every role, against a study of the caller's own site and one of another site,
 * asked for by its (guessed) UIDs. No leak, the right status each time, and every look on the
 * audit trail.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encode } from 'next-auth/jwt';
import { pydicomFacts, type PydicomFacts } from '../test/facts';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { makeSite, makeToken, makeUser } from '../test/identity';
import { request, stow } from '../test/stow-client';
import type { Role } from '../db/generated/client';

const BASE = `${SHARED_DATA}/dicom/edge/charset_chrGreek_ISO_IR_126.dcm`;
const skip = !existsSync(BASE) && `test data not found at ${SHARED_DATA}`;

interface Actor {
  name: string;
  role: Role;
  site: string | null;
  /** Sees study A (site TEST-A) / study B (site TEST-B)? */
  seesA: boolean;
  seesB: boolean;
  auth?: Record<string, string>;
  userId?: string;
}

/** Who should see what: sites by membership, grants across sites, nothing else. */
const ACTORS: Actor[] = [
  { name: 'technician A', role: 'SITE_TECHNICIAN', site: 'TEST-A', seesA: true, seesB: false },
  { name: 'technician B', role: 'SITE_TECHNICIAN', site: 'TEST-B', seesA: false, seesB: true },
  {
    name: 'grader (grading grant on B)',
    role: 'GRADER',
    site: 'TEST-A',
    seesA: false,
    seesB: true,
  },
  {
    name: 'retina specialist B',
    role: 'RETINA_SPECIALIST',
    site: 'TEST-B',
    seesA: false,
    seesB: true,
  },
  {
    name: 'referrer (referral for A)',
    role: 'REFERRING_CLINICIAN',
    site: 'TEST-B',
    seesA: true,
    seesB: false,
  },
  {
    name: 'referrer (expired, revoked)',
    role: 'REFERRING_CLINICIAN',
    site: 'TEST-A',
    seesA: false,
    seesB: false,
  },
  { name: 'site admin A', role: 'SITE_ADMIN', site: 'TEST-A', seesA: true, seesB: false },
  { name: 'organization admin', role: 'ORG_ADMIN', site: null, seesA: true, seesB: true },
  {
    name: 'organization admin of another org',
    role: 'ORG_ADMIN',
    site: null,
    seesA: false,
    seesB: false,
  },
];

function variant(dir: string, name: string, patientID: string): string {
  const out = path.join(dir, name);
  copyFileSync(BASE, out);
  execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', '-i', `(0010,0020)=${patientID}`, out]);
  return out;
}

function routes(f: PydicomFacts): Array<[string, string]> {
  const s = `/studies/${f.StudyInstanceUID}`;
  const i = `${s}/series/${f.SeriesInstanceUID}/instances/${f.SOPInstanceUID}`;
  return [
    ['WADO study', s],
    ['WADO series', `${s}/series/${f.SeriesInstanceUID}`],
    ['WADO instance', i],
    ['metadata', `${s}/metadata`],
    ['frame', `${i}/frames/1`],
    ['bulkdata', `${i}/bulkdata/7FE00010`],
    ['rendered', `${i}/rendered`],
    ['thumbnail', `${s}/thumbnail`],
    ['series thumbnail', `${s}/series/${f.SeriesInstanceUID}/thumbnail`],
  ];
}

describe('authorization matrix', { skip }, () => {
  let t: TestArchive;
  let a: PydicomFacts;
  let b: PydicomFacts;
  const sessions = new Map<string, string>();

  before(async () => {
    t = await startTestArchive();
    const db = t.archive.ctx.db;
    const dir = mkdtempSync(path.join(tmpdir(), 'authz-'));
    const siteB = await makeSite(db, 'TEST-B');
    await makeSite(db, 'OTHER-1', 'Another organization');

    [a, b] = pydicomFacts([variant(dir, 'a.dcm', 'PAT-A'), variant(dir, 'b.dcm', 'PAT-B')]);
    assert.equal(
      (await stow(t.dicomweb, [{ contentType: 'application/dicom', body: { file: a.path } }]))
        .status,
      200,
    );
    const techB = await makeUser(db, 'uploader@test-b.example', [
      { role: 'SITE_TECHNICIAN', siteCode: 'TEST-B' },
    ]);
    const tokenB = await makeToken(db, techB.id, 'TEST-B');
    const upB = await stow(
      t.dicomweb,
      [{ contentType: 'application/dicom', body: { file: b.path } }],
      { token: tokenB },
    );
    assert.equal(upB.status, 200);

    const studyA = await db.study.findUniqueOrThrow({
      where: { studyInstanceUID: a.StudyInstanceUID! },
    });
    const studyB = await db.study.findUniqueOrThrow({
      where: { studyInstanceUID: b.StudyInstanceUID! },
    });
    assert.equal(studyB.siteId, siteB.id);
    const inAWeek = new Date(Date.now() + 7 * 864e5);
    const secret = t.archive.config.authSecret;

    for (const [n, actor] of ACTORS.entries()) {
      const org = actor.name.includes('another org') ? 'Another organization' : 'Test org';
      const user = actor.site
        ? await makeUser(db, `actor${n}@test.example`, [{ role: actor.role, siteCode: actor.site }])
        : await db.user.create({
            data: {
              email: `actor${n}@test.example`,
              name: actor.name,
              memberships: {
                create: {
                  role: actor.role,
                  organizationId: (
                    await makeSite(db, org === 'Test org' ? 'TEST-A' : 'OTHER-1', org)
                  ).organizationId,
                },
              },
            },
          });
      actor.userId = user.id;
      const jwt = await encode({ token: { uid: user.id, email: user.email }, secret });
      sessions.set(actor.name, jwt);
      // An empty Authorization keeps the test client's default token off: the cookie decides.
      actor.auth = { Authorization: '', Cookie: `next-auth.session-token=${jwt}` };
    }
    const byName = (s: string) => ACTORS.find((x) => x.name.startsWith(s))!;
    await db.accessGrant.create({
      data: {
        kind: 'GRADING',
        granteeId: byName('grader').userId!,
        studyId: studyB.id,
        expiresAt: inAWeek,
      },
    });
    await db.accessGrant.create({
      data: {
        kind: 'REFERRAL',
        granteeId: byName('referrer (referral').userId!,
        patientId: studyA.patientId,
        expiresAt: inAWeek,
      },
    });
    const stale = byName('referrer (expired').userId!;
    await db.accessGrant.create({
      data: {
        kind: 'REFERRAL',
        granteeId: stale,
        patientId: studyA.patientId,
        expiresAt: new Date(Date.now() - 1000),
      },
    });
    await db.accessGrant.create({
      data: {
        kind: 'CONSULT',
        granteeId: stale,
        patientId: studyA.patientId,
        expiresAt: inAWeek,
        revokedAt: new Date(),
      },
    });
  });
  after(() => t?.close());

  test('each role sees exactly its studies, through every route', async () => {
    for (const actor of ACTORS) {
      for (const [study, sees] of [
        [a, actor.seesA],
        [b, actor.seesB],
      ] as const) {
        const found = await request(
          `${t.dicomweb}/studies?StudyInstanceUID=${study.StudyInstanceUID}`,
          { headers: actor.auth },
        );
        assert.equal(found.status, 200, `${actor.name} QIDO`);
        assert.equal(
          JSON.parse(found.body.toString()).length,
          sees ? 1 : 0,
          `${actor.name} QIDO study`,
        );
        const inst = await request(`${t.dicomweb}/instances?PatientID=${study.PatientID}`, {
          headers: actor.auth,
        });
        assert.equal(
          JSON.parse(inst.body.toString()).length,
          sees ? 1 : 0,
          `${actor.name} QIDO instances`,
        );
        for (const [what, route] of routes(study)) {
          const res = await request(`${t.dicomweb}${route}`, {
            headers: { ...actor.auth, Accept: '*/*' },
          });
          assert.equal(
            res.status,
            sees ? 200 : 404,
            `${actor.name}: ${what} of ${study === a ? 'A' : 'B'}`,
          );
          if (!sees) assert.match(res.body.toString(), /No such (study|series|instance)/);
        }
      }
    }
  });

  test('a denied look is indistinguishable from a UID that does not exist', async () => {
    const techA = ACTORS[0];
    const hidden = await request(`${t.dicomweb}/studies/${b.StudyInstanceUID}/metadata`, {
      headers: techA.auth,
    });
    const missing = await request(`${t.dicomweb}/studies/1.2.3.999/metadata`, {
      headers: techA.auth,
    });
    assert.equal(hidden.status, missing.status);
    assert.equal(hidden.body.toString(), missing.body.toString());
  });

  test('tokens: read-only cannot store, site A cannot store into site B, expired and revoked refused', async () => {
    const db = t.archive.ctx.db;
    const techA = await db.user.findUniqueOrThrow({ where: { email: 'tech@test-a.example' } });
    const readOnly = await makeToken(db, techA.id, 'TEST-A', 'READ');
    const ro = await request(`${t.dicomweb}/studies`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${readOnly}`,
        'Content-Type': 'multipart/related; type="application/dicom"; boundary=x',
      },
      body: Buffer.from('--x--'),
    });
    assert.equal(ro.status, 403);
    assert.match(JSON.parse(ro.body.toString()).error.message, /read-only/);

    const toB = await stow(
      t.dicomweb,
      [{ contentType: 'application/dicom', body: { file: a.path } }],
      { query: '?site=TEST-B' },
    );
    assert.equal(toB.status, 403);
    assert.match(JSON.parse(toB.body.toString()).error.message, /another site/);

    // An instance claiming study B's UID, sent by site A: refused, study B unchanged.
    const intoB = path.join(mkdtempSync(path.join(tmpdir(), 'into-b-')), 'x.dcm');
    copyFileSync(BASE, intoB);
    execFileSync('dcmodify', [
      '-nb',
      '-gse',
      '-gin',
      '-m',
      `(0020,000D)=${b.StudyInstanceUID}`,
      '-m',
      '(0010,0020)=PAT-B',
      intoB,
    ]);
    const smuggled = await stow(t.dicomweb, [
      { contentType: 'application/dicom', body: { file: intoB } },
    ]);
    assert.equal(smuggled.status, 409);
    const failed = smuggled.json['00081198'].Value[0];
    assert.equal(failed['00081197'].Value[0], 0x0124);
    assert.match(failed['00000902'].Value[0], /site you cannot upload to/);
    const studyB = await db.study.findUniqueOrThrow({
      where: { studyInstanceUID: b.StudyInstanceUID! },
    });
    assert.equal(studyB.numberOfInstances, 1);

    const expired = await makeToken(db, techA.id, 'TEST-A');
    await db.apiToken.updateMany({
      where: { prefix: expired.slice(0, 10) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const exp = await request(`${t.dicomweb}/studies`, {
      headers: { Authorization: `Bearer ${expired}` },
    });
    assert.equal(exp.status, 401);
    assert.match(JSON.parse(exp.body.toString()).error.message, /expired/);

    const revoked = await makeToken(db, techA.id, 'TEST-A');
    await db.apiToken.updateMany({
      where: { prefix: revoked.slice(0, 10) },
      data: { revokedAt: new Date() },
    });
    const rev = await request(`${t.dicomweb}/studies`, {
      headers: { Authorization: `Bearer ${revoked}` },
    });
    assert.equal(rev.status, 401);
    assert.match(JSON.parse(rev.body.toString()).error.message, /revoked/);

    const forged = await request(`${t.dicomweb}/studies`, {
      headers: { Authorization: 'Bearer eyp_forged' },
    });
    assert.equal(forged.status, 401);
  });

  test('no credentials, a tampered cookie, a cross-site POST with a cookie: refused', async () => {
    const none = await request(`${t.dicomweb}/studies`, { headers: { Authorization: '' } });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /Bearer/);

    const jwt = sessions.get('organization admin')!;
    const tampered = jwt.slice(0, -4) + (jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const bad = await request(`${t.dicomweb}/studies`, {
      headers: { Authorization: '', Cookie: `next-auth.session-token=${tampered}` },
    });
    assert.equal(bad.status, 401);

    const csrf = await request(`${t.dicomweb}/studies`, {
      method: 'POST',
      headers: {
        Authorization: '',
        Cookie: `next-auth.session-token=${jwt}`,
        Origin: 'https://evil.example',
        'Content-Type': 'multipart/related; type="application/dicom"; boundary=x',
      },
      body: Buffer.from('--x--'),
    });
    assert.equal(csrf.status, 403);
    assert.match(JSON.parse(csrf.body.toString()).error.message, /Cross-site/);
  });

  test('the audit trail holds every look made above, successes and denials', async () => {
    const db = t.archive.ctx.db;
    for (const actor of ACTORS) {
      const events = await db.auditEvent.findMany({ where: { actorUserId: actor.userId } });
      const wado = events.filter(
        (e) => e.resource?.includes('/studies/') && !e.resource.endsWith('/studies'),
      );
      const seen = Number(actor.seesA) + Number(actor.seesB);
      const perStudy = routes(a).length;
      assert.equal(
        wado.filter((e) => e.outcome === 'SUCCESS').length,
        seen * perStudy,
        `${actor.name} successes`,
      );
      assert.ok(
        wado.filter((e) => e.outcome === 'DENIED').length >= (2 - seen) * perStudy,
        `${actor.name} denials`,
      );
      for (const e of wado.filter((x) => x.outcome === 'SUCCESS')) {
        assert.ok(
          e.patientId && e.studyInstanceUID,
          'a success names the patient (by id) and study',
        );
      }
    }
    const all = await db.auditEvent.findMany();
    const text = JSON.stringify(all.map((e) => ({ ...e, id: String(e.id) })));
    assert.ok(
      !text.includes('PAT-A') && !text.includes('PAT-B'),
      'no patient IDs in the audit trail',
    );
  });
});
