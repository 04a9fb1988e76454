/**
 * Where the data set starts and how it is encoded: the PS3.10 §7.1 preamble and "DICM" prefix,
 * the File Meta Information (group 0002, always Explicit VR Little Endian), and the Transfer
 * Syntax UID (0002,0010). Files from the field lack any of these: the prefix (a bare data set),
 * the meta group, or only the Transfer Syntax UID. The encoding is then sniffed from the first
 * data set element, the way DCMTK and pydicom do. The meta group itself is read by dicom-parser.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';

import { AppError, isAppError } from '../errors';
import { implicitVRs, toDataSet, type DataSet } from './dataset';
import { parseElements, tagNumber, type ParseResult, type Syntax } from './parser';
import type { ByteSource } from './source';
import { KNOWN_VRS, isVRLike } from './vr';

export const TS = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
} as const;

const TransferSyntaxUID = 0x00020010; // (0002,0010)
const PREAMBLE_LENGTH = 128;
/** Inflated data sets larger than this are refused rather than held in memory. */
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

export interface DataSetLocation {
  /** Offset in the file of the data set (for deflated files: of the deflate stream). */
  start: number;
  syntax: Syntax;
  transferSyntaxUID: string;
  /** Deflated Explicit VR Little Endian: the data set must be inflated before it is read. */
  deflated: boolean;
  meta: DataSet;
  warnings: string[];
}

/** The meta group could not be read from the bytes at hand (see `ParseResult`). */
export type MetaFailure = Extract<ParseResult, { ok: false }>;

function syntaxOf(uid: string): Syntax {
  if (uid === TS.ImplicitVRLittleEndian) return { littleEndian: true, explicitVR: false };
  if (uid === TS.ExplicitVRBigEndian) return { littleEndian: false, explicitVR: true };
  // Every other transfer syntax, encapsulated ones included, is Explicit VR Little Endian.
  return { littleEndian: true, explicitVR: true };
}

/**
 * Guesses the encoding from the first element header: an explicit VR shows as two letters at
 * bytes 4-5, and big endian shows as a group number that reads larger swapped than unswapped.
 */
export function sniffSyntax(head: Uint8Array, at: number, strict = true): string | null {
  if (at + 8 > head.length) return null;
  const groupLE = head[at] | (head[at + 1] << 8);
  const groupBE = (head[at] << 8) | head[at + 1];
  const vr = String.fromCharCode(head[at + 4], head[at + 5]);
  const explicit = isVRLike(head[at + 4], head[at + 5]) && KNOWN_VRS.has(vr);
  const group = Math.min(groupLE, groupBE);

  // A bare data set starts with a low, even group (0002 meta or 0008 identification); after a
  // File Meta group the first element may be anything, even the odd groups some writers use.
  if (strict && (group === 0 || group > 0x0010 || group % 2 === 1)) return null;
  if (!explicit) return groupLE <= groupBE ? TS.ImplicitVRLittleEndian : null;
  return groupLE <= groupBE ? TS.ExplicitVRLittleEndian : TS.ExplicitVRBigEndian;
}

/** PS3.10 §7.1: a 128-byte preamble, then the four bytes "DICM". */
export function hasDicmPrefix(head: Uint8Array): boolean {
  if (head.length < PREAMBLE_LENGTH + 4) return false;
  const magic = head.subarray(PREAMBLE_LENGTH, PREAMBLE_LENGTH + 4);
  return String.fromCharCode(...magic) === 'DICM';
}

async function readMeta(
  head: Uint8Array,
  start: number,
  src: ByteSource,
): Promise<{ meta: DataSet; end: number; warnings: string[] } | MetaFailure> {
  const encoding = sniffSyntax(head, start);
  const warnings: string[] = [];
  if (encoding !== TS.ExplicitVRLittleEndian) {
    warnings.push('File Meta Information is not Explicit VR Little Endian as PS3.10 requires');
  }
  const syntax = syntaxOf(encoding ?? TS.ExplicitVRLittleEndian);
  const metaVR = implicitVRs(0);
  const parsed = parseElements(head, start, syntax, {
    stopBefore: (tag) => tagNumber(tag) >>> 16 !== 0x0002,
    vrOf: metaVR,
  });
  if (!parsed.ok) return parsed;

  const found = new Set<string>();
  const context = {
    bytes: head,
    base: 0,
    src,
    littleEndian: syntax.littleEndian,
    vr: metaVR,
    pixelRepresentation: 0,
    warnings: found,
  };
  const meta = await toDataSet(parsed.dataSet, context);
  return { meta, end: parsed.position, warnings: [...warnings, ...found] };
}

function metaTransferSyntax(meta: DataSet): string | null {
  const bytes = meta.get(TransferSyntaxUID)?.bytes;
  if (!bytes) return null;
  const uid = String.fromCharCode(...bytes).replace(/[\0 ]+$/, '');
  return uid === '' ? null : uid;
}

/**
 * PS3.5 §A.5: after the meta group, the rest of the file is one raw deflate stream.
 * Limitation: the inflated data set is held in memory, so its frames are not located in the
 * stored file; deflate is only used for small objects in practice.
 */
export async function inflateDataSet(src: ByteSource, start: number): Promise<Uint8Array> {
  if (src.size - start > MAX_INFLATED_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'Deflated data set is larger than the size limit');
  }
  const compressed = await src.read(start, src.size - start);
  const options = { maxOutputLength: MAX_INFLATED_BYTES };
  try {
    return inflateRawSync(compressed, options);
  } catch (raw) {
    try {
      // Some writers wrap the stream in a zlib header against the standard.
      return inflateSync(compressed, options);
    } catch {
      const tooLarge =
        raw instanceof RangeError || (raw as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      if (tooLarge) {
        throw new AppError('PAYLOAD_TOO_LARGE', 'Deflated data set inflates past the size limit');
      }
      throw new AppError('NOT_DICOM', 'Deflated data set cannot be inflated', { cause: raw });
    }
  }
}

function startsWithGroup(head: Uint8Array, group: number): boolean {
  return head.length >= 8 && (head[0] | (head[1] << 8)) === group;
}

/**
 * Finds the data set in the first bytes of a stored file (`head`, from offset 0) and how to
 * read it; a MetaFailure when the meta group cannot be read from `head`.
 */
export async function locateDataSet(
  head: Uint8Array,
  src: ByteSource,
): Promise<DataSetLocation | MetaFailure> {
  const hasPreamble = hasDicmPrefix(head);
  const metaStart = hasPreamble ? PREAMBLE_LENGTH + 4 : 0;
  const startsWithMeta = hasPreamble || startsWithGroup(head, 0x0002);
  const read = startsWithMeta
    ? await readMeta(head, metaStart, src)
    : { meta: new Map() as DataSet, end: 0, warnings: [] as string[] };
  if ('ok' in read) return read;
  const { meta, end, warnings } = read;
  const base = { meta, warnings };

  const declared = metaTransferSyntax(meta);
  if (declared === TS.DeflatedExplicitVRLittleEndian) {
    const syntax = syntaxOf(declared);
    return { ...base, start: end, syntax, transferSyntaxUID: declared, deflated: true };
  }

  const sniffed = sniffSyntax(head, end, meta.size === 0);
  const transferSyntaxUID = declared ?? sniffed;
  if (!transferSyntaxUID) {
    throw new AppError('NOT_DICOM', 'No DICOM data set found (no recognisable first element)');
  }
  if (!declared) {
    warnings.push('no Transfer Syntax UID (0002,0010); encoding sniffed from the data');
  }
  const syntax = chooseSyntax(transferSyntaxUID, sniffed, warnings);
  return { ...base, start: end, syntax, transferSyntaxUID, deflated: false };
}

/**
 * A transfer syntax that says explicit VR over a data set written in implicit VR is a known
 * fault of some writers; the bytes win, with a warning.
 */
function chooseSyntax(declared: string, sniffed: string | null, warnings: string[]): Syntax {
  const syntax = syntaxOf(declared);
  if (syntax.explicitVR && sniffed === TS.ImplicitVRLittleEndian) {
    warnings.push('data set is Implicit VR although the Transfer Syntax UID says explicit');
    return syntaxOf(TS.ImplicitVRLittleEndian);
  }
  return syntax;
}

/** Whether a failure while reading a file without the DICM prefix means "not DICOM at all". */
export function asNotDicom(e: unknown): AppError {
  if (isAppError(e) && e.code !== 'TRUNCATED' && e.code !== 'NOT_DICOM') return e;
  const reason = isAppError(e) ? e.message : 'unreadable';
  return new AppError('NOT_DICOM', `No DICM prefix and the data set cannot be read: ${reason}`, {
    cause: e,
  });
}
