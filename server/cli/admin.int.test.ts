/**
 * `npm run admin` against a real archive: tokens it prints work as Bearer tokens on DICOMweb
 * until revoked, users it creates can sign in, and grants it gives open (and close) another
 * site's patient. Every change lands in the audit trail, marked as made from the CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signInWithPassword } from '../auth/passwords';
import { imageToOphthalmicPhotography } from '../dicom/encapsulate';
import { SHARED_DATA, startTestArchive, type TestArchive } from '../test/harness';
import { request, stow } from '../test/stow-client';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FUNDUS = `${SHARED_DATA}/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg`;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

describe('npm run admin', () => {
  let t: TestArchive;

  function admin(args: string[], stdin?: string): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'server/cli/admin.ts', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            DATABASE_URL: t.archive.config.DATABASE_URL,
            DATA_DIR: t.dataDir,
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            ARCHIVE_USER: '',
          },
        },
        (err, stdout, stderr) => {
          const status = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ status, stdout, stderr });
        },
      );
      child.stdin!.end(stdin ?? '');
    });
  }

  async function qido(token: string) {
    const res = await request(`${t.dicomweb}/studies`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/dicom+json' },
    });
    const body = res.body.length ? JSON.parse(res.body.toString('utf8')) : [];
    return { status: res.status, body };
  }

  async function auditEvents(action: string) {
    return t.archive.ctx.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });
  }

  before(async () => {
    t = await startTestArchive();
  });

  after(async () => {
    await t?.close();
  });

  test('a created token reads DICOMweb; once revoked it is refused with the reason', async () => {
    const made = await admin([
      'token',
      'create',
      '--user',
      'tech@test-a.example',
      '--site',
      'TEST-A',
      '--scope',
      'read',
      '--name',
      'qido reader',
      '--expires-days',
      '30',
    ]);
    assert.equal(made.status, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(token, /^eyp_[A-Za-z0-9_-]{43}$/);
    const id = /Token ([0-9a-f-]{36}) created/.exec(made.stderr)?.[1];
    assert.ok(id, made.stderr);

    assert.equal((await qido(token)).status, 200);

    const listed = await admin(['token', 'list']);
    assert.equal(listed.status, 0, listed.stderr);
    const row = listed.stdout.split('\n').find((l) => l.startsWith(id));
    assert.ok(row, listed.stdout);
    assert.match(row, /qido reader .*tech@test-a\.example +TEST-A +READ .* active$/);
    assert.ok(!listed.stdout.includes(token), 'the secret is never listed');

    const revoked = await admin(['token', 'revoke', id]);
    assert.equal(revoked.status, 0, revoked.stderr);
    const refused = await qido(token);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body.error, {
      code: 'UNAUTHENTICATED',
      message: 'This API token was revoked.',
    });

    const stored = await t.archive.ctx.db.apiToken.findUniqueOrThrow({ where: { id } });
    assert.equal(stored.scope, 'READ');
    const days = (stored.expiresAt!.getTime() - stored.createdAt.getTime()) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.01, `expires in 30 days, not ${days}`);

    const [create] = await auditEvents('TOKEN_CREATE');
    assert.equal(create.outcome, 'SUCCESS');
    assert.match(create.userAgent ?? '', /^admin-cli /);
    assert.deepEqual(
      {
        via: (create.detail as { via: string }).via,
        tokenId: (create.detail as { tokenId: string }).tokenId,
      },
      { via: 'cli', tokenId: id },
    );
    const [revoke] = await auditEvents('TOKEN_REVOKE');
    assert.equal((revoke.detail as { tokenId: string }).tokenId, id);
  });

  test('bad input is refused with a reason and a non-zero status', async () => {
    const noUser = await admin(['token', 'create', '--site', 'TEST-A']);
    assert.equal(noUser.status, 2);
    assert.match(noUser.stderr, /--user EMAIL/);

    const badScope = await admin([
      'token',
      'create',
      '--user',
      'tech@test-a.example',
      '--scope',
      'admin',
    ]);
    assert.equal(badScope.status, 2);
    assert.match(badScope.stderr, /--scope is read or write/);

    const unknown = await admin(['token', 'create', '--user', 'nobody@test-a.example']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No user with email nobody@test-a\.example/);

    const notAnId = await admin(['token', 'revoke', '42']);
    assert.equal(notAnId.status, 2);
    assert.match(notAnId.stderr, /not a token id/);

    const noCommand = await admin(['token', 'burn']);
    assert.equal(noCommand.status, 2);
    assert.match(noCommand.stderr, /Unknown command: token burn/);
  });

  test('a created user signs in with the password given, typed or piped', async () => {
    const flag = await admin([
      'user',
      'create',
      '--email',
      'Grader@Test-A.example',
      '--name',
      'Gail Grader',
      '--role',
      'grader',
      '--site',
      'TEST-A',
      '--password',
      'a long enough password',
    ]);
    assert.equal(flag.status, 0, flag.stderr);
    const db = t.archive.ctx.db;
    const signedIn = await signInWithPassword(
      db,
      'grader@test-a.example',
      'a long enough password',
    );
    assert.equal(signedIn.ok, true);
    const user = await db.user.findUniqueOrThrow({
      where: { email: 'grader@test-a.example' },
      include: { memberships: { include: { site: true } } },
    });
    assert.equal(user.name, 'Gail Grader');
    assert.deepEqual(
      user.memberships.map((m) => [m.role, m.site?.code]),
      [['GRADER', 'TEST-A']],
    );

    const piped = await admin(
      [
        'user',
        'create',
        '--email',
        'admin@test-a.example',
        '--name',
        'Ada Admin',
        '--role',
        'SITE_ADMIN',
        '--site',
        'TEST-A',
      ],
      'piped secret password\n',
    );
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(
      (await signInWithPassword(db, 'admin@test-a.example', 'piped secret password')).ok,
      true,
    );

    const again = await admin([
      'user',
      'create',
      '--email',
      'grader@test-a.example',
      '--name',
      'X',
      '--role',
      'GRADER',
      '--password',
      'a long enough password',
    ]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);

    const short = await admin([
      'user',
      'create',
      '--email',
      'short@test-a.example',
      '--name',
      'S',
      '--role',
      'GRADER',
      '--password',
      'short',
    ]);
    assert.equal(short.status, 2);
    assert.match(short.stderr, /password: at least 10 characters/);

    const noSite = await admin([
      'user',
      'create',
      '--email',
      'tech2@test-a.example',
      '--name',
      'T',
      '--role',
      'SITE_TECHNICIAN',
      '--password',
      'a long enough password',
    ]);
    assert.equal(noSite.status, 1);
    assert.match(noSite.stderr, /works at a site: name it with --site/);

    const badRole = await admin([
      'user',
      'create',
      '--email',
      'x@test-a.example',
      '--name',
      'X',
      '--role',
      'JANITOR',
      '--password',
      'a long enough password',
    ]);
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /role/);
  });

  test(
    'a referral grant opens the patient to a grader until it is revoked',
    { skip: !existsSync(FUNDUS) && 'no test data' },
    async () => {
      const photo = await imageToOphthalmicPhotography({
        bytes: readFileSync(FUNDUS),
        contentType: 'image/jpeg',
        patient: { patientID: 'CLI-1', issuerOfPatientID: 'CLINIC-X', patientName: 'Cli^Carla' },
        laterality: 'L',
        studyDate: '20250301',
      });
      const stored = await stow(t.dicomweb, [{ contentType: 'application/dicom', body: photo }]);
      assert.equal(stored.status, 200, stored.body.toString());
      const studyUID = stored.json['00081190'].Value[0].split('/').pop();

      if (
        !(await t.archive.ctx.db.user.findUnique({ where: { email: 'referrer@test-a.example' } }))
      ) {
        const made = await admin([
          'user',
          'create',
          '--email',
          'referrer@test-a.example',
          '--name',
          'Rita Referrer',
          '--role',
          'REFERRING_CLINICIAN',
          '--site',
          'TEST-A',
          '--password',
          'a long enough password',
        ]);
        assert.equal(made.status, 0, made.stderr);
      }
      const tokenRun = await admin(['token', 'create', '--user', 'referrer@test-a.example']);
      assert.equal(tokenRun.status, 0, tokenRun.stderr);
      const token = tokenRun.stdout.trim();
      const studyUIDs = async () =>
        (await qido(token)).body.map(
          (s: Record<string, { Value: string[] }>) => s['0020000D'].Value[0],
        );

      assert.deepEqual(await studyUIDs(), [], 'nothing visible without a grant');

      const missing = await admin([
        'grant',
        'create',
        '--kind',
        'REFERRAL',
        '--user',
        'referrer@test-a.example',
        '--patient-id',
        'NOPE',
        '--issuer',
        'CLINIC-X',
        '--days',
        '7',
      ]);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /No patient with this patient ID and issuer/);

      const granted = await admin([
        'grant',
        'create',
        '--kind',
        'referral',
        '--user',
        'referrer@test-a.example',
        '--patient-id',
        'CLI-1',
        '--issuer',
        'CLINIC-X',
        '--days',
        '7',
        '--as',
        'tech@test-a.example',
      ]);
      assert.equal(granted.status, 0, granted.stderr);
      const grantId = /Grant ([0-9a-f-]{36}) created/.exec(granted.stdout)?.[1];
      assert.ok(grantId, granted.stdout);
      assert.deepEqual(await studyUIDs(), [studyUID]);

      const revoked = await admin(['grant', 'revoke', grantId]);
      assert.equal(revoked.status, 0, revoked.stderr);
      assert.deepEqual(await studyUIDs(), []);

      const db = t.archive.ctx.db;
      const patient = await db.patient.findFirstOrThrow({ where: { patientID: 'CLI-1' } });
      const [create] = await auditEvents('GRANT_CREATE');
      assert.equal(create.patientId, patient.id);
      assert.equal(create.actorEmail, 'tech@test-a.example', '--as names who acted');
      const [revoke] = await auditEvents('GRANT_REVOKE');
      assert.equal((revoke.detail as { grantId: string }).grantId, grantId);
    },
  );
});
