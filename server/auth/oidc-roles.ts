/**
 * Roles sent by the clinic's OpenID Connect provider. The ID token carries a claim (named by
 * OIDC_ROLES_CLAIM) listing "ROLE" or "ROLE@SITECODE"; each entry becomes one membership, and a
 * user's memberships are made to match the claim at every sign-in, so the provider stays the
 * one place where roles change. A role or site this archive does not know refuses the sign-in
 * rather than being skipped: a typo in the provider must not quietly lock a clinician out, nor
 * leave them with a role they were meant to lose.
 */
import { Role } from '../db/generated/enums';
import type { MembershipGrant } from './principal';

export interface SiteRef {
  id: string;
  code: string;
  organizationId: string;
}

export type RoleMapping =
  | { ok: true; memberships: MembershipGrant[] }
  | { ok: false; reason: 'unknown-role'; role: string }
  | { ok: false; reason: 'unknown-site'; site: string }
  | { ok: false; reason: 'no-organization'; role: string };

/** Longest role entry echoed back in messages and logs; longer ones are cut. */
const MAX_ECHO = 64;

const ROLES = new Set<string>(Object.values(Role));

function echo(value: unknown): string {
  return String(value).slice(0, MAX_ECHO);
}

/**
 * The entries of a roles claim. Providers send a JSON array, or (some) one string with the
 * roles separated by spaces or commas; a missing claim means no roles at all.
 */
export function roleEntries(claim: unknown): unknown[] {
  if (claim === undefined || claim === null) return [];
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return claim;
  return [claim];
}

/**
 * The memberships a roles claim stands for. "ROLE@SITECODE" is a role at that site; a bare
 * "ROLE" holds across the organization, which must then be the only one this archive serves
 * (`defaultOrganizationId`). Role names and site codes are matched without regard to case.
 */
export function membershipsFromClaim(
  claim: unknown,
  sites: SiteRef[],
  defaultOrganizationId: string | null,
): RoleMapping {
  const byCode = new Map(sites.map((s) => [s.code.toUpperCase(), s]));
  const memberships = new Map<string, MembershipGrant>();

  for (const entry of roleEntries(claim)) {
    if (typeof entry !== 'string') return { ok: false, reason: 'unknown-role', role: echo(entry) };
    const [rawRole, rawSite, ...rest] = entry.trim().split('@');
    const role = rawRole.toUpperCase();
    if (!ROLES.has(role) || rest.length) {
      return { ok: false, reason: 'unknown-role', role: echo(entry.trim()) };
    }

    let grant: MembershipGrant;
    if (rawSite !== undefined) {
      const site = byCode.get(rawSite.toUpperCase());
      if (!site) return { ok: false, reason: 'unknown-site', site: echo(rawSite) };
      grant = { role: role as Role, organizationId: site.organizationId, siteId: site.id };
    } else {
      if (!defaultOrganizationId) return { ok: false, reason: 'no-organization', role };
      grant = { role: role as Role, organizationId: defaultOrganizationId, siteId: null };
    }
    memberships.set(`${grant.role}|${grant.organizationId}|${grant.siteId}`, grant);
  }
  return { ok: true, memberships: [...memberships.values()] };
}
