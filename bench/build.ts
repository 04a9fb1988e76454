/**
 * How to start our server the way `npm start` does, building what it needs first. The command
 * is read from package.json, so the benchmark follows the project when `start` changes.
 *
 * The server bundle (`npm run build:server`, a few seconds) is rebuilt on every run, so the
 * numbers are always those of the code in the working tree. The Next build is made only when
 * missing (it takes minutes here); its age is reported, since a stale one still serves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..');

export type OursMode = 'npm-start' | 'dicomweb-only';

export interface OursLaunch {
  mode: OursMode;
  /** Arguments to `node`. */
  args: string[];
  /** What ran and how it was built, for the report. */
  note: string;
}

/** DICOMweb without Next, for `--dicomweb-only` or when the Next build fails. */
const DICOMWEB_ONLY = ['--import', 'tsx', 'bench/server.ts'];

export function prepareOurs(opts: { dicomwebOnly: boolean; logDir: string }): OursLaunch {
  if (opts.dicomwebOnly) {
    return { mode: 'dicomweb-only', args: DICOMWEB_ONLY, note: 'bench/server.ts, as asked' };
  }
  const next = ensureNextBuild(path.join(opts.logDir, 'next-build.log'));
  if (!next.ok) {
    return { mode: 'dicomweb-only', args: DICOMWEB_ONLY, note: `${next.note}: DICOMweb only` };
  }
  const server = serverEntry(path.join(opts.logDir, 'server-build.log'));
  return { mode: 'npm-start', args: server.args, note: `${server.note}; ${next.note}` };
}

interface Scripts {
  start?: string;
  'build:server'?: string;
}

function scripts(): Scripts {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return (pkg as { scripts?: Scripts }).scripts ?? {};
}

/** `node dist/server.mjs` (rebuilt now) when that is what `npm start` runs, else tsx. */
function serverEntry(logPath: string): { args: string[]; note: string } {
  const s = scripts();
  const bundle = /\bnode\s+(\S+\.m?js)\b/.exec(s.start ?? '')?.[1];
  if (!bundle) return { args: ['--import', 'tsx', 'server/main.ts'], note: 'tsx server/main.ts' };

  if (s['build:server']) {
    const built = run('npm', ['run', 'build:server'], logPath, 120);
    if (!built) throw new Error(`npm run build:server failed; see ${logPath}`);
  }
  if (!existsSync(path.join(REPO, bundle))) throw new Error(`${bundle} is missing after the build`);
  return { args: [bundle], note: `node ${bundle}, bundled for this run` };
}

function ensureNextBuild(logPath: string): { ok: boolean; note: string } {
  const buildId = path.join(REPO, '.next', 'BUILD_ID');
  if (existsSync(buildId)) {
    const ageMin = Math.round((Date.now() - statSync(buildId).mtimeMs) / 60_000);
    return { ok: true, note: `existing .next build, ${ageMin} min old` };
  }
  // Webpack, not Turbopack: Turbopack's production build hangs on @cornerstonejs/tools here.
  const ok = run('npx', ['next', 'build', '--webpack'], logPath, 900);
  return { ok, note: ok ? '.next built for this run' : `next build failed (see ${logPath})` };
}

function run(cmd: string, args: string[], logPath: string, timeoutS: number): boolean {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', timeout: timeoutS * 1000 });
  writeFileSync(logPath, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return r.status === 0;
}
