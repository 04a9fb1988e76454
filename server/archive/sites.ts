/**
 * Sites that upload images. Until sign-in decides who uploads for which site, uploads go to
 * the configured default site, created on first start.
 */
import type { Db } from '../db/client';
import type { UploadSite } from './context';

export async function ensureSite(
  db: Db,
  site: { code: string; name: string; organization: string; issuer?: string },
): Promise<UploadSite> {
  const found = await db.site.findUnique({ where: { code: site.code } });
  if (found) return found;
  const org =
    (await db.organization.findFirst({ where: { name: site.organization } })) ??
    (await db.organization.create({ data: { name: site.organization } }));
  return db.site.create({
    data: {
      code: site.code,
      name: site.name,
      organizationId: org.id,
      defaultIssuerOfPatientID: site.issuer ?? site.code,
    },
  });
}
