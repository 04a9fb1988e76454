/**
 * The demo organization `npm run setup` creates: two sites and one user of each role, with
 * known passwords so a newcomer can sign in at once. Idempotent: existing users are kept as
 * they are. Set SEED_DEMO=false to skip it on a real deployment.
 */
import type { Db } from '../db/client';
import type { Role } from '../db/generated/client';
import { ensureSite } from '../archive/sites';
import { hashPassword } from './passwords';

export const DEMO_ORG = 'Demo eye care network';

export const DEMO_SITES = [
  { code: 'DEMO-A', name: 'Riverside screening site', issuer: 'DEMO-A' },
  { code: 'DEMO-B', name: 'Hilltop eye clinic', issuer: 'DEMO-B' },
] as const;

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  /** Site code, or null for an organization-wide role. */
  site: string | null;
  password: string;
}

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'tech@demo-a.example',
    name: 'Tess Technician',
    role: 'SITE_TECHNICIAN',
    site: 'DEMO-A',
    password: 'demo-technician-a',
  },
  {
    email: 'tech@demo-b.example',
    name: 'Tom Technician',
    role: 'SITE_TECHNICIAN',
    site: 'DEMO-B',
    password: 'demo-technician-b',
  },
  {
    email: 'grader@demo.example',
    name: 'Gina Grader',
    role: 'GRADER',
    site: 'DEMO-A',
    password: 'demo-grader',
  },
  {
    email: 'specialist@demo.example',
    name: 'Dr Sam Specialist',
    role: 'RETINA_SPECIALIST',
    site: 'DEMO-B',
    password: 'demo-specialist',
  },
  {
    email: 'referrer@demo.example',
    name: 'Dr Rita Referrer',
    role: 'REFERRING_CLINICIAN',
    site: 'DEMO-A',
    password: 'demo-referrer',
  },
  {
    email: 'siteadmin@demo-a.example',
    name: 'Sid Site-Admin',
    role: 'SITE_ADMIN',
    site: 'DEMO-A',
    password: 'demo-site-admin',
  },
  {
    email: 'orgadmin@demo.example',
    name: 'Olga Org-Admin',
    role: 'ORG_ADMIN',
    site: null,
    password: 'demo-org-admin',
  },
];

export async function seedDemo(db: Db): Promise<{ created: DemoUser[]; existing: DemoUser[] }> {
  const sites = new Map<string, { id: string; organizationId: string }>();
  for (const s of DEMO_SITES) {
    sites.set(s.code, await ensureSite(db, { ...s, organization: DEMO_ORG }));
  }
  const orgId = sites.get('DEMO-A')!.organizationId;
  const created: DemoUser[] = [];
  const existing: DemoUser[] = [];
  for (const u of DEMO_USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) {
      existing.push(u);
      continue;
    }
    await db.user.create({
      data: {
        email: u.email,
        name: u.name,
        passwordHash: await hashPassword(u.password),
        memberships: {
          create: {
            role: u.role,
            organizationId: orgId,
            siteId: u.site ? sites.get(u.site)!.id : null,
          },
        },
      },
    });
    created.push(u);
  }
  return { created, existing };
}
