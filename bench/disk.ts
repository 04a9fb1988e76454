/**
 * The ceiling for any durable ingest on this machine: sequential writes to the disk that holds
 * the servers' data, made durable with fsync. A server that acknowledges only fsync'd instances
 * cannot store faster than this, so it is the yardstick for "ours / ceiling".
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { mbPerS, median } from './stats';

export interface Ceiling {
  bytes: number;
  /** New files, all kept until the end as an archive keeps what it stores: the yardstick. */
  nodeMBps: number;
  nodeRuns: number[];
  ddMBps: number | null;
  ddRuns: number[];
  ddLine: string | null;
  /** The same write to a file deleted just before, whose freed page cache the kernel reuses. */
  reuseMBps: number;
  reuseRuns: number[];
}

/**
 * Each method `repeats` times, then the median. On this kind of virtual machine, writing into
 * page cache never used before runs at a fraction of the speed of writing into pages just
 * freed, so the yardstick writes new files and keeps them, as a server does with what it
 * stores; the reuse figure is reported beside it to show the difference.
 */
export async function measureCeiling(dir: string, bytes: number, repeats = 3): Promise<Ceiling> {
  const kept: string[] = [];
  const nodeRuns: number[] = [];
  const ddRuns: number[] = [];
  let ddLine: string | null = null;
  try {
    for (let i = 0; i < repeats; i++) {
      kept.push(path.join(dir, `ceiling-node-${i}.bin`), path.join(dir, `ceiling-dd-${i}.bin`));
      nodeRuns.push(await nodeWrite(kept[kept.length - 2], bytes));
      const dd = ddWrite(kept[kept.length - 1], bytes);
      if (dd) {
        ddRuns.push(dd.mbps);
        ddLine = dd.line;
      }
    }
  } finally {
    for (const file of kept) rmSync(file, { force: true });
  }
  const reuseRuns = await reuseWrites(path.join(dir, 'ceiling-reuse.bin'), bytes, repeats);
  return {
    bytes,
    nodeMBps: median(nodeRuns),
    nodeRuns,
    ddMBps: ddRuns.length ? median(ddRuns) : null,
    ddRuns,
    ddLine,
    reuseMBps: median(reuseRuns),
    reuseRuns,
  };
}

async function reuseWrites(file: string, bytes: number, repeats: number): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(await nodeWrite(file, bytes));
    rmSync(file, { force: true });
  }
  return runs;
}

/**
 * Writes every dirty page back to disk. Called before each timed write, so that one server is
 * not slowed by the writeback of files the previous step left in the page cache.
 */
export function flushDirtyPages(): void {
  spawnSync('sync');
}

/**
 * 1 MiB chunks of random bytes (so no layer can compress them), one fsync at the end. Dirty
 * pages left by earlier steps are written back first, so they do not slow this write.
 */
async function nodeWrite(file: string, bytes: number): Promise<number> {
  const chunk = randomBytes(1 << 20);
  flushDirtyPages();
  const fh = await open(file, 'w');
  const start = performance.now();
  try {
    for (let done = 0; done < bytes; done += chunk.length) await fh.write(chunk);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return mbPerS(bytes, (performance.now() - start) / 1000);
}

/** `dd conv=fsync` as a cross-check; its own MB/s figure is decimal, like ours. */
function ddWrite(file: string, bytes: number): { mbps: number; line: string } | null {
  const count = Math.round(bytes / (1 << 20));
  const args = ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${count}`, 'conv=fsync'];
  flushDirtyPages();
  // dd reports its summary on stderr.
  const run = spawnSync('dd', args, { encoding: 'utf8' });
  return run.status === 0 ? parseDd(run.stderr) : null;
}

function parseDd(text: string): { mbps: number; line: string } | null {
  const line = text.split('\n').find((l) => l.includes('copied')) ?? '';
  const m = /copied, ([\d.]+) s/.exec(line);
  const bytes = /^(\d+) bytes/.exec(line);
  if (!m || !bytes) return null;
  return { mbps: mbPerS(Number(bytes[1]), Number(m[1])), line: line.trim() };
}
