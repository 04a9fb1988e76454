/**
 * Creates the schema (migrations) and the demo organization and site. Idempotent.
 */
import { openArchive } from '../server/app';

const archive = await openArchive();
const where = archive.config.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : `embedded PostgreSQL in ${archive.config.dataDir}`;
console.log(
  `Database ready: ${where}; demo site "${archive.site.id ? archive.config.DEFAULT_SITE_CODE : ''}" exists.`,
);
await archive.close();
