/**
 * Random access to the bytes of a stored instance. Ingest reads the header bytes that
 * dicom-parser parses (read.ts), then hops from one pixel fragment header to the next with
 * 8-byte reads; a file-backed source answers small reads from one read-ahead window, and values
 * that are only located (bulk data, pixel fragments) are never read at all. This is what keeps
 * ingest of a 500 MB OCT volume at a few hundred KB of memory.
 */
import { open, type FileHandle } from 'node:fs/promises';

import { AppError } from '../errors';

export interface ByteSource {
  /** Total number of bytes available. */
  readonly size: number;
  /**
   * Exactly `length` bytes at `offset`; throws TRUNCATED when the source ends before that.
   * `readAhead` is how much to buffer from `offset` on: large for the header, small while
   * hopping from one pixel fragment header to the next so that skipped data is not read.
   */
  read(offset: number, length: number, readAhead?: number): Promise<Uint8Array>;
}

/** Default read-ahead; a typical header fits at once, larger ones slide the window along. */
const WINDOW_BYTES = 256 * 1024;

export function truncatedError(what: string, expected: number, present: number): AppError {
  return new AppError(
    'TRUNCATED',
    `File ends inside ${what}: ${expected} bytes expected, ${Math.max(0, present)} present`,
  );
}

function checkRange(size: number, offset: number, length: number): void {
  if (offset + length > size) {
    throw truncatedError(`the value at byte ${offset}`, length, size - offset);
  }
}

export class MemorySource implements ByteSource {
  readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
}

export class FileSource implements ByteSource {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private totalRead = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new FileSource(handle, size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number, readAhead = WINDOW_BYTES): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    const start = offset - this.windowStart;
    if (start >= 0 && start + length <= this.window.length) {
      return this.window.subarray(start, start + length);
    }

    // Values longer than the window are read on their own so the window keeps its place.
    if (length > readAhead) return this.readExact(offset, length);

    const windowLength = Math.min(readAhead, this.size - offset);
    this.window = await this.readExact(offset, windowLength);
    this.windowStart = offset;
    return this.window.subarray(0, length);
  }

  /** Bytes actually read from disk so far: what ingest of this file has cost in I/O. */
  get bytesRead(): number {
    return this.totalRead;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readExact(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) throw truncatedError(`the value at byte ${offset}`, length, done);
      done += bytesRead;
    }
    this.totalRead += length;
    return buffer;
  }
}
