/**
 * The DICOMweb route table (PS3.18 §10.4 WADO-RS, §10.5 STOW-RS, §10.6 QIDO-RS), mounted under
 * /dicomweb. Each route parses its path, then calls one handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors';
import type { ArchiveContext, UploadSite } from '../archive/context';
import { sendError } from '../http/respond';
import { handleQido } from './qido';
import { handleStow } from './stow';
import {
  retrieveBulkdata,
  retrieveFrames,
  retrieveInstances,
  retrieveMetadata,
  retrieveRendered,
} from './wado';

type Params = Record<string, string>;
type Handler = (
  ctx: ArchiveContext,
  req: IncomingMessage,
  res: ServerResponse,
  p: Params,
  site: UploadSite,
) => Promise<void>;

// Up to 64 characters by PS3.5 §9.1; longer ones exist in the wild and are stored, so they
// must be retrievable too.
const UID = '([0-9.]{1,256})';
const S = `/studies/${UID}`;
const SE = `${S}/series/${UID}`;
const I = `${SE}/instances/${UID}`;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

function route(method: Route['method'], path: string, names: string[], handler: Handler): Route {
  return { method, pattern: new RegExp(`^${path}/?$`), names, handler };
}

const scope = (p: Params) => ({
  studyInstanceUID: p.study,
  seriesInstanceUID: p.series,
  sopInstanceUID: p.instance,
});
const full = (p: Params) => ({
  studyInstanceUID: p.study,
  seriesInstanceUID: p.series,
  sopInstanceUID: p.instance,
});

const ROUTES: Route[] = [
  route('POST', '/studies', [], (c, q, r, _p, site) => handleStow(c, q, r, site)),
  route('POST', S, ['study'], (c, q, r, p, site) => handleStow(c, q, r, site, p.study)),

  route('GET', '/studies', [], (c, q, r) => handleQido(c, q, r, 'study', {})),
  route('GET', '/series', [], (c, q, r) => handleQido(c, q, r, 'series', {})),
  route('GET', '/instances', [], (c, q, r) => handleQido(c, q, r, 'instance', {})),
  route('GET', `${S}/series`, ['study'], (c, q, r, p) =>
    handleQido(c, q, r, 'series', { studyInstanceUID: p.study }),
  ),
  route('GET', `${S}/instances`, ['study'], (c, q, r, p) =>
    handleQido(c, q, r, 'instance', { studyInstanceUID: p.study }),
  ),
  route('GET', `${SE}/instances`, ['study', 'series'], (c, q, r, p) =>
    handleQido(c, q, r, 'instance', { studyInstanceUID: p.study, seriesInstanceUID: p.series }),
  ),

  route('GET', S, ['study'], (c, q, r, p) => retrieveInstances(c, q, r, scope(p))),
  route('GET', SE, ['study', 'series'], (c, q, r, p) => retrieveInstances(c, q, r, scope(p))),
  route('GET', I, ['study', 'series', 'instance'], (c, q, r, p) =>
    retrieveInstances(c, q, r, scope(p)),
  ),

  route('GET', `${S}/metadata`, ['study'], (c, q, r, p) => retrieveMetadata(c, q, r, scope(p))),
  route('GET', `${SE}/metadata`, ['study', 'series'], (c, q, r, p) =>
    retrieveMetadata(c, q, r, scope(p)),
  ),
  route('GET', `${I}/metadata`, ['study', 'series', 'instance'], (c, q, r, p) =>
    retrieveMetadata(c, q, r, scope(p)),
  ),

  route(
    'GET',
    `${I}/frames/([0-9, %C]+)`,
    ['study', 'series', 'instance', 'frames'],
    (c, q, r, p) => retrieveFrames(c, q, r, full(p), decodeURIComponent(p.frames)),
  ),
  route(
    'GET',
    `${I}/bulkdata/([0-9A-Fa-f/]+)`,
    ['study', 'series', 'instance', 'tag'],
    (c, q, r, p) => retrieveBulkdata(c, q, r, full(p), p.tag),
  ),

  ...(['rendered', 'thumbnail'] as const).flatMap((kind) => {
    const thumbnail = kind === 'thumbnail';
    return [
      route('GET', `${S}/${kind}`, ['study'], (c, q, r, p) =>
        retrieveRendered(c, q, r, { scope: scope(p), thumbnail }),
      ),
      route('GET', `${SE}/${kind}`, ['study', 'series'], (c, q, r, p) =>
        retrieveRendered(c, q, r, { scope: scope(p), thumbnail }),
      ),
      route('GET', `${I}/${kind}`, ['study', 'series', 'instance'], (c, q, r, p) =>
        retrieveRendered(c, q, r, { scope: scope(p), thumbnail }),
      ),
      route(
        'GET',
        `${I}/frames/([0-9]+)/${kind}`,
        ['study', 'series', 'instance', 'frame'],
        (c, q, r, p) =>
          retrieveRendered(c, q, r, { scope: scope(p), frame: Number(p.frame), thumbnail }),
      ),
    ];
  }),
];

/** Handles a request whose path starts with /dicomweb; `path` is the rest. */
export async function dicomweb(
  ctx: ArchiveContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  site: UploadSite,
): Promise<void> {
  try {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let allowed = false;
    for (const r of ROUTES) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      allowed = true;
      if (r.method !== method) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, m[i + 1]]));
      await r.handler(ctx, req, res, params, site);
      return;
    }
    if (allowed) throw new AppError('BAD_REQUEST', `${req.method} is not supported on ${path}.`);
    throw new AppError('NOT_FOUND', `No DICOMweb resource at ${path}.`);
  } catch (e) {
    req.resume();
    sendError(res, e, ctx.log);
  }
}
