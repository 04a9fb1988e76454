/**
 * Configuration, read once from the environment and validated whole at start-up: every
 * problem is reported at once, not the first one only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ZConfig = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL URL. Absent: an embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where blobs go; defaults to DATA_DIR/blobs. */
  STORAGE_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** "off" serves DICOMweb and the API only, without the web app (edge nodes, tests). */
  WEB_APP: z.enum(['on', 'off']).default('on'),
  /**
   * Secret that signs session cookies. Absent: read from DATA_DIR/auth-secret, which
   * `npm run setup` creates; a production server with neither refuses to start.
   */
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  /** The address people use to reach the app, e.g. https://pacs.clinic.org (for sign-in links). */
  PUBLIC_URL: z.string().url().optional(),
  /** Single sign-on through the clinic's OpenID Connect provider: all three, or none. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The ID-token claim that lists roles, each "ROLE" or "ROLE@SITECODE". */
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** Refuse one uploaded part larger than this (bytes). */
  MAX_PART_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
});

export type Config = z.infer<typeof ZConfig> & {
  storageDir: string;
  dataDir: string;
  authSecret: string;
};

/** Development and tests only: production refuses to start without a real secret. */
const DEV_SECRET = 'development-only-secret-never-used-in-production-0123456789';

export const SECRET_FILE = 'auth-secret';

function readSecretFile(dataDir: string): string | undefined {
  try {
    return readFileSync(path.join(dataDir, SECRET_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ZConfig.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }

  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const storageDir = path.resolve(parsed.data.STORAGE_DIR ?? path.join(dataDir, 'blobs'));
  const problems: string[] = [];
  const oidc = [parsed.data.OIDC_ISSUER, parsed.data.OIDC_CLIENT_ID, parsed.data.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all or none');
  }
  const authSecret = parsed.data.AUTH_SECRET ?? readSecretFile(dataDir);
  if (!authSecret && parsed.data.NODE_ENV === 'production') {
    problems.push('AUTH_SECRET is not set and DATA_DIR has no auth-secret: run `npm run setup`');
  }
  if (problems.length) throw new ConfigError(problems);
  return { ...parsed.data, dataDir, storageDir, authSecret: authSecret ?? DEV_SECRET };
}
