/**
 * Stores one DICOM instance from a byte stream: stream to a temporary blob (never the whole
 * instance in memory), parse its header from that file, check it, make the blob durable, then
 * index it. An instance is acknowledged only when this resolves.
 */
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import { parseInstanceFile, readHeaderOnly } from '../dicom/parse';
import type { ParsedInstance } from '../dicom/types';
import type { ArchiveContext, UploadSite } from './context';
import { indexInstance } from './index-instance';

export interface StoreRequest {
  source: Readable;
  site: UploadSite;
  /** The study named in the URL (STOW-RS on /studies/{study}); the instance must match it. */
  studyInstanceUID?: string;
}

export interface StoreResult {
  status: 'stored' | 'already-stored';
  instanceId: string;
  patientId: string;
  sopClassUID: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  warnings: string[];
}

/** Identity of a refused instance when its header could be read, for the STOW response. */
export class RefusedInstance extends AppError {
  constructor(
    cause: AppError,
    readonly sopClassUID?: string,
    readonly sopInstanceUID?: string,
  ) {
    super(cause.code, cause.message, { cause });
  }
}

export async function storeInstance(ctx: ArchiveContext, req: StoreRequest): Promise<StoreResult> {
  const writer = await ctx.store.createWriter();
  let parsed: ParsedInstance | undefined;
  try {
    await pipeline(req.source, sizeLimit(ctx.config.MAX_PART_BYTES), writer.stream);
    await writer.finished;
    if (writer.size() === 0) {
      throw new AppError('BAD_REQUEST', 'The part is empty: it holds no DICOM data.');
    }

    parsed = await parseInstanceFile(writer.tempPath);
    checkAgainstRequest(parsed, req);
    crashPoint('after-temp-write');

    const key = await writer.commit();
    crashPoint('after-blob-commit');
    const blob = { key, sha256: writer.sha256(), size: writer.size() };
    const outcome = await indexInstance(ctx.db, parsed, blob, req.site);
    crashPoint('after-index');
    ctx.log.info(
      { instanceId: outcome.instanceId, status: outcome.status, bytes: blob.size },
      'instance stored',
    );
    return {
      status: outcome.status,
      instanceId: outcome.instanceId,
      patientId: outcome.patientId,
      sopClassUID: parsed.sopClassUID,
      sopInstanceUID: parsed.sopInstanceUID,
      studyInstanceUID: parsed.studyInstanceUID,
      seriesInstanceUID: parsed.seriesInstanceUID,
      warnings: parsed.warnings,
    };
  } catch (e) {
    const ids = parsed ?? (await identifyRefused(writer.tempPath));
    await writer.abort();
    const err =
      e instanceof AppError ? e : new AppError('INTERNAL', 'Storing failed', { cause: e });
    throw new RefusedInstance(err, ids?.sopClassUID, ids?.sopInstanceUID);
  }
}

/**
 * A refused instance is named in the STOW response by its SOP Class and Instance UIDs when its
 * header can be read at all, so the sender knows which of its files to fix.
 */
async function identifyRefused(
  tempPath: string,
): Promise<{ sopClassUID?: string; sopInstanceUID?: string } | undefined> {
  try {
    const { metadata } = await readHeaderOnly(tempPath);
    const uid = (tag: string) => {
      const v = metadata[tag]?.Value?.[0];
      return typeof v === 'string' && v ? v : undefined;
    };
    return { sopClassUID: uid('00080016'), sopInstanceUID: uid('00080018') };
  } catch {
    return undefined;
  }
}

function checkAgainstRequest(parsed: ParsedInstance, req: StoreRequest): void {
  if (req.studyInstanceUID && parsed.studyInstanceUID !== req.studyInstanceUID) {
    throw new AppError(
      'STUDY_UID_MISMATCH',
      `The instance's StudyInstanceUID (0020,000D) is ${parsed.studyInstanceUID}, but the ` +
        `request was made to study ${req.studyInstanceUID}.`,
    );
  }
}

function sizeLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) {
        done(new AppError('PAYLOAD_TOO_LARGE', `The part exceeds the limit of ${maxBytes} bytes.`));
        return;
      }
      done(null, chunk);
    },
  });
}

/**
 * Crash-consistency tests need the process to die at exact points of a store; nothing else can
 * make that happen on demand. Set ARCHIVE_CRASH_AT to one of the names below to kill the process
 * there (tests only; unset in every real deployment).
 */
function crashPoint(name: 'after-temp-write' | 'after-blob-commit' | 'after-index'): void {
  if (process.env.ARCHIVE_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
