/**
 * The DICOMweb route table (PS3.18 §10.4 WADO-RS, §10.5 STOW-RS, §10.6 QIDO-RS), mounted under
 * /dicomweb. Each route parses its path, then calls one handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Archive } from '../app';
import { AppError } from '../errors';
import { authenticate, originOf } from '../http/authenticate';
import { sendError } from '../http/respond';
import type { Call } from './call';
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
type Handler = (c: Call) => Promise<void>;

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

const STUDY = ['study'];
const SERIES = ['study', 'series'];
const INSTANCE = ['study', 'series', 'instance'];

const ROUTES: Route[] = [
  route('POST', '/studies', [], (c) => handleStow(c)),
  route('POST', S, STUDY, (c) => handleStow(c, c.params.study)),

  route('GET', '/studies', [], (c) => handleQido(c, 'study', {})),
  route('GET', '/series', [], (c) => handleQido(c, 'series', {})),
  route('GET', '/instances', [], (c) => handleQido(c, 'instance', {})),
  route('GET', `${S}/series`, STUDY, (c) =>
    handleQido(c, 'series', { studyInstanceUID: c.params.study }),
  ),
  route('GET', `${S}/instances`, STUDY, (c) =>
    handleQido(c, 'instance', { studyInstanceUID: c.params.study }),
  ),
  route('GET', `${SE}/instances`, SERIES, (c) =>
    handleQido(c, 'instance', {
      studyInstanceUID: c.params.study,
      seriesInstanceUID: c.params.series,
    }),
  ),

  route('GET', S, STUDY, (c) => retrieveInstances(c, scope(c.params))),
  route('GET', SE, SERIES, (c) => retrieveInstances(c, scope(c.params))),
  route('GET', I, INSTANCE, (c) => retrieveInstances(c, scope(c.params))),

  route('GET', `${S}/metadata`, STUDY, (c) => retrieveMetadata(c, scope(c.params))),
  route('GET', `${SE}/metadata`, SERIES, (c) => retrieveMetadata(c, scope(c.params))),
  route('GET', `${I}/metadata`, INSTANCE, (c) => retrieveMetadata(c, scope(c.params))),

  route('GET', `${I}/frames/([0-9, %C]+)`, [...INSTANCE, 'frames'], (c) =>
    retrieveFrames(c, full(c.params), decodeURIComponent(c.params.frames)),
  ),
  route('GET', `${I}/bulkdata/([0-9A-Fa-f/]+)`, [...INSTANCE, 'tag'], (c) =>
    retrieveBulkdata(c, full(c.params), c.params.tag),
  ),

  ...(['rendered', 'thumbnail'] as const).flatMap((kind) => {
    const thumbnail = kind === 'thumbnail';
    return [
      route('GET', `${S}/${kind}`, STUDY, (c) =>
        retrieveRendered(c, { scope: scope(c.params), thumbnail }),
      ),
      route('GET', `${SE}/${kind}`, SERIES, (c) =>
        retrieveRendered(c, { scope: scope(c.params), thumbnail }),
      ),
      route('GET', `${I}/${kind}`, INSTANCE, (c) =>
        retrieveRendered(c, { scope: scope(c.params), thumbnail }),
      ),
      route('GET', `${I}/frames/([0-9]+)/${kind}`, [...INSTANCE, 'frame'], (c) =>
        retrieveRendered(c, { scope: scope(c.params), frame: Number(c.params.frame), thumbnail }),
      ),
    ];
  }),
];

/** Handles a request whose path starts with /dicomweb; `path` is the rest. */
export async function dicomweb(
  archive: Archive,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
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
      const principal = await authenticate(archive, req);
      await r.handler({ ctx: archive.ctx, req, res, params, principal, origin: originOf(req) });
      return;
    }
    if (allowed)
      throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not supported on ${path}.`);
    throw new AppError('NOT_FOUND', `No DICOMweb resource at ${path}.`);
  } catch (e) {
    req.resume();
    if (e instanceof AppError && e.code === 'UNAUTHENTICATED') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dicomweb"');
    }
    sendError(res, e, archive.ctx.log);
  }
}
