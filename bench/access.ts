/**
 * Our server refuses anonymous DICOMweb requests, so before it starts the benchmark gives its
 * fresh database one site, one site technician and a write API token for that site, through
 * the server's own modules. Orthanc runs without authentication, as the brief for the
 * comparison asks; our numbers therefore include the token check on every request.
 */
import { randomBytes } from 'node:crypto';
import { openArchive } from '../server/app';
import { ensureSite } from '../server/archive/sites';
import { createApiToken } from '../server/auth/tokens';
import { loadConfig } from '../server/config';

export interface Access {
  /** Passed to the server as AUTH_SECRET (production refuses to start without one). */
  authSecret: string;
  /** Sent as "Authorization: Bearer <token>". */
  token: string;
}

export async function provisionAccess(dataDir: string, databaseUrl: string | null) {
  const authSecret = randomBytes(48).toString('base64url');
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    AUTH_SECRET: authSecret,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  // Opened here and closed again before the server starts: PGlite is one process's database.
  const archive = await openArchive(config);
  try {
    const db = archive.ctx.db;
    const site = await ensureSite(db, { code: 'BENCH', name: 'Benchmark', organization: 'Bench' });
    const user = await db.user.create({
      data: {
        email: 'bench@localhost',
        name: 'Benchmark client',
        memberships: {
          create: { role: 'SITE_TECHNICIAN', organizationId: site.organizationId, siteId: site.id },
        },
      },
    });
    const { token } = await createApiToken(db, {
      userId: user.id,
      siteId: site.id,
      scope: 'WRITE',
      name: 'benchmark',
    });
    return { authSecret, token } satisfies Access;
  } finally {
    await archive.close();
  }
}
