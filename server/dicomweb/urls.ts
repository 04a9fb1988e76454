/**
 * Absolute URLs for RetrieveURL and BulkDataURI (PS3.18 §8.3, Annex F.2.6). Behind a reverse
 * proxy the client reached us at another host and scheme: X-Forwarded-Proto / -Host (or the
 * standard Forwarded header) say which, so the URLs we hand out keep working for the client.
 */
import type { IncomingMessage } from 'node:http';

export const DICOMWEB_PREFIX = '/dicomweb';

function firstValue(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v?.split(',')[0]?.trim() || undefined;
}

function fromForwarded(header: string | undefined): { proto?: string; host?: string } {
  if (!header) return {};
  const first = header.split(',')[0] ?? '';
  const out: { proto?: string; host?: string } = {};
  for (const pair of first.split(';')) {
    const [k, v] = pair.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k?.toLowerCase() === 'proto') out.proto = v;
    if (k?.toLowerCase() === 'host') out.host = v;
  }
  return out;
}

/** The DICOMweb root as the client sees it, e.g. "https://pacs.clinic.org/dicomweb". */
export function dicomwebBase(req: IncomingMessage): string {
  const fwd = fromForwarded(firstValue(req.headers.forwarded));
  const proto =
    firstValue(req.headers['x-forwarded-proto']) ??
    fwd.proto ??
    ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
  const host = firstValue(req.headers['x-forwarded-host']) ?? fwd.host ?? req.headers.host;
  const prefix = firstValue(req.headers['x-forwarded-prefix'])?.replace(/\/$/, '') ?? '';
  return `${proto}://${host ?? 'localhost'}${prefix}${DICOMWEB_PREFIX}`;
}

export function studyUrl(base: string, study: string): string {
  return `${base}/studies/${study}`;
}

export function seriesUrl(base: string, study: string, series: string): string {
  return `${studyUrl(base, study)}/series/${series}`;
}

export function instanceUrl(base: string, study: string, series: string, sop: string): string {
  return `${seriesUrl(base, study, series)}/instances/${sop}`;
}
