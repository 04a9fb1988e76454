/**
 * Who sent this request: an API token (Authorization: Bearer) or a signed-in session cookie.
 * Requests with neither are refused with 401 and a reason. Cookie-authenticated requests that
 * change data must come from our own origin (CSRF, see assertSameOrigin).
 */
import type { IncomingMessage } from 'node:http';
import type { Archive } from '../app';
import { principalFromSession } from '../auth/session';
import { principalForToken } from '../auth/tokens';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors';
import type { AuditOrigin } from '../auth/audit';

export async function authenticate(archive: Archive, req: IncomingMessage): Promise<Principal> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer <API token>".');
    return principalForToken(archive.ctx.db, m[1]);
  }
  const principal = await principalFromSession(archive.ctx.db, req, archive.config.authSecret);
  if (principal) {
    if (!SAFE_METHODS.has(req.method ?? 'GET')) assertSameOrigin(req);
    return principal;
  }
  throw new AppError(
    'UNAUTHENTICATED',
    'Sign in, or send an API token as "Authorization: Bearer <token>".',
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie sessions: a browser always sends Origin (or at least Sec-Fetch-Site)
 * on cross-site POSTs, so a state change whose Origin is not our own host is refused.
 */
export function assertSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  const site = req.headers['sec-fetch-site'];
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new AppError('FORBIDDEN', 'The Origin header is not a URL.');
    }
    if (originHost === host) return;
    throw new AppError('FORBIDDEN', 'Cross-site request refused: send it from this app.');
  }
  if (site && site !== 'same-origin' && site !== 'none') {
    throw new AppError('FORBIDDEN', 'Cross-site request refused: send it from this app.');
  }
}

export function originOf(req: IncomingMessage): AuditOrigin {
  const fwd = req.headers['x-forwarded-for'];
  const ip = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim() || req.socket.remoteAddress;
  const ua = req.headers['user-agent'];
  return { ip: ip ?? undefined, userAgent: ua };
}
