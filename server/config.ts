/**
 * Configuration, read once from the environment and validated whole at start-up: every
 * problem is reported at once, not the first one only.
 */
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
  /** Site that receives uploads made without naming one. */
  DEFAULT_SITE_CODE: z.string().min(1).default('DEMO'),
  /** "off" serves DICOMweb and the API only, without the web app (edge nodes, tests). */
  WEB_APP: z.enum(['on', 'off']).default('on'),
  /** Refuse one uploaded part larger than this (bytes). */
  MAX_PART_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
});

export type Config = z.infer<typeof ZConfig> & { storageDir: string; dataDir: string };

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
  return { ...parsed.data, dataDir, storageDir };
}
