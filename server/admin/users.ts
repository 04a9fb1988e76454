/**
 * Creating accounts from the admin CLI: one user with one role, at a site or across an
 * organization, and an argon2id password.
 */
import { z } from 'zod';
import { audit } from '../auth/audit';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/client';
import { Role } from '../db/generated/enums';
import { AppError } from '../errors';
import type { Actor, AdminDeps } from './tokens';

/** Roles that only mean something at a site: what they open is that site's studies. */
const SITE_ROLES: Role[] = ['SITE_TECHNICIAN', 'SITE_ADMIN', 'RETINA_SPECIALIST'];

export const MIN_PASSWORD_LENGTH = 10;

export const ZUserCreate = z.object({
  email: z.email().transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: z.enum(Object.values(Role) as [Role, ...Role[]]),
  siteCode: z.string().min(1).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`),
});
export type TUserCreate = z.infer<typeof ZUserCreate>;

/**
 * The organization and site of the new membership. Organization admins hold their role across
 * the organization (of --site, or the only one); other roles without a site do too, which
 * suits graders and referring clinicians, who see studies through grants only.
 */
async function placeOf(db: Db, role: Role, siteCode?: string) {
  if (siteCode) {
    const site = await db.site.findUnique({ where: { code: siteCode } });
    if (!site) throw new AppError('NOT_FOUND', `No site with code "${siteCode}".`);
    return { organizationId: site.organizationId, siteId: role === 'ORG_ADMIN' ? null : site.id };
  }
  if (SITE_ROLES.includes(role)) {
    throw new AppError('BAD_REQUEST', `A ${role} works at a site: name it with --site CODE.`);
  }
  const orgs = await db.organization.findMany({ select: { id: true }, take: 2 });
  if (orgs.length !== 1) {
    throw new AppError(
      'BAD_REQUEST',
      orgs.length
        ? 'This archive serves several organizations: name a site of the right one with --site.'
        : 'This archive has no organization yet: create a site first (or run npm run setup).',
    );
  }
  return { organizationId: orgs[0].id, siteId: null };
}

export async function createUser(
  deps: AdminDeps,
  actor: Actor,
  input: TUserCreate,
): Promise<{ id: string; email: string }> {
  const { db, log } = deps;
  if (await db.user.findUnique({ where: { email: input.email } })) {
    throw new AppError('BAD_REQUEST', `A user with email ${input.email} already exists.`);
  }
  const place = await placeOf(db, input.role, input.siteCode);
  const user = await db.user.create({
    data: {
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      memberships: { create: { role: input.role, ...place } },
    },
  });
  await audit(db, log, {
    action: 'CHANGE',
    outcome: 'SUCCESS',
    principal: actor.principal,
    origin: actor.origin,
    siteId: place.siteId ?? undefined,
    resource: `user:${user.id}`,
    detail: { via: actor.via, change: 'user-create', userId: user.id, role: input.role },
  });
  return { id: user.id, email: user.email };
}
