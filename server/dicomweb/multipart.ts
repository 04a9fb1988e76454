/**
 * multipart/related (RFC 2387) as DICOMweb uses it (PS3.18 §8.6 and §8.7): reading the media
 * type of a request, and writing a multipart response part by part, streaming each body.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import contentType from 'content-type';
import { AppError } from '../errors';

export interface MultipartType {
  boundary: string;
  /** The `type` parameter: the media type of the root part (application/dicom, ...). */
  type: string | null;
}

export function parseMultipartRelated(header: string | undefined): MultipartType {
  if (!header) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Missing Content-Type: send multipart/related; type="application/dicom"; boundary=...',
    );
  }
  let parsed: ReturnType<typeof contentType.parse>;
  try {
    parsed = contentType.parse(header);
  } catch {
    throw new AppError('BAD_REQUEST', 'The Content-Type header could not be parsed.');
  }
  if (parsed.type !== 'multipart/related') {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${parsed.type} is not supported here: STOW-RS takes multipart/related ` +
        '(PS3.18 §10.5).',
    );
  }
  const boundary = parsed.parameters.boundary;
  if (!boundary) {
    throw new AppError(
      'BAD_REQUEST',
      'The multipart/related Content-Type has no boundary parameter.',
    );
  }
  return { boundary, type: parsed.parameters.type?.toLowerCase() ?? null };
}

/** Writes one multipart/related response; call `part` for each body, then `end`. */
export class MultipartWriter {
  readonly boundary = `dicomweb-${randomUUID()}`;
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly rootType: string,
    private readonly extraParams = '',
  ) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, {
      'Content-Type':
        `multipart/related; type="${this.rootType}"; boundary=${this.boundary}` + this.extraParams,
    });
  }

  async part(headers: Record<string, string>, body: Buffer | Readable): Promise<void> {
    this.start();
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    await this.write(`\r\n--${this.boundary}\r\n${head}\r\n`);
    if (Buffer.isBuffer(body)) {
      await this.write(body);
      return;
    }
    for await (const chunk of body) await this.write(chunk as Buffer);
  }

  async end(): Promise<void> {
    this.start();
    await this.write(`\r\n--${this.boundary}--\r\n`);
    this.res.end();
  }

  /** Honours backpressure so that a 500 MB instance never sits in memory. */
  private write(data: Buffer | string): Promise<void> {
    if (this.res.write(data)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onClose = () => {
        cleanup();
        reject(new Error('client closed the connection'));
      };
      const cleanup = () => {
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
      };
      this.res.on('drain', onDrain);
      this.res.on('close', onClose);
    });
  }
}
