/**
 * Where a web request came from, for the audit trail, read from a fetch `Headers` (Next.js
 * route handlers and server components). Next.js fills x-forwarded-for with the socket's
 * address when no proxy did, so the first entry is the client as far as we can tell.
 */
import type { AuditOrigin } from './audit';

export function originFromHeaders(headers: Pick<Headers, 'get'>): AuditOrigin {
  const ip = headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined;
  return { ip, userAgent: headers.get('user-agent') ?? undefined };
}

/**
 * CSRF defence for cookie sessions on fetch-style requests, the same rule as assertSameOrigin
 * in server/http/authenticate.ts: a state change whose Origin is another host, or that the
 * browser marks as cross-site, is refused. Returns the reason, or null when it may go on.
 */
export function crossSiteReason(headers: Pick<Headers, 'get'>): string | null {
  const origin = headers.get('origin');
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  const site = headers.get('sec-fetch-site');
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return 'The Origin header is not a URL.';
    }
    return originHost === host ? null : 'Cross-site request refused: send it from this app.';
  }
  if (site && site !== 'same-origin' && site !== 'none') {
    return 'Cross-site request refused: send it from this app.';
  }
  return null;
}
