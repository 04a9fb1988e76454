/**
 * Blobs on the local filesystem, content-addressed by sha256.
 *
 * Durability (why the steps are in this order): bytes are written to a temporary file in the
 * same filesystem, fsync'd, then renamed to their final name and the directory fsync'd. Only
 * after that does the caller write the index row, in a transaction, and acknowledge. A crash
 * before the rename leaves a stray temporary file; a crash after it leaves an unreferenced blob.
 * Neither is visible, and nothing acknowledged is ever lost or overwritten: a blob's name is its
 * hash, so the same name always holds the same bytes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, BlobWriter } from './types';

export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async init(): Promise<void> {
    await fs.mkdir(path.join(this.root, 'tmp'), { recursive: true });
    await fs.mkdir(path.join(this.root, 'sha256'), { recursive: true });
  }

  keyFor(sha256: string): string {
    return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  localPath(key: string): string {
    if (!/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) {
      throw new Error('invalid blob key');
    }
    return path.join(this.root, key);
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.localPath(key)).then(
      () => true,
      () => false,
    );
  }

  read(key: string, range?: { offset: number; length: number }): Readable {
    const file = this.localPath(key);
    if (!range) return createReadStream(file, { highWaterMark: 1 << 20 });
    if (range.length === 0) return new PassThrough().end();
    return createReadStream(file, {
      start: range.offset,
      end: range.offset + range.length - 1,
      highWaterMark: 1 << 20,
    });
  }

  async readRanges(key: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<Buffer> {
    const total = ranges.reduce((n, [, len]) => n + len, 0);
    const out = Buffer.allocUnsafe(total);
    const fh = await fs.open(this.localPath(key), 'r');
    try {
      let at = 0;
      for (const [offset, length] of ranges) {
        const { bytesRead } = await fh.read(out, at, length, offset);
        if (bytesRead !== length) throw new Error('blob shorter than its frame index');
        at += length;
      }
      return out;
    } finally {
      await fh.close();
    }
  }

  async createWriter(): Promise<BlobWriter> {
    const tempPath = path.join(this.root, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let digest: string | undefined;
    const file = createWriteStream(tempPath, { highWaterMark: 1 << 20 });
    const hashing = new PassThrough({ highWaterMark: 1 << 20 });
    hashing.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    hashing.pipe(file);
    const written = new Promise<void>((resolve, reject) => {
      file.on('close', resolve);
      file.on('error', reject);
      hashing.on('error', reject);
    });
    written.catch(() => undefined);

    const sha256 = () => (digest ??= hash.digest('hex'));
    const abort = async () => {
      hashing.destroy();
      file.destroy();
      await fs.rm(tempPath, { force: true });
    };
    const commit = async () => {
      await written;
      const key = this.keyFor(sha256());
      const final = this.localPath(key);
      await fsyncFile(tempPath);
      await fs.mkdir(path.dirname(final), { recursive: true });
      await fs.rename(tempPath, final);
      await fsyncDir(path.dirname(final));
      return key;
    };

    return {
      stream: hashing,
      tempPath,
      finished: written,
      sha256,
      size: () => size,
      commit,
      abort,
    };
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
