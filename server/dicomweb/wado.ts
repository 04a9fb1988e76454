/**
 * WADO-RS (PS3.18 §10.4): instances, metadata, frames, bulk data, rendered and thumbnail.
 * Instances stream from storage; frames are read by byte range from the frame table made at
 * ingest, so fetching frame 300 of a 500 MB OCT reads only that frame.
 */
import type { ServerResponse } from 'node:http';
import { AppError } from '../errors';
import type { ArchiveContext } from '../archive/context';
import { visibleStudies } from '../auth/access';
import { audit } from '../auth/audit';
import {
  findInstances,
  frameRanges,
  metadataOf,
  type RetrieveScope,
  type StoredInstance,
} from '../archive/retrieve';
import type { DicomJson } from '../dicom/types';
import { sendJson } from '../http/respond';
import { frameMediaType, negotiateMultipart, negotiateSingle, servedSyntax } from './media';
import { MultipartWriter } from './multipart';
import { renderInput } from './render-input';
import type { Call } from './call';
import { dicomwebBase, instanceUrl } from './urls';

const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';
const ENCAPSULATED_DOCUMENT_TAG = '00420011';
const THUMBNAIL_SIZE = 128;

export async function retrieveInstances(c: Call, scope: RetrieveScope): Promise<void> {
  const { ctx, req, res } = c;
  const instances = await visibleInstances(c, scope, 'DOWNLOAD');
  const accept = req.headers.accept;
  if (scope.sopInstanceUID && instances[0].sopClassUID === ENCAPSULATED_PDF && wantsPdf(accept)) {
    return sendDocument(ctx, res, instances[0], 'application/pdf');
  }
  for (const inst of instances)
    negotiateMultipart(accept, 'application/dicom', inst.transferSyntaxUID);

  const base = dicomwebBase(req);
  const out = new MultipartWriter(res, 'application/dicom');
  for (const inst of instances) {
    await out.part(
      {
        'Content-Type': `application/dicom; transfer-syntax=${inst.transferSyntaxUID}`,
        'Content-Length': String(inst.sizeBytes),
        'Content-Location': instanceUrl(
          base,
          inst.studyInstanceUID,
          inst.seriesInstanceUID,
          inst.sopInstanceUID,
        ),
      },
      ctx.store.read(inst.storageKey),
    );
  }
  await out.end();
}

/**
 * The instances in scope that the caller may see, recording the look in the audit trail: one
 * event per request, naming the study and patient (by our id). Nothing visible is NOT_FOUND,
 * recorded as DENIED.
 */
async function visibleInstances(
  c: Call,
  scope: RetrieveScope,
  action: 'VIEW' | 'DOWNLOAD',
): Promise<StoredInstance[]> {
  const entry = {
    action,
    principal: c.principal,
    origin: c.origin,
    studyInstanceUID: scope.studyInstanceUID,
    resource: c.req.url?.split('?')[0],
  };
  try {
    const found = await findInstances(c.ctx.db, scope, visibleStudies(c.principal));
    await audit(c.ctx.db, c.ctx.log, {
      ...entry,
      outcome: 'SUCCESS',
      patientId: found[0].patientId,
    });
    return found;
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') {
      await audit(c.ctx.db, c.ctx.log, { ...entry, outcome: 'DENIED' });
    }
    throw e;
  }
}

function wantsPdf(accept: string | undefined): boolean {
  return !!accept && /application\/pdf/i.test(accept) && !/application\/dicom/i.test(accept);
}

/** Metadata with relative BulkDataURIs made absolute for this client (Annex F.2.6). */
export async function retrieveMetadata(c: Call, scope: RetrieveScope): Promise<void> {
  const { ctx, req, res } = c;
  const instances = await visibleInstances(c, scope, 'VIEW');
  const json = await metadataOf(
    ctx.db,
    instances.map((i) => i.id),
  );
  const base = dicomwebBase(req);
  const body = instances.map((inst) => {
    const url = instanceUrl(
      base,
      inst.studyInstanceUID,
      inst.seriesInstanceUID,
      inst.sopInstanceUID,
    );
    return absolutizeBulk(json.get(inst.id) as DicomJson, url);
  });
  sendJson(res, 200, body, 'application/dicom+json; charset=utf-8');
}

function absolutizeBulk(dataset: DicomJson, instanceUrlValue: string): DicomJson {
  const out: DicomJson = {};
  for (const [tag, attr] of Object.entries(dataset)) {
    if (attr.BulkDataURI && !/^[a-z]+:/i.test(attr.BulkDataURI)) {
      out[tag] = { ...attr, BulkDataURI: `${instanceUrlValue}/${attr.BulkDataURI}` };
    } else if (attr.vr === 'SQ' && attr.Value) {
      out[tag] = {
        ...attr,
        Value: (attr.Value as DicomJson[]).map((i) => absolutizeBulk(i, instanceUrlValue)),
      };
    } else {
      out[tag] = attr;
    }
  }
  return out;
}

/** "1,3,5" -> [1,3,5], checked against the instance's frame count (frames are 1-based). */
export function parseFrameList(list: string, count: number): number[] {
  const frames = list.split(',').map((s) => Number(s.trim()));
  for (const f of frames) {
    if (!Number.isInteger(f) || f < 1) {
      throw new AppError(
        'BAD_REQUEST',
        `Frame numbers are integers from 1: "${list}" is not a frame list.`,
      );
    }
    if (f > count) {
      throw new AppError(
        'NOT_FOUND',
        `Frame ${f} does not exist: this instance has ${count} frame(s).`,
      );
    }
  }
  return frames;
}

async function readFrame(
  ctx: ArchiveContext,
  inst: StoredInstance,
  table: Array<Array<[number, number]>>,
  n: number,
): Promise<Buffer> {
  const ranges = table[n - 1];
  if (!ranges) {
    throw new AppError(
      'CANNOT_DECODE',
      'Frames of this instance cannot be served separately (its data set is deflated); ' +
        'retrieve the whole instance instead.',
    );
  }
  const bytes = await ctx.store.readRanges(inst.storageKey, ranges);
  // Frames are served little endian (PS3.18 §8.7.3.3.2): swap 16-bit words of big endian data.
  if (
    inst.transferSyntaxUID === '1.2.840.10008.1.2.2' &&
    (inst.pixelInfo?.bitsAllocated ?? 8) === 16
  ) {
    bytes.swap16();
  }
  return bytes;
}

async function frameTable(ctx: ArchiveContext, inst: StoredInstance) {
  if (!inst.pixelInfo)
    throw new AppError('NOT_FOUND', 'This instance has no pixel data, so it has no frames.');
  return frameRanges(ctx.db, inst.id);
}

export async function retrieveFrames(
  c: Call,
  scope: Required<RetrieveScope>,
  list: string,
  audited = false,
): Promise<void> {
  const { ctx, req, res } = c;
  const [inst] = audited
    ? await findInstances(ctx.db, scope, visibleStudies(c.principal))
    : await visibleInstances(c, scope, 'VIEW');
  const { frames: table } = await frameTable(ctx, inst);
  const frames = parseFrameList(list, inst.pixelInfo!.numberOfFrames || 1);
  const partType = frameMediaType(inst.transferSyntaxUID);
  const syntax = servedSyntax(inst.transferSyntaxUID);
  negotiateMultipart(req.headers.accept, partType, syntax);

  const base = instanceUrl(
    dicomwebBase(req),
    scope.studyInstanceUID,
    scope.seriesInstanceUID,
    scope.sopInstanceUID,
  );
  const out = new MultipartWriter(res, partType);
  for (const n of frames) {
    const bytes = await readFrame(ctx, inst, table, n);
    await out.part(
      {
        'Content-Type': `${partType}; transfer-syntax=${syntax}`,
        'Content-Length': String(bytes.length),
        'Content-Location': `${base}/frames/${n}`,
      },
      bytes,
    );
  }
  await out.end();
}

export async function retrieveBulkdata(
  c: Call,
  scope: Required<RetrieveScope>,
  tagPath: string,
): Promise<void> {
  const { ctx, req, res } = c;
  const [inst] = await visibleInstances(c, scope, 'DOWNLOAD');
  const path = tagPath.toUpperCase();
  if (path === '7FE00010') {
    if (!inst.pixelInfo) throw new AppError('NOT_FOUND', 'This instance has no Pixel Data.');
    const list = Array.from({ length: inst.pixelInfo.numberOfFrames || 1 }, (_, i) => i + 1).join(
      ',',
    );
    return retrieveFrames(c, scope, list, true);
  }
  const bytes = await bulkValue(ctx, inst, path);
  const type = negotiateSingle(req.headers.accept, [
    'application/octet-stream',
    'multipart/related',
  ]);
  if (type === 'multipart/related') {
    const out = new MultipartWriter(res, 'application/octet-stream');
    await out.part(
      { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
      bytes,
    );
    return out.end();
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes.length,
  });
  res.end(bytes);
}

/**
 * The value of a binary attribute: from its byte range in the file when it was too large to
 * keep in the metadata, else from the metadata's InlineBinary. Tag paths nest as
 * "SEQTAG/ITEM/TAG" for values inside sequences.
 */
async function bulkValue(
  ctx: ArchiveContext,
  inst: StoredInstance,
  tagPath: string,
): Promise<Buffer> {
  const { bulk } = await frameRanges(ctx.db, inst.id);
  const range = bulk[tagPath];
  if (range) return ctx.store.readRanges(inst.storageKey, [range]);

  let node = (await metadataOf(ctx.db, [inst.id])).get(inst.id) as DicomJson | undefined;
  const steps = tagPath.split('/');
  for (let i = 0; node && i < steps.length - 1; i += 2) {
    node = (node[steps[i]]?.Value as DicomJson[] | undefined)?.[Number(steps[i + 1])];
  }
  const inline = node?.[steps[steps.length - 1]]?.InlineBinary;
  if (!inline) throw new AppError('NOT_FOUND', `No bulk data at ${tagPath} in this instance.`);
  return Buffer.from(inline, 'base64');
}

async function sendDocument(
  ctx: ArchiveContext,
  res: ServerResponse,
  inst: StoredInstance,
  type: string,
) {
  // The value is padded to even length with one NUL (PS3.5 §7.1.1); a PDF reader ignores it.
  const bytes = await bulkValue(ctx, inst, ENCAPSULATED_DOCUMENT_TAG);
  // The viewer shows documents inline in its own pages: this origin may frame them, no other.
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  if (csp) {
    res.setHeader(
      'Content-Security-Policy',
      csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'"),
    );
  }
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.length });
  res.end(bytes);
}

export interface RenderRequest {
  scope: RetrieveScope;
  frame?: number;
  thumbnail: boolean;
}

/** Rendered and thumbnail (§10.4.1.1.3, §10.4.1.1.5) for study, series, instance or frame. */
export async function retrieveRendered(c: Call, r: RenderRequest): Promise<void> {
  const { ctx, req, res } = c;
  const instances = await visibleInstances(c, r.scope, 'VIEW');
  const inst = instances.find((i) => i.pixelInfo) ?? instances[0];
  if (inst.sopClassUID === ENCAPSULATED_PDF && !r.thumbnail) {
    negotiateSingle(req.headers.accept, ['application/pdf']);
    return sendDocument(ctx, res, inst, 'application/pdf');
  }
  if (!inst.pixelInfo) {
    throw new AppError(
      'CANNOT_DECODE',
      'This object has no image to render (it holds no Pixel Data).',
    );
  }
  const type = negotiateSingle(req.headers.accept, ['image/jpeg', 'image/png']);
  const url = new URL(req.url ?? '/', 'http://x');
  const { frames: table, bulk } = await frameTable(ctx, inst);
  const frameNo = r.frame ?? 1;
  parseFrameList(String(frameNo), inst.pixelInfo.numberOfFrames || 1);

  const json = (await metadataOf(ctx.db, [inst.id])).get(inst.id) as DicomJson;
  const info = await renderInput(ctx, inst, json, bulk);
  const raw = await ctx.store.readRanges(inst.storageKey, table[frameNo - 1] ?? []);
  // Codecs and the image library load on the first render, not at start: a server that only
  // stores and serves frames keeps that memory.
  const { decodeFrame, renderFrame } = await import('../render');
  const decoded = await decodeFrame(raw, info, inst.transferSyntaxUID);
  const image = await renderFrame(decoded, {
    format: type === 'image/png' ? 'png' : 'jpeg',
    quality: intParam(url, 'quality', 1, 100),
    maxSize: r.thumbnail ? THUMBNAIL_SIZE : viewportSize(url),
    window: windowParam(url),
  });
  res.writeHead(200, {
    'Content-Type': image.contentType,
    'Content-Length': image.body.length,
    'Cache-Control': 'private, max-age=3600',
  });
  res.end(image.body);
}

function intParam(url: URL, key: string, min: number, max: number): number | undefined {
  const v = url.searchParams.get(key);
  if (v == null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('BAD_REQUEST', `${key} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

function viewportSize(url: URL): number | undefined {
  const v = url.searchParams.get('viewport');
  if (!v) return undefined;
  const [w, h] = v.split(',').map(Number);
  if (!(w > 0) || !(h > 0)) throw new AppError('BAD_REQUEST', 'viewport must be "width,height".');
  return Math.max(w, h);
}

function windowParam(url: URL): { center: number; width: number } | undefined {
  const v = url.searchParams.get('window');
  if (!v) return undefined;
  const [center, width] = v.split(',').map(Number);
  if (!Number.isFinite(center) || !(width > 0)) {
    throw new AppError('BAD_REQUEST', 'window must be "center,width[,function]".');
  }
  return { center, width };
}
