/**
 * The two servers under test, each started by the benchmark on loopback with data of its own
 * under the run directory, and stopped at the end: our archive exactly as `npm start` runs it,
 * and Orthanc with its DICOMweb plugin.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Access } from './access';
import { REPO, type OursLaunch } from './build';
import type { Endpoint } from './http';
import { freePort, spawnLogged, stopProcess, waitForHttp, type Spawned } from './proc';

export interface Peer extends Endpoint {
  name: 'ours' | 'orthanc';
  /** What exactly ran, for the report. */
  label: string;
  proc: Spawned;
  startupS: number;
  stop(): Promise<void>;
}

export const oursDataDir = (runDir: string) => path.join(runDir, 'ours-data');

export interface OursOptions {
  launch: OursLaunch;
  /** A PostgreSQL database; null: the embedded PGlite under DATA_DIR. */
  databaseUrl: string | null;
  access: Access;
}

/** Our server as `npm start` runs it: NODE_ENV=production, DATA_DIR under the run directory. */
export async function startOurs(runDir: string, o: OursOptions): Promise<Peer> {
  const dataDir = oursDataDir(runDir);
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    AUTH_SECRET: o.access.authSecret,
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  delete env.STORAGE_DIR;

  const started = performance.now();
  const proc = spawnLogged(process.execPath, o.launch.args, {
    cwd: REPO,
    env,
    logPath: path.join(runDir, 'ours.log'),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, proc, 300);
  return {
    name: 'ours',
    label: `ours: node ${o.launch.args.join(' ')}, ${o.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
    dicomweb: `${base}/dicomweb`,
    headers: { Authorization: `Bearer ${o.access.token}` },
    proc,
    startupS: (performance.now() - started) / 1000,
    stop: () => stopProcess(proc),
  };
}

/** The DICOMweb plugin's shared object, wherever the Debian package put it. */
export function findDicomWebPlugin(): string {
  const dirs = [
    '/usr/share/orthanc/plugins',
    '/usr/lib/orthanc',
    '/usr/lib/x86_64-linux-gnu/orthanc',
  ];
  for (const dir of dirs) {
    const hit = listDir(dir).find((f) => /^libOrthancDicomWeb\.so/.test(f));
    if (hit) return path.join(dir, hit);
  }
  throw new Error(`libOrthancDicomWeb.so not found in ${dirs.join(', ')}`);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Orthanc 1.10 with its own configuration, storage and SQLite index in the run directory.
 * Settings not named here keep Orthanc's defaults (fsync of each stored file included).
 * Orthanc 1.10 has no option to bind the HTTP server to one address; with RemoteAccessAllowed
 * false it refuses every client but localhost, and the benchmark only ever calls 127.0.0.1.
 */
export async function startOrthanc(runDir: string): Promise<Peer> {
  const dir = path.join(runDir, 'orthanc');
  await mkdir(path.join(dir, 'storage'), { recursive: true });
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const config = orthancConfig(dir, httpPort, dicomPort);
  const configPath = path.join(dir, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const started = performance.now();
  const proc = spawnLogged('Orthanc', [configPath], {
    cwd: dir,
    env: process.env,
    logPath: path.join(runDir, 'orthanc.log'),
  });
  const base = `http://127.0.0.1:${httpPort}`;
  await waitForHttp(`${base}/system`, proc, 60);
  return {
    name: 'orthanc',
    label: `Orthanc ${orthancVersion()} + ${path.basename(config.Plugins[0])}, SQLite`,
    dicomweb: `${base}/dicom-web`,
    headers: {},
    proc,
    startupS: (performance.now() - started) / 1000,
    stop: () => stopProcess(proc),
  };
}

function orthancConfig(dir: string, httpPort: number, dicomPort: number) {
  return {
    Name: 'bench-orthanc',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: dir,
    StorageCompression: false,
    HttpPort: httpPort,
    DicomServerEnabled: false,
    DicomPort: dicomPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    SaveJobs: false,
    Plugins: [findDicomWebPlugin()],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: false,
      Host: `127.0.0.1:${httpPort}`,
    },
  };
}

function orthancVersion(): string {
  const out = spawnSync('Orthanc', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /Orthanc ([\d.]+)/.exec(out)?.[1] ?? '?';
}
