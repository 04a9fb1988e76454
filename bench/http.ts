/**
 * The requests the benchmark makes, identical for both servers: STOW-RS with the body streamed
 * from disk or memory, and GETs timed from request start to the last byte of the answer.
 */
import { multipartBody, request, type HttpResult, type Part } from '../server/test/stow-client';

export interface Timed<T> {
  ms: number;
  value: T;
}

export async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

/** A DICOMweb root and the headers every request to it carries (credentials, if any). */
export interface Endpoint {
  dicomweb: string;
  headers: Record<string, string>;
}

/** One STOW-RS request; the body is streamed (a file part is read in 1 MiB chunks). */
export async function stowParts(to: Endpoint, parts: Part[]): Promise<HttpResult> {
  const mp = multipartBody(parts);
  const res = await request(`${to.dicomweb}/studies`, {
    method: 'POST',
    headers: {
      ...to.headers,
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${mp.boundary}`,
      'Content-Length': mp.length,
      Accept: 'application/dicom+json',
    },
    body: mp.stream(),
  });
  if (res.status !== 200) {
    throw new Error(`STOW-RS answered ${res.status}: ${res.body.toString('utf8').slice(0, 400)}`);
  }
  return res;
}

export const dicomPart = (body: Part['body']): Part => ({ contentType: 'application/dicom', body });

/**
 * GET of `path` under the DICOMweb root that must answer one of `ok`. The body is read whole,
 * so a timing includes the transfer.
 */
export async function getOk(
  from: Endpoint,
  path: string,
  accept: string,
  ok = [200],
): Promise<HttpResult> {
  const url = `${from.dicomweb}${path}`;
  const res = await request(url, { headers: { ...from.headers, Accept: accept } });
  if (!ok.includes(res.status)) {
    throw new Error(
      `GET ${url} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`,
    );
  }
  return res;
}

/** Runs `task(i)` for i in 0..count-1 with at most `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
