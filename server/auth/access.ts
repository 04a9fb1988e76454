/**
 * The one authorization layer. Every path to patient data — QIDO, WADO, STOW, rendered images,
 * the web app, the ingest CLI, later the realtime sockets — filters or checks through here, so a
 * rule changes in one place.
 *
 * Who sees a study:
 * - site technicians, site admins and retina specialists: studies uploaded at their sites;
 * - organization admins: studies of every site of their organization;
 * - anyone holding an unexpired, unrevoked grant: a REFERRAL or CONSULT grant opens every study
 *   of one patient, across sites; a GRADING grant opens one study (grading queues issue them);
 * - an API token narrows its user's view to the token's site.
 * Graders and referring clinicians see nothing without grants.
 */
import type { Prisma, Role } from '../db/generated/client';
import { AppError } from '../errors';
import type { Principal } from './principal';

const SITE_WIDE_ROLES: Role[] = ['SITE_TECHNICIAN', 'SITE_ADMIN', 'RETINA_SPECIALIST'];
const UPLOAD_ROLES: Role[] = ['SITE_TECHNICIAN', 'SITE_ADMIN', 'ORG_ADMIN', 'RETINA_SPECIALIST'];

function siteIdsWithRole(p: Principal, roles: Role[]): string[] {
  return p.memberships.filter((m) => m.siteId && roles.includes(m.role)).map((m) => m.siteId!);
}

function adminOrganizations(p: Principal): string[] {
  return p.memberships.filter((m) => m.role === 'ORG_ADMIN').map((m) => m.organizationId);
}

/** A Prisma filter selecting exactly the studies `p` may see. */
export function visibleStudies(p: Principal, now = new Date()): Prisma.StudyWhereInput {
  const live = { granteeId: p.userId, revokedAt: null, expiresAt: { gt: now } };
  const any: Prisma.StudyWhereInput[] = [
    { siteId: { in: siteIdsWithRole(p, SITE_WIDE_ROLES) } },
    { site: { organizationId: { in: adminOrganizations(p) } } },
    { patient: { grants: { some: { ...live, kind: { in: ['REFERRAL', 'CONSULT'] } } } } },
    { grants: { some: { ...live, kind: 'GRADING' } } },
  ];
  const filter: Prisma.StudyWhereInput = { OR: any };
  return p.token ? { AND: [filter, { siteId: p.token.siteId }] } : filter;
}

export function canUpload(p: Principal, site: { id: string; organizationId: string }): boolean {
  try {
    assertCanUpload(p, site);
    return true;
  } catch {
    return false;
  }
}

/** Whether `p` may upload to `site`; throws FORBIDDEN with the reason otherwise. */
export function assertCanUpload(p: Principal, site: { id: string; organizationId: string }): void {
  if (p.token) {
    if (!p.token.write) {
      throw new AppError('FORBIDDEN', 'This API token is read-only: it cannot store instances.');
    }
    if (p.token.siteId !== site.id) {
      throw new AppError(
        'FORBIDDEN',
        'This API token belongs to another site: it cannot store here.',
      );
    }
  }
  const atSite = siteIdsWithRole(p, UPLOAD_ROLES).includes(site.id);
  const orgAdmin = adminOrganizations(p).includes(site.organizationId);
  if (!atSite && !orgAdmin) {
    throw new AppError('FORBIDDEN', 'You cannot upload images for this site.');
  }
}

/**
 * The site an upload goes to: the token's site, the site named in the request, or the only site
 * the user uploads for. A user who uploads for several sites must name one.
 */
export function uploadSiteId(p: Principal, requested?: string): string {
  if (p.token) {
    if (requested && requested !== p.token.siteId) {
      throw new AppError(
        'FORBIDDEN',
        'This API token belongs to another site: it cannot store there.',
      );
    }
    return p.token.siteId;
  }
  if (requested) return requested;
  const sites = [...new Set(siteIdsWithRole(p, UPLOAD_ROLES))];
  if (sites.length === 1) return sites[0];
  if (sites.length === 0) throw new AppError('FORBIDDEN', 'You cannot upload images for any site.');
  throw new AppError(
    'BAD_REQUEST',
    'You upload for several sites: name one with the "site" query parameter (its code).',
  );
}

export function isAdmin(p: Principal, siteId?: string): boolean {
  if (p.token) return false;
  return p.memberships.some(
    (m) => m.role === 'ORG_ADMIN' || (m.role === 'SITE_ADMIN' && (!siteId || m.siteId === siteId)),
  );
}
