/**
 * A minimal STOW-RS / multipart client for tests and the benchmark: builds multipart/related
 * bodies (as a stream for large files) and parses multipart responses.
 */
import { createReadStream, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';

export interface Part {
  contentType?: string;
  contentLocation?: string;
  body: Buffer | { file: string };
}

export function multipartBody(parts: Part[], boundary = `b-${randomUUID()}`) {
  async function* generate() {
    for (const p of parts) {
      let head = `--${boundary}\r\n`;
      if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
      if (p.contentLocation) head += `Content-Location: ${p.contentLocation}\r\n`;
      yield Buffer.from(`${head}\r\n`);
      if (Buffer.isBuffer(p.body)) yield p.body;
      else
        for await (const chunk of createReadStream(p.body.file, { highWaterMark: 1 << 20 }))
          yield chunk as Buffer;
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  const length = parts.reduce(
    (n, p) => {
      const head = `--${boundary}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}${p.contentLocation ? `Content-Location: ${p.contentLocation}\r\n` : ''}\r\n`;
      const size = Buffer.isBuffer(p.body) ? p.body.length : statSync(p.body.file).size;
      return n + Buffer.byteLength(head) + size + 2;
    },
    Buffer.byteLength(`--${boundary}--\r\n`),
  );
  return { boundary, length, stream: () => Readable.from(generate()) };
}

let defaultToken: string | undefined;

/** The API token sent with every request that sets no Authorization header itself. */
export function setDefaultToken(token: string | undefined): void {
  defaultToken = token;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request with a streamed body (fetch would buffer it) and collects the answer. */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string | number>; body?: Readable | Buffer },
): Promise<HttpResult> {
  const headers: Record<string, string | number> = { ...opts.headers };
  const named = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if (defaultToken && !named) headers.Authorization = `Bearer ${defaultToken}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!opts.body) req.end();
    else if (Buffer.isBuffer(opts.body)) req.end(opts.body);
    else opts.body.pipe(req);
  });
}

export async function stow(
  dicomweb: string,
  parts: Part[],
  opts: { study?: string; type?: string; token?: string; query?: string } = {},
) {
  const mp = multipartBody(parts);
  const url =
    (opts.study ? `${dicomweb}/studies/${opts.study}` : `${dicomweb}/studies`) + (opts.query ?? '');
  const res = await request(url, {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/related; type="${opts.type ?? 'application/dicom'}"; boundary=${mp.boundary}`,
      'Content-Length': mp.length,
      Accept: 'application/dicom+json',
      ...(opts.token && { Authorization: `Bearer ${opts.token}` }),
    },
    body: mp.stream(),
  });
  return { ...res, json: res.body.length ? JSON.parse(res.body.toString('utf8')) : null };
}

/** Splits a multipart/related response into its parts (tests only: holds it all in memory). */
export function parseMultipart(
  res: HttpResult,
): Array<{ headers: Record<string, string>; body: Buffer }> {
  const ct = String(res.headers['content-type'] ?? '');
  const boundary = /boundary=("?)([^";]+)\1/.exec(ct)?.[2];
  if (!boundary) throw new Error(`not multipart: ${ct}`);
  const delim = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: Record<string, string>; body: Buffer }> = [];
  let at = res.body.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length;
    if (res.body.subarray(start, start + 2).toString() === '--') break;
    const next = res.body.indexOf(delim, start);
    const chunk = res.body.subarray(start + 2, next - 2);
    const sep = chunk.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of chunk.subarray(0, sep).toString().split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, body: chunk.subarray(sep + 4) });
    at = next;
  }
  return parts;
}
