/**
 * Media types of frames and bulk data per transfer syntax (PS3.18 §8.7.3, Table 8.7.3-5),
 * and Accept header negotiation for them.
 */
import Negotiator from 'negotiator';
import { AppError } from '../errors';

const BY_SYNTAX: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'image/jpeg',
  '1.2.840.10008.1.2.4.51': 'image/jpeg',
  '1.2.840.10008.1.2.4.57': 'image/jpeg',
  '1.2.840.10008.1.2.4.70': 'image/jpeg',
  '1.2.840.10008.1.2.4.80': 'image/jls',
  '1.2.840.10008.1.2.4.81': 'image/jls',
  '1.2.840.10008.1.2.4.90': 'image/jp2',
  '1.2.840.10008.1.2.4.91': 'image/jp2',
  '1.2.840.10008.1.2.4.92': 'image/jpx',
  '1.2.840.10008.1.2.4.93': 'image/jpx',
  '1.2.840.10008.1.2.4.201': 'image/jphc',
  '1.2.840.10008.1.2.4.202': 'image/jphc',
  '1.2.840.10008.1.2.4.203': 'image/jphc',
  '1.2.840.10008.1.2.5': 'image/dicom-rle',
  '1.2.840.10008.1.2.4.100': 'video/mpeg',
  '1.2.840.10008.1.2.4.101': 'video/mpeg',
  '1.2.840.10008.1.2.4.102': 'video/mp4',
  '1.2.840.10008.1.2.4.103': 'video/mp4',
};

export const NATIVE_SYNTAXES = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.1.99',
]);

/** The media type a frame of this transfer syntax is served as, without transcoding. */
export function frameMediaType(transferSyntaxUID: string): string {
  return BY_SYNTAX[transferSyntaxUID] ?? 'application/octet-stream';
}

/** The transfer syntax label of frames served as they are stored (native ones as Explicit LE). */
export function servedSyntax(transferSyntaxUID: string): string {
  return NATIVE_SYNTAXES.has(transferSyntaxUID) ? '1.2.840.10008.1.2.1' : transferSyntaxUID;
}

interface AcceptEntry {
  type: string;
  params: Record<string, string>;
}

function acceptEntries(accept: string | undefined): AcceptEntry[] {
  if (!accept) return [{ type: '*/*', params: {} }];
  return accept.split(',').map((raw) => {
    const [type, ...rest] = raw.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0)
        params[p.slice(0, i).trim().toLowerCase()] = p
          .slice(i + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    return { type: (type ?? '').toLowerCase(), params };
  });
}

/**
 * Whether a multipart response whose parts are `partType` in `syntax` satisfies the Accept
 * header. Throws 406 with the reason otherwise: we do not transcode stored pixel data.
 */
export function negotiateMultipart(
  accept: string | undefined,
  partType: string,
  syntax: string,
): void {
  for (const e of acceptEntries(accept)) {
    if (e.type === '*/*' || e.type === 'multipart/*') return;
    const type =
      e.type === 'multipart/related' ? (e.params.type ?? 'application/octet-stream') : e.type;
    const ts = e.params['transfer-syntax'];
    const typeOk = type === partType || type === '*/*' || type === `${partType.split('/')[0]}/*`;
    if (typeOk && (!ts || ts === '*' || ts === syntax)) return;
    // A client asking for octet-stream "as stored" also accepts a compressed frame.
    if (type === 'application/octet-stream' && ts === '*') return;
  }
  throw new AppError(
    'NOT_ACCEPTABLE',
    `This data is stored as ${partType} (transfer syntax ${syntax}) and is served as stored; ` +
      `ask for multipart/related; type="${partType}" or transfer-syntax=*.`,
  );
}

/** Picks one of `offered` for a single-part response (rendered, thumbnail, PDF). */
export function negotiateSingle(accept: string | undefined, offered: string[]): string {
  const chosen = new Negotiator({ headers: { accept: accept ?? '*/*' } }).mediaType(offered);
  if (!chosen) {
    throw new AppError(
      'NOT_ACCEPTABLE',
      `This resource is available as ${offered.join(', ')} only.`,
    );
  }
  return chosen;
}
