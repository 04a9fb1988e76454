/**
 * The blob store behind the archive. The local filesystem implements it today; an S3 backend
 * can implement the same interface later. Keys are opaque strings chosen by the store.
 */
import type { Readable, Writable } from 'node:stream';

/** A blob being written: bytes go to a temporary place and become visible only on commit. */
export interface BlobWriter {
  /** Writable for the bytes; the store hashes and counts them as they pass. */
  readonly stream: Writable;
  /** A local file holding the bytes written so far, for header parsing before commit. */
  readonly tempPath: string;
  /** Resolves once every byte written to `stream` is in the temporary file. */
  readonly finished: Promise<void>;
  /** Valid once `stream` has finished. */
  readonly sha256: () => string;
  readonly size: () => number;
  /** Makes the bytes durable (fsync) and visible under a key derived from their content. */
  commit(): Promise<string>;
  /** Drops the temporary bytes; safe to call more than once and after commit. */
  abort(): Promise<void>;
}

export interface BlobStore {
  createWriter(): Promise<BlobWriter>;
  /** Reads [offset, offset+length) of a blob, or the whole blob when no range is given. */
  read(key: string, range?: { offset: number; length: number }): Readable;
  /** Reads several byte ranges of one blob into one buffer, with one open file. */
  readRanges(key: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<Buffer>;
  /** A local path to the blob when the store has one (the filesystem store always does). */
  localPath(key: string): string | null;
  exists(key: string): Promise<boolean>;
}
