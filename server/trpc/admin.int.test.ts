/**
 * The admin procedures against a real database: a site admin manages only their site's tokens
 * and sees only the audit events of their site's people; an organization admin manages the
 * whole organization; nobody else gets in. Refusals carry the service's reason as a tRPC code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TRPCError } from '@trpc/server';
import { exportAudit } from '../admin/audit-search';
import { adminScope } from '../admin/scope';
import { principalForUser, type Principal } from '../auth/principal';
import { startTestArchive, type TestArchive } from '../test/harness';
import { makeSite, makeToken, makeUser } from '../test/identity';
import { createCaller } from './router';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TRPCError, String(e));
    return `${e.code}: ${e.message}`;
  }
  assert.fail('expected a refusal');
}

describe('admin procedures', () => {
  let t: TestArchive;
  const people: Record<string, Principal> = {};
  const sites: Record<string, string> = {};

  const caller = (who: string) =>
    createCaller({
      archive: t.archive.ctx,
      principal: people[who],
      origin: { ip: '192.0.2.7', userAgent: 'test' },
    });

  before(async () => {
    t = await startTestArchive();
    const db = t.archive.ctx.db;
    sites.A = (await makeSite(db, 'TEST-A')).id;
    sites.B = (await makeSite(db, 'TEST-B')).id;
    const made = {
      adminA: await makeUser(db, 'admin@test-a.example', [
        { role: 'SITE_ADMIN', siteCode: 'TEST-A' },
      ]),
      techB: await makeUser(db, 'tech@test-b.example', [
        { role: 'SITE_TECHNICIAN', siteCode: 'TEST-B' },
      ]),
      org: await makeUser(db, 'org@test.example', [{ role: 'ORG_ADMIN', siteCode: null }]),
    };
    await makeToken(db, made.techB.id, 'TEST-B');
    for (const [k, u] of Object.entries(made)) {
      people[k] = await principalForUser(db, { id: u.id }, 'session');
    }
    people.techA = await principalForUser(db, { email: 'tech@test-a.example' }, 'session');
  });

  after(async () => {
    await t?.close();
  });

  test('a site admin sees, creates and revokes tokens of their site only', async () => {
    const api = caller('adminA');
    const listed = await api.admin.tokens.list();
    assert.deepEqual([...new Set(listed.map((r) => r.site.code))], ['TEST-A']);

    const options = await api.admin.tokens.options();
    assert.deepEqual(
      options.sites.map((s) => s.code),
      ['TEST-A'],
    );
    assert.deepEqual(
      options.users.map((u) => u.email),
      ['admin@test-a.example', 'tech@test-a.example'],
    );

    const created = await api.admin.tokens.create({
      userId: people.techA.userId,
      siteId: sites.A,
      scope: 'READ',
      name: 'camera 1',
      expiresInDays: 10,
    });
    assert.match(created.token, /^eyp_/);
    assert.equal(
      await refusal(
        api.admin.tokens.create({
          userId: people.techB.userId,
          siteId: sites.B,
          scope: 'READ',
          name: 'elsewhere',
        }),
      ),
      'NOT_FOUND: No site you manage has this id.',
    );

    const otherSite = (await caller('org').admin.tokens.list()).find(
      (r) => r.site.code === 'TEST-B',
    );
    assert.ok(otherSite);
    assert.equal(
      await refusal(api.admin.tokens.revoke({ id: otherSite.id })),
      'NOT_FOUND: No token you manage has this id.',
    );
    const revoked = await api.admin.tokens.revoke({ id: created.id });
    assert.ok(revoked.revokedAt instanceof Date);

    const events = await t.archive.ctx.db.auditEvent.findMany({
      where: { action: { in: ['TOKEN_CREATE', 'TOKEN_REVOKE'] } },
      orderBy: { id: 'asc' },
    });
    assert.deepEqual(
      events.map((e) => [e.action, e.actorEmail, e.ip, e.siteId]),
      [
        ['TOKEN_CREATE', 'admin@test-a.example', '192.0.2.7', sites.A],
        ['TOKEN_REVOKE', 'admin@test-a.example', '192.0.2.7', sites.A],
      ],
    );
  });

  test('a token is only for someone with a role in the site\u2019s organization', async () => {
    const outsider = await makeUser(t.archive.ctx.db, 'x@other.example', [
      { role: 'SITE_TECHNICIAN', siteCode: 'OTHER-1' },
    ]);
    await t.archive.ctx.db.membership.updateMany({
      where: { userId: outsider.id },
      data: {
        organizationId: (await t.archive.ctx.db.organization.create({ data: { name: 'Other' } }))
          .id,
      },
    });
    const msg = await refusal(
      caller('org').admin.tokens.create({
        userId: outsider.id,
        siteId: sites.A,
        scope: 'WRITE',
        name: 'stranger',
      }),
    );
    assert.equal(msg, 'BAD_REQUEST: This user has no role in the organization of TEST-A.');
  });

  test('people who administer nothing are refused', async () => {
    assert.equal(
      await refusal(caller('techA').admin.tokens.list()),
      'FORBIDDEN: Only site and organization administrators may do this.',
    );
    const asToken = { ...people.org, token: { id: 'x', siteId: sites.A, write: true } };
    const api = createCaller({ archive: t.archive.ctx, principal: asToken });
    assert.equal(
      await refusal(api.admin.audit.search({ filter: {}, page: 1 })),
      'FORBIDDEN: API tokens cannot administer the archive.',
    );
    const anonymous = createCaller({ archive: t.archive.ctx, principal: null });
    assert.equal(await refusal(anonymous.admin.tokens.list()), 'UNAUTHORIZED: Sign in first.');
  });

  test('the audit search shows a site admin the events of their site\u2019s people', async () => {
    const db = t.archive.ctx.db;
    await db.auditEvent.createMany({
      data: [
        { action: 'SIGN_IN_FAILED', outcome: 'FAILURE', actorEmail: 'tech@test-a.example' },
        { action: 'SIGN_IN_FAILED', outcome: 'FAILURE', actorEmail: 'tech@test-b.example' },
        {
          action: 'VIEW',
          outcome: 'SUCCESS',
          actorUserId: people.techB.userId,
          actorEmail: 'tech@test-b.example',
          studyInstanceUID: '1.2.3',
        },
      ],
    });
    const adminA = await caller('adminA').admin.audit.search({
      filter: { action: 'SIGN_IN_FAILED' },
      page: 1,
    });
    assert.deepEqual(
      adminA.rows.map((r) => r.actorEmail),
      ['tech@test-a.example'],
    );
    const org = await caller('org').admin.audit.search({
      filter: { actorEmail: 'TECH@TEST-B' },
      page: 1,
    });
    assert.deepEqual(
      org.rows.map((r) => r.action),
      ['VIEW', 'SIGN_IN_FAILED'],
      'newest first, email matched without regard to case',
    );
    const byStudy = await caller('org').admin.audit.search({
      filter: { studyInstanceUID: '1.2.3', outcome: 'SUCCESS' },
      page: 1,
    });
    assert.equal(byStudy.rows.length, 1);
    const future = await caller('org').admin.audit.search({
      filter: { from: '2999-01-01' },
      page: 1,
    });
    assert.equal(future.rows.length, 0);
  });

  test('the CSV export streams the scope and is itself audited', async () => {
    const actor = { principal: people.adminA, origin: {}, via: 'web' as const };
    const lines = await exportAudit(t.archive.ctx, actor, adminScope(people.adminA), {
      actorEmail: 'tech@',
    });
    let csv = '';
    for await (const chunk of lines) csv += chunk;
    const rows = csv.trim().split('\r\n');
    assert.equal(rows[0].split(',').length, 11);
    assert.ok(
      rows.slice(1).every((r) => r.split(',')[1] === 'tech@test-a.example'),
      csv,
    );
    const exported = await t.archive.ctx.db.auditEvent.findFirst({
      where: { action: 'AUDIT_EXPORT' },
    });
    assert.equal(exported?.actorEmail, 'admin@test-a.example');
  });
});
