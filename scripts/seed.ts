/**
 * Creates the schema (migrations), the session secret and, unless SEED_DEMO=false, the demo
 * organization with one user of each role. Idempotent.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openArchive } from '../server/app';
import { DEMO_USERS, seedDemo } from '../server/auth/demo';
import { loadConfig, SECRET_FILE } from '../server/config';

const base = loadConfig({ ...process.env, NODE_ENV: 'development' });
const secretPath = path.join(base.dataDir, SECRET_FILE);
if (!process.env.AUTH_SECRET && !existsSync(secretPath)) {
  mkdirSync(base.dataDir, { recursive: true });
  writeFileSync(secretPath, randomBytes(48).toString('base64url'), { mode: 0o600 });
  console.log(`Session secret written to ${secretPath}`);
}

const archive = await openArchive(loadConfig());
const where = archive.config.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : `embedded PostgreSQL in ${archive.config.dataDir}`;
console.log(`Database ready: ${where}.`);

if (process.env.SEED_DEMO !== 'false') {
  const { created } = await seedDemo(archive.ctx.db);
  console.log(`\nDemo organization: sites DEMO-A and DEMO-B. Sign in with (demo only):`);
  for (const u of DEMO_USERS) {
    const note = created.includes(u) ? '' : '  (already existed: password unchanged)';
    console.log(`  ${u.role.padEnd(20)} ${u.email.padEnd(26)} ${u.password}${note}`);
  }
}
await archive.close();
