/**
 * The one HTTP server: DICOMweb under /dicomweb handled directly on Node's streams (so STOW
 * and WADO stream without buffering), everything else handed to Next.js. Every response gets
 * the security headers.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Archive } from '../app';
import { uploadSiteFor } from '../archive/sites';
import { dicomweb } from '../dicomweb/router';
import { DICOMWEB_PREFIX } from '../dicomweb/urls';
import { authenticate } from './authenticate';
import { handlePhotoUpload } from './photo-upload';
import { sendError } from './respond';

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** OWASP's baseline headers; the CSP allows what the app and Cornerstone's workers need. */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(self), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; " +
    "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; " +
    "form-action 'self'",
};

function securityHeaders(req: IncomingMessage, res: ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  if (req.headers['x-forwarded-proto'] === 'https') {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
}

export function createServer(archive: Archive, next?: NextHandler): http.Server {
  // The archive context is shared with Next's server components through globalThis, because
  // Next bundles its own copy of our modules.
  (globalThis as { __archive?: Archive }).__archive = archive;

  return http.createServer((req, res) => {
    securityHeaders(req, res);
    const path = (req.url ?? '/').split('?')[0];
    if (path === DICOMWEB_PREFIX || path.startsWith(`${DICOMWEB_PREFIX}/`)) {
      void dicomweb(archive, req, res, path.slice(DICOMWEB_PREFIX.length));
      return;
    }
    if (path === '/api/photos' && req.method === 'POST') {
      photoUpload(archive, req, res).catch((e) => {
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

async function photoUpload(archive: Archive, req: IncomingMessage, res: ServerResponse) {
  const principal = await authenticate(archive, req);
  const code = new URL(req.url ?? '/', 'http://x').searchParams.get('site') ?? undefined;
  const site = await uploadSiteFor(archive.ctx.db, principal, code);
  await handlePhotoUpload(archive.ctx, req, res, site, principal);
}
