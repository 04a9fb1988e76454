/** The machine a run happened on, recorded with its numbers (they mean little without it). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  /** `df -h` line of the filesystem holding the run directory. */
  disk: string;
  filesystem: string;
  kernel: string;
  node: string;
  /** The code measured: the commit, and how many files differed from it (others' work). */
  gitCommit: string;
  gitChangedFiles: number;
}

export function describeMachine(runDir: string): Machine {
  const df = spawnSync('df', ['-hT', runDir], { encoding: 'utf8' }).stdout.trim().split('\n');
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpus: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    disk: df[df.length - 1]?.replace(/\s+/g, ' ') ?? 'unknown',
    filesystem: df[df.length - 1]?.split(/\s+/)[1] ?? 'unknown',
    kernel: os.release(),
    node: process.version,
    ...describeCode(),
  };
}

function describeCode(): { gitCommit: string; gitChangedFiles: number } {
  const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout ?? '';
  const changed = git(['status', '--porcelain', '--untracked-files=no']).split('\n');
  return {
    gitCommit: git(['rev-parse', '--short', 'HEAD']).trim() || 'unknown',
    gitChangedFiles: changed.filter(Boolean).length,
  };
}
