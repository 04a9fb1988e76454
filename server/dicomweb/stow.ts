/**
 * STOW-RS (PS3.18 §10.5): store instances sent as multipart/related, either as DICOM Part 10
 * files (type="application/dicom") or as DICOM JSON metadata plus bulk data parts
 * (type="application/dicom+json", §10.5.2), which web uploaders use for JPEG photos.
 *
 * Response (§10.5.3): 200 when every instance was stored, 202 when some were, 409 when none
 * were; each refused instance is listed in FailedSOPSequence with a FailureReason and, for a
 * person to act on, an ErrorComment.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import contentType from 'content-type';
import { AppError } from '../errors';
import type { ArchiveContext, UploadSite } from '../archive/context';
import { uploadSiteFor } from '../archive/sites';
import { audit, auditMany } from '../auth/audit';
import { RefusedInstance, storeInstance, type StoreResult } from '../archive/store-instance';
import { sendJson } from '../http/respond';
import type { Call } from './call';
import { parseMultipartRelated } from './multipart';
import { forEachPart, type PartHeaders } from './parts';
import { dicomwebBase, instanceUrl, studyUrl } from './urls';

const DICOM = 'application/dicom';
const DICOM_JSON = 'application/dicom+json';
/** Metadata+bulk uploads are held in memory until all parts arrived; photos, not volumes. */
const MAX_JSON_FORM_BYTES = 512 * 1024 ** 2;

type PartOutcome =
  | { kind: 'stored'; result: StoreResult }
  | { kind: 'json'; datasets: unknown[] }
  | { kind: 'bulk'; location: string; contentType: string; bytes: Buffer };

export async function handleStow(c: Call, studyInstanceUID?: string): Promise<void> {
  const { ctx, req, res } = c;
  const media = parseMultipartRelated(req.headers['content-type']);
  const requestedSite = new URL(req.url ?? '/', 'http://x').searchParams.get('site') ?? undefined;
  const site = await uploadSiteFor(ctx.db, c.principal, requestedSite).catch(async (e) => {
    await audit(ctx.db, ctx.log, {
      ...uploadEntry(c),
      outcome: 'DENIED',
      detail: { reason: String(e.message) },
    });
    throw e;
  });
  const rootType = media.type ?? DICOM;
  if (rootType !== DICOM && rootType !== DICOM_JSON) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `multipart/related type "${rootType}" is not supported: use "${DICOM}" or "${DICOM_JSON}".`,
    );
  }

  let jsonBytes = 0;
  const onPart = async (headers: PartHeaders, body: Readable): Promise<PartOutcome> => {
    const type = partType(headers, rootType);
    if (type === DICOM) {
      const result = await storeInstance(ctx, { source: body, site, studyInstanceUID });
      return { kind: 'stored', result };
    }
    const bytes = await buffer(body);
    jsonBytes += bytes.length;
    if (jsonBytes > MAX_JSON_FORM_BYTES) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        'Metadata and bulk data uploads are limited to 512 MB.',
      );
    }
    if (type === DICOM_JSON) return { kind: 'json', datasets: parseDatasets(bytes) };
    if (!headers.contentLocation) {
      throw new AppError('BAD_REQUEST', `A ${type} bulk data part has no Content-Location header.`);
    }
    return { kind: 'bulk', location: headers.contentLocation, contentType: type, bytes };
  };

  const { results, framingError } = await forEachPart(req, media.boundary, onPart);
  if (results.length === 0) {
    const why = framingError ? ` (${framingError.message})` : '';
    throw new AppError(
      'BAD_REQUEST',
      `The request holds no multipart part${why}; nothing was stored.`,
    );
  }

  const outcomes = await completeJsonForm(ctx, results, site, studyInstanceUID);
  await auditUploads(c, site.id, outcomes);
  const base = dicomwebBase(req);
  const { status, body } = stowResponse(base, outcomes, studyInstanceUID);
  sendJson(res, status, body, `${DICOM_JSON}; charset=utf-8`);
}

function uploadEntry(c: Call) {
  return {
    action: 'UPLOAD' as const,
    principal: c.principal,
    origin: c.origin,
    resource: c.req.url?.split('?')[0],
  };
}

/** One UPLOAD event per instance stored or refused. */
async function auditUploads(c: Call, siteId: string, outcomes: Settled[]): Promise<void> {
  await auditMany(
    c.ctx.db,
    c.ctx.log,
    outcomes.map((o) => {
      if (o.status === 'fulfilled') {
        const r = o.value;
        return {
          ...uploadEntry(c),
          outcome: 'SUCCESS' as const,
          siteId,
          patientId: r.patientId,
          studyInstanceUID: r.studyInstanceUID,
          detail: { sopInstanceUID: r.sopInstanceUID, status: r.status },
        };
      }
      const err = o.reason instanceof AppError ? o.reason : undefined;
      return {
        ...uploadEntry(c),
        outcome: err?.code === 'FORBIDDEN' ? ('DENIED' as const) : ('FAILURE' as const),
        siteId,
        detail: { code: err?.code ?? 'INTERNAL' },
      };
    }),
  );
}

function partType(headers: PartHeaders, rootType: string): string {
  if (!headers.contentType) return rootType;
  try {
    return contentType.parse(headers.contentType).type;
  } catch {
    throw new AppError(
      'BAD_REQUEST',
      `A part has an unreadable Content-Type: ${headers.contentType}`,
    );
  }
}

function parseDatasets(bytes: Buffer): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'A application/dicom+json part is not valid JSON.');
  }
  return Array.isArray(value) ? value : [value];
}

type Settled = PromiseSettledResult<StoreResult>;

/** Turns metadata + bulk parts into Part 10 instances and stores them; passes others on. */
async function completeJsonForm(
  ctx: ArchiveContext,
  results: Array<PromiseSettledResult<PartOutcome>>,
  site: UploadSite,
  studyInstanceUID?: string,
): Promise<Settled[]> {
  const out: Settled[] = [];
  const bulk = new Map<string, { contentType: string; bytes: Buffer }>();
  const datasets: unknown[] = [];
  for (const r of results) {
    if (r.status === 'rejected') out.push(r);
    else if (r.value.kind === 'stored') out.push({ status: 'fulfilled', value: r.value.result });
    else if (r.value.kind === 'json') datasets.push(...r.value.datasets);
    else bulk.set(r.value.location, { contentType: r.value.contentType, bytes: r.value.bytes });
  }

  if (!datasets.length) return out;
  const { buildPart10FromJson } = await import('../dicom/json-bulk');
  for (const dataset of datasets) {
    try {
      const part10 = buildPart10FromJson(dataset as Record<string, never>, bulk);
      const value = await storeInstance(ctx, {
        source: Readable.from([part10]),
        site,
        studyInstanceUID,
      });
      out.push({ status: 'fulfilled', value });
    } catch (e) {
      out.push({ status: 'rejected', reason: e });
    }
  }
  return out;
}

export function stowResponse(base: string, outcomes: Settled[], studyInstanceUID?: string) {
  const referenced: unknown[] = [];
  const failed: unknown[] = [];
  for (const o of outcomes) {
    if (o.status === 'fulfilled') {
      const r = o.value;
      referenced.push({
        '00081150': { vr: 'UI', Value: [r.sopClassUID] },
        '00081155': { vr: 'UI', Value: [r.sopInstanceUID] },
        '00081190': {
          vr: 'UR',
          Value: [instanceUrl(base, r.studyInstanceUID, r.seriesInstanceUID, r.sopInstanceUID)],
        },
      });
      continue;
    }
    const err =
      o.reason instanceof AppError ? o.reason : new AppError('INTERNAL', 'Storing failed');
    const refused = err instanceof RefusedInstance ? err : undefined;
    failed.push({
      '00081150': { vr: 'UI', ...(refused?.sopClassUID && { Value: [refused.sopClassUID] }) },
      '00081155': { vr: 'UI', ...(refused?.sopInstanceUID && { Value: [refused.sopInstanceUID] }) },
      '00081197': { vr: 'US', Value: [err.failureReason] },
      '00000902': { vr: 'LO', Value: [err.message] },
    });
  }

  const body: Record<string, unknown> = {};
  const stored = outcomes.filter((o) => o.status === 'fulfilled') as Array<
    PromiseFulfilledResult<StoreResult>
  >;
  const studies = new Set(stored.map((o) => o.value.studyInstanceUID));
  const onlyStudy = studyInstanceUID ?? (studies.size === 1 ? [...studies][0] : undefined);
  if (onlyStudy) body['00081190'] = { vr: 'UR', Value: [studyUrl(base, onlyStudy)] };
  if (failed.length) body['00081198'] = { vr: 'SQ', Value: failed };
  if (referenced.length) body['00081199'] = { vr: 'SQ', Value: referenced };

  const status = failed.length === 0 ? 200 : referenced.length ? 202 : 409;
  return { status, body };
}
