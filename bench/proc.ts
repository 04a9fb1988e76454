/**
 * Child processes for the servers under test: spawning with logs to a file, waiting until they
 * answer, reading their memory from /proc, and stopping them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free loopback TCP port: bound to port 0, read, released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  logPath: string;
}

/** Starts a command with stdout and stderr going to `logPath`, so a crash can be read later. */
export function spawnLogged(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logPath: string },
): Spawned {
  const fd = openSync(opts.logPath, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  return { child, pid: child.pid, logPath: opts.logPath };
}

/**
 * Polls `url` until it answers 2xx. Fails early if the process exits; after `timeoutS` it kills
 * the process and fails. Either error carries the end of the process's log, so the reason
 * shows even when the run directory is deleted afterwards.
 */
export async function waitForHttp(url: string, s: Spawned, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) {
      throw new Error(`server exited with code ${s.child.exitCode}:\n${logTail(s.logPath)}`);
    }
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  s.child.kill('SIGKILL');
  throw new Error(`no answer from ${url} within ${timeoutS} s:\n${logTail(s.logPath)}`);
}

function logTail(logPath: string, lines = 15): string {
  return safeRead(logPath).trimEnd().split('\n').slice(-lines).join('\n');
}

/** SIGTERM, then SIGKILL if the process is still there after `graceS`. */
export async function stopProcess(s: Spawned, graceS = 15): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.kill('SIGTERM');
  const timer = sleep(graceS * 1000).then(() => 'late' as const);
  if ((await Promise.race([exited, timer])) === 'late') {
    s.child.kill('SIGKILL');
    await exited;
  }
}

/** A field of /proc/<pid>/status in kB ("VmHWM", "VmRSS"), as bytes; null once it is gone. */
export function procStatusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resets the process's peak RSS (VmHWM) to its current RSS, so each phase gets its own peak.
 * Writing "5" to clear_refs does that (Linux 4.0+, same user). Returns false where refused,
 * in which case only the lifetime peak is meaningful.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Pids of every descendant of `pid`, read from /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    for (const tid of safeList(`/proc/${p}/task`)) {
      const text = safeRead(`/proc/${p}/task/${tid}/children`);
      for (const c of text.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
