/**
 * Where the data set starts and how it is encoded: the PS3.10 §7.1 preamble and "DICM" prefix,
 * the File Meta Information (group 0002, always Explicit VR Little Endian), and the Transfer
 * Syntax UID (0002,0010). Files from the field lack any of these: the prefix (a bare data set),
 * the meta group, or only the Transfer Syntax UID. The encoding is then sniffed from the first
 * data set element, the way DCMTK and pydicom do.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';

import { AppError, isAppError } from '../errors';
import { MemorySource, type ByteSource } from './source';
import { KNOWN_VRS, isVRLike } from './vr';
import { walkDataSet, type DataSet, type Syntax } from './walker';

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
  /** Where to read the data set: the file, or the inflated bytes of a deflated file. */
  src: ByteSource;
  start: number;
  syntax: Syntax;
  transferSyntaxUID: string;
  inflated: boolean;
  meta: DataSet;
  warnings: string[];
}

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
export async function sniffSyntax(
  src: ByteSource,
  at: number,
  strict = true,
): Promise<string | null> {
  if (at + 8 > src.size) return null;
  const head = await src.read(at, 8);
  const groupLE = head[0] | (head[1] << 8);
  const groupBE = (head[0] << 8) | head[1];
  const explicit =
    isVRLike(head[4], head[5]) && KNOWN_VRS.has(String.fromCharCode(head[4], head[5]));
  const group = Math.min(groupLE, groupBE);

  // A bare data set starts with a low, even group (0002 meta or 0008 identification); after a
  // File Meta group the first element may be anything, even the odd groups some writers use.
  if (strict && (group === 0 || group > 0x0010 || group % 2 === 1)) return null;
  if (!explicit) return groupLE <= groupBE ? TS.ImplicitVRLittleEndian : null;
  return groupLE <= groupBE ? TS.ExplicitVRLittleEndian : TS.ExplicitVRBigEndian;
}

/** PS3.10 §7.1: a 128-byte preamble, then the four bytes "DICM". */
export async function hasDicmPrefix(src: ByteSource): Promise<boolean> {
  if (src.size < PREAMBLE_LENGTH + 4) return false;
  const magic = await src.read(PREAMBLE_LENGTH, 4);
  return String.fromCharCode(...magic) === 'DICM';
}

async function readMeta(
  src: ByteSource,
  start: number,
): Promise<{ meta: DataSet; end: number; warnings: string[] }> {
  const encoding = await sniffSyntax(src, start);
  const syntax = syntaxOf(encoding ?? TS.ExplicitVRLittleEndian);
  const warnings: string[] = [];
  if (encoding !== TS.ExplicitVRLittleEndian) {
    warnings.push('File Meta Information is not Explicit VR Little Endian as PS3.10 requires');
  }
  const result = await walkDataSet(src, start, syntax, (tag) => tag >>> 16 !== 0x0002);
  return { meta: result.dataSet, end: result.end, warnings: [...warnings, ...result.warnings] };
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
async function inflateDataSet(src: ByteSource, start: number): Promise<MemorySource> {
  if (src.size - start > MAX_INFLATED_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'Deflated data set is larger than the size limit');
  }
  const compressed = await src.read(start, src.size - start);
  const options = { maxOutputLength: MAX_INFLATED_BYTES };
  try {
    return new MemorySource(inflateRawSync(compressed, options));
  } catch (raw) {
    try {
      // Some writers wrap the stream in a zlib header against the standard.
      return new MemorySource(inflateSync(compressed, options));
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

/** Finds the data set in a stored file and how to read it. */
export async function locateDataSet(src: ByteSource): Promise<DataSetLocation> {
  const hasPreamble = await hasDicmPrefix(src);
  const metaStart = hasPreamble ? PREAMBLE_LENGTH + 4 : 0;
  const startsWithMeta = hasPreamble || (await startsWithGroup(src, 0x0002));
  const { meta, end, warnings } = startsWithMeta
    ? await readMeta(src, metaStart)
    : { meta: new Map() as DataSet, end: 0, warnings: [] as string[] };
  const base = { meta, warnings };

  const declared = metaTransferSyntax(meta);
  if (declared === TS.DeflatedExplicitVRLittleEndian) {
    const inflated = await inflateDataSet(src, end);
    const syntax = syntaxOf(declared);
    return {
      ...base,
      src: inflated,
      start: 0,
      syntax,
      transferSyntaxUID: declared,
      inflated: true,
    };
  }

  const sniffed = await sniffSyntax(src, end, meta.size === 0);
  const transferSyntaxUID = declared ?? sniffed;
  if (!transferSyntaxUID) {
    throw new AppError('NOT_DICOM', 'No DICOM data set found (no recognisable first element)');
  }
  if (!declared) {
    warnings.push('no Transfer Syntax UID (0002,0010); encoding sniffed from the data');
  }
  const syntax = chooseSyntax(transferSyntaxUID, sniffed, warnings);
  return { ...base, src, start: end, syntax, transferSyntaxUID, inflated: false };
}

async function startsWithGroup(src: ByteSource, group: number): Promise<boolean> {
  if (src.size < 8) return false;
  const head = await src.read(0, 2);
  return (head[0] | (head[1] << 8)) === group;
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
