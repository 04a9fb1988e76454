/**
 * Test identities: an organization with sites, users with roles, and API tokens, made through
 * the same service functions the app uses.
 */
import type { Db } from '../db/client';
import type { Role, TokenScope } from '../db/generated/client';
import { ensureSite } from '../archive/sites';
import { hashPassword } from '../auth/passwords';
import { createApiToken } from '../auth/tokens';

export async function makeSite(db: Db, code: string, organization = 'Test org') {
  return ensureSite(db, { code, name: `Site ${code}`, organization, issuer: code });
}

export async function makeUser(
  db: Db,
  email: string,
  roles: Array<{ role: Role; siteCode: string | null }>,
  password = 'correct horse battery staple',
) {
  const memberships = [];
  for (const r of roles) {
    const site = r.siteCode ? await makeSite(db, r.siteCode) : await makeSite(db, 'TEST-A');
    memberships.push({
      role: r.role,
      organizationId: site.organizationId,
      siteId: r.siteCode ? site.id : null,
    });
  }
  return db.user.create({
    data: {
      email,
      name: email.split('@')[0],
      passwordHash: await hashPassword(password),
      memberships: { create: memberships },
    },
  });
}

export async function makeToken(
  db: Db,
  userId: string,
  siteCode: string,
  scope: TokenScope = 'WRITE',
) {
  const site = await makeSite(db, siteCode);
  const { token } = await createApiToken(db, {
    userId,
    siteId: site.id,
    scope,
    name: `test ${scope}`,
  });
  return token;
}
