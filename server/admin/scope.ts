/**
 * What an administrator manages: a site admin their sites, an organization admin every site of
 * their organization. Tokens, users and audit events are filtered through here, so the admin
 * pages, their tRPC procedures and the CSV export all draw the same line. The admin CLI runs
 * with shell access to the server and manages everything (`everything`).
 */
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';

export interface AdminScope {
  /** Sites administered as SITE_ADMIN. */
  siteIds: string[];
  /** Organizations administered as ORG_ADMIN. */
  organizationIds: string[];
}

/** The scope of an administrator; FORBIDDEN for anyone else (and for API tokens). */
export function adminScope(p: Principal): AdminScope {
  if (p.token) throw new AppError('FORBIDDEN', 'API tokens cannot administer the archive.');
  const siteIds = p.memberships
    .filter((m) => m.role === 'SITE_ADMIN' && m.siteId)
    .map((m) => m.siteId!);
  const organizationIds = p.memberships
    .filter((m) => m.role === 'ORG_ADMIN')
    .map((m) => m.organizationId);
  if (!siteIds.length && !organizationIds.length) {
    throw new AppError('FORBIDDEN', 'Only site and organization administrators may do this.');
  }
  return { siteIds, organizationIds };
}

/** Every organization: the scope of the admin CLI. */
export async function everything(db: Db): Promise<AdminScope> {
  const orgs = await db.organization.findMany({ select: { id: true } });
  return { siteIds: [], organizationIds: orgs.map((o) => o.id) };
}

export function sitesWhere(s: AdminScope): Prisma.SiteWhereInput {
  return { OR: [{ id: { in: s.siteIds } }, { organizationId: { in: s.organizationIds } }] };
}

export function tokensWhere(s: AdminScope): Prisma.ApiTokenWhereInput {
  return { site: sitesWhere(s) };
}

/** Users with a role at one of the scope's sites, or anywhere in its organizations. */
export function usersWhere(s: AdminScope): Prisma.UserWhereInput {
  return {
    memberships: {
      some: {
        OR: [{ siteId: { in: s.siteIds } }, { organizationId: { in: s.organizationIds } }],
      },
    },
  };
}
