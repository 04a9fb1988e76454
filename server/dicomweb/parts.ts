/**
 * Reads a multipart/related request part by part with the streaming multipart parser that
 * ships inside @fastify/busboy (Dicer, with its security fixes). Each part's body is a stream
 * handed to the caller as it arrives; the parser pauses while the caller is slow, so a 500 MB
 * part never sits in memory.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';

const require = createRequire(import.meta.url);
type DicerCtor = new (cfg: { boundary: string; maxHeaderPairs?: number }) => Writable;
const Dicer = require('@fastify/busboy/deps/dicer/lib/Dicer.js') as DicerCtor;

export interface PartHeaders {
  contentType: string | null;
  contentLocation: string | null;
  raw: Record<string, string[]>;
}

export interface PartsOutcome<T> {
  results: Array<PromiseSettledResult<T>>;
  /** Set when the multipart framing itself was broken (e.g. the body ended early). */
  framingError?: Error;
}

export function forEachPart<T>(
  req: IncomingMessage,
  boundary: string,
  onPart: (headers: PartHeaders, body: Readable) => Promise<T>,
): Promise<PartsOutcome<T>> {
  return new Promise((resolve) => {
    const dicer = new Dicer({ boundary, maxHeaderPairs: 100 });
    const pending: Array<Promise<T>> = [];
    let framingError: Error | undefined;
    let settled = false;

    const finish = () => {
      if (settled) return;
      settled = true;
      void Promise.allSettled(pending).then((results) => resolve({ results, framingError }));
    };

    dicer.on('part', (part: Readable) => {
      part.on('error', () => undefined);
      part.once('header', (raw: Record<string, string[]>) => {
        const headers: PartHeaders = {
          contentType: raw['content-type']?.[0]?.trim() ?? null,
          contentLocation: raw['content-location']?.[0]?.trim() ?? null,
          raw,
        };
        const work = onPart(headers, part);
        work.catch(() => part.resume());
        pending.push(work);
      });
    });
    dicer.on('error', (e: Error) => {
      framingError = e;
      req.unpipe(dicer);
      req.resume();
      finish();
    });
    dicer.on('finish', finish);
    req.on('error', (e) => {
      framingError = e;
      finish();
    });
    req.pipe(dicer);
  });
}
