import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { membershipsFromClaim, roleEntries, type SiteRef } from './oidc-roles';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER_ORG = '00000000-0000-4000-8000-000000000002';
const SITES: SiteRef[] = [
  { id: 'site-a', code: 'DEMO-A', organizationId: ORG },
  { id: 'site-b', code: 'DEMO-B', organizationId: ORG },
  { id: 'site-x', code: 'ELSEWHERE', organizationId: OTHER_ORG },
];

describe('roles claim to memberships', () => {
  test('ROLE@SITE becomes a role at that site, in its organization', () => {
    const r = membershipsFromClaim(['SITE_TECHNICIAN@DEMO-A', 'GRADER@ELSEWHERE'], SITES, ORG);
    assert.deepEqual(r, {
      ok: true,
      memberships: [
        { role: 'SITE_TECHNICIAN', organizationId: ORG, siteId: 'site-a' },
        { role: 'GRADER', organizationId: OTHER_ORG, siteId: 'site-x' },
      ],
    });
  });

  test('a bare role holds across the only organization', () => {
    const r = membershipsFromClaim(['ORG_ADMIN'], SITES, ORG);
    assert.deepEqual(r, {
      ok: true,
      memberships: [{ role: 'ORG_ADMIN', organizationId: ORG, siteId: null }],
    });
  });

  test('a bare role is refused when the archive serves several organizations', () => {
    assert.deepEqual(membershipsFromClaim(['GRADER'], SITES, null), {
      ok: false,
      reason: 'no-organization',
      role: 'GRADER',
    });
  });

  test('role names and site codes match without regard to case; duplicates collapse', () => {
    const r = membershipsFromClaim(
      ['retina_specialist@demo-b', 'RETINA_SPECIALIST@DEMO-B', ' Retina_Specialist@Demo-B '],
      SITES,
      ORG,
    );
    assert.deepEqual(r, {
      ok: true,
      memberships: [{ role: 'RETINA_SPECIALIST', organizationId: ORG, siteId: 'site-b' }],
    });
  });

  test('an unknown role refuses the whole sign-in, naming the role', () => {
    const r = membershipsFromClaim(['SITE_TECHNICIAN@DEMO-A', 'SUPERUSER@DEMO-A'], SITES, ORG);
    assert.deepEqual(r, { ok: false, reason: 'unknown-role', role: 'SUPERUSER@DEMO-A' });
  });

  test('an unknown site code refuses the sign-in, naming the code', () => {
    const r = membershipsFromClaim(['SITE_ADMIN@NOWHERE'], SITES, ORG);
    assert.deepEqual(r, { ok: false, reason: 'unknown-site', site: 'NOWHERE' });
  });

  test('entries that are not strings, or have two @, are unknown roles', () => {
    assert.deepEqual(membershipsFromClaim([42], SITES, ORG), {
      ok: false,
      reason: 'unknown-role',
      role: '42',
    });
    assert.equal(membershipsFromClaim(['GRADER@DEMO-A@X'], SITES, ORG).ok, false);
  });

  test('an echoed role is cut to 64 characters', () => {
    const r = membershipsFromClaim(['X'.repeat(500)], SITES, ORG);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason === 'unknown-role' && r.role.length, 64);
  });

  test('no claim, or an empty one, means no memberships', () => {
    assert.deepEqual(membershipsFromClaim(undefined, SITES, ORG), { ok: true, memberships: [] });
    assert.deepEqual(membershipsFromClaim([], SITES, ORG), { ok: true, memberships: [] });
  });

  test('a claim sent as one string is split on spaces and commas', () => {
    assert.deepEqual(roleEntries('GRADER@DEMO-A, ORG_ADMIN  SITE_ADMIN@DEMO-B'), [
      'GRADER@DEMO-A',
      'ORG_ADMIN',
      'SITE_ADMIN@DEMO-B',
    ]);
  });
});
