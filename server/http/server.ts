/**
 * The one HTTP server: DICOMweb under /dicomweb handled directly on Node's streams (so STOW
 * and WADO stream without buffering), everything else handed to Next.js.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Archive } from '../app';
import { dicomweb } from '../dicomweb/router';
import { DICOMWEB_PREFIX } from '../dicomweb/urls';
import { handlePhotoUpload } from './photo-upload';
import { sendError } from './respond';

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createServer(archive: Archive, next?: NextHandler): http.Server {
  // The archive context is shared with Next's server components through globalThis, because
  // Next bundles its own copy of our modules.
  (globalThis as { __archive?: Archive }).__archive = archive;

  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === DICOMWEB_PREFIX || path.startsWith(`${DICOMWEB_PREFIX}/`)) {
      void dicomweb(archive.ctx, req, res, path.slice(DICOMWEB_PREFIX.length), archive.site);
      return;
    }
    if (path === '/api/photos' && req.method === 'POST') {
      handlePhotoUpload(archive.ctx, req, res, archive.site).catch((e) => {
        req.resume();
        sendError(res, e, archive.ctx.log);
      });
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (!next) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    void next(req, res);
  });
}
