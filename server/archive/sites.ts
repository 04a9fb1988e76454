/**
 * Sites that upload images, and the upload site of a request: the one its principal is allowed
 * to upload for (server/auth/access.ts decides).
 */
import { assertCanUpload, canUpload, uploadSiteId } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { UploadSite } from './context';

export async function uploadSiteFor(
  db: Db,
  principal: Principal,
  requestedCode?: string,
): Promise<UploadSite> {
  let requestedId: string | undefined;
  if (requestedCode) {
    const named = await db.site.findUnique({ where: { code: requestedCode } });
    if (!named) throw new AppError('NOT_FOUND', `No site with code "${requestedCode}".`);
    requestedId = named.id;
  }
  const site = await db.site.findUnique({ where: { id: uploadSiteId(principal, requestedId) } });
  if (!site) throw new AppError('NOT_FOUND', 'The upload site no longer exists.');
  assertCanUpload(principal, site);
  return {
    id: site.id,
    organizationId: site.organizationId,
    defaultIssuerOfPatientID: site.defaultIssuerOfPatientID,
    mayUploadTo: (siteId) => {
      return canUpload(principal, { id: siteId, organizationId: site.organizationId });
    },
  };
}

export async function ensureSite(
  db: Db,
  site: { code: string; name: string; organization: string; issuer?: string },
) {
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
