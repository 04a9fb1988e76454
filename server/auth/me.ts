/**
 * What the top bar shows about the signed-in user: name, email, each role with its site, and
 * whether to offer the admin pages.
 */
import type { Db } from '../db/client';
import { isAdmin } from './access';
import type { Principal } from './principal';

export interface Me {
  name: string;
  email: string;
  /** "SITE_TECHNICIAN@DEMO-A", or the bare role when it holds across the organization. */
  roles: string[];
  isAdmin: boolean;
}

export async function describeMe(db: Db, p: Principal): Promise<Me> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: p.userId },
    select: { name: true, email: true },
  });
  const siteIds = p.memberships.map((m) => m.siteId).filter((id): id is string => !!id);
  const sites = await db.site.findMany({
    where: { id: { in: siteIds } },
    select: { id: true, code: true },
  });
  const codes = new Map(sites.map((s) => [s.id, s.code]));
  const roles = p.memberships.map((m) =>
    m.siteId ? `${m.role}@${codes.get(m.siteId) ?? '?'}` : m.role,
  );
  return {
    name: user.name,
    email: user.email,
    roles: [...new Set(roles)].sort(),
    isAdmin: isAdmin(p),
  };
}
