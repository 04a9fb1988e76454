/**
 * Reads the data set of a stored file with dicom-parser, from the first bytes of the file only.
 * 256 KiB are read at first, and more (doubling, up to 64 MiB) only while the attributes before
 * Pixel Data do not fit. dicom-parser stops at the top-level Pixel Data header (its `untilTag`),
 * so the Pixel Data value is located and never read: its fragments are found by 8-byte reads of
 * their item headers (fragments.ts), and elements after it, if any, are parsed on their own.
 *
 * Limitation: dicom-parser parses bytes in memory, so every value before Pixel Data is read, large
 * private blobs included, and a file without Pixel Data is read whole; past 64 MiB of them the
 * file is refused (PAYLOAD_TOO_LARGE).
 */
import { AppError } from '../errors';
import {
  TAG,
  implicitVRs,
  pixelRepresentationOf,
  toDataSet,
  type DataElement,
  type DataSet,
  type ElementContext,
} from './dataset';
import { describeTag } from './dictionary';
import {
  asNotDicom,
  hasDicmPrefix,
  inflateDataSet,
  locateDataSet,
  type DataSetLocation,
} from './filemeta';
import { parseElements, tagNumber, tagString, type ParseResult, type Syntax } from './parser';
import { MemorySource, truncatedError, type ByteSource } from './source';

/** Enough for the header of nearly every instance, ophthalmic volumes included. */
const FIRST_READ_BYTES = 256 * 1024;
/** More than this before Pixel Data (or after it) is refused rather than held in memory. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const PIXEL_DATA = tagString(TAG.PixelData);

export interface ReadResult {
  location: DataSetLocation;
  /** Where values and frames lie: the stored file, or the inflated data set of a deflated one. */
  src: ByteSource;
  dataSet: DataSet;
  warnings: string[];
}

export interface ReadOptions {
  /** Stop before Pixel Data: neither it nor anything after it is located or read. */
  headerOnly?: boolean;
}

type Failure = Extract<ParseResult, { ok: false }>;

/** Where a failure happened, for messages. */
type Part = 'File Meta Information' | 'data set' | 'elements after Pixel Data';

/** The first bytes of the file were not enough; read more and try again. */
const MORE = Symbol('more bytes needed');

function overreadError(failure: Failure, part: Part, base: number, size: number): AppError {
  const elements = Object.values(failure.dataSet.elements);
  const last = elements.reduce<(typeof elements)[number] | undefined>(
    (a, b) => (a && a.dataOffset > b.dataOffset ? a : b),
    undefined,
  );
  if (!last) return new AppError('TRUNCATED', `File ends at byte ${size}, inside the ${part}`);

  const tag = describeTag(tagNumber(last.tag));
  const valueOffset = base + last.dataOffset;
  if (!last.hadUndefinedLength && valueOffset + last.length > size) {
    return truncatedError(tag, last.length, size - valueOffset);
  }
  return new AppError(
    'TRUNCATED',
    `File ends at byte ${size}, inside the ${part}, in the element or item after ${tag}`,
  );
}

function malformedError(failure: Failure, part: Part, base: number): AppError {
  const at = base + failure.position;
  return new AppError('NOT_DICOM', `Malformed ${part} near byte ${at}: ${failure.reason}`);
}

/** A failure of bytes that hold the whole file is final; of the first bytes only, maybe not. */
function failed(failure: Failure, part: Part, bytes: Uint8Array, src: ByteSource): typeof MORE {
  if (!failure.overread) throw malformedError(failure, part, 0);
  if (bytes.length < src.size) return MORE;
  throw overreadError(failure, part, 0, src.size);
}

function endOf(element: DataElement): number {
  return element.encapsulated ? element.encapsulated.end : element.offset + element.length;
}

/**
 * PS3.5 §7.1 orders elements by tag, so Pixel Data is usually last; a Digital Signatures
 * Sequence (FFFA,FFFA) or trailing padding may follow it. They are parsed from their own bytes.
 */
async function readAfterPixelData(
  dataSet: DataSet,
  ctx: ElementContext,
  syntax: Syntax,
): Promise<void> {
  const end = endOf(dataSet.get(TAG.PixelData)!);
  const { size } = ctx.src;
  if (end >= size) return;
  if (size - end > MAX_HEADER_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${size - end} bytes follow Pixel Data; not read`);
  }

  const whole = ctx.bytes.length === size;
  const bytes = whole ? ctx.bytes.subarray(end) : await ctx.src.read(end, size - end);
  const vrOf = implicitVRs(ctx.pixelRepresentation);
  const parsed = parseElements(bytes, 0, syntax, { vrOf });
  if (!parsed.ok) {
    const part = 'elements after Pixel Data';
    throw parsed.overread
      ? overreadError(parsed, part, end, size)
      : malformedError(parsed, part, end);
  }

  const tail = await toDataSet(parsed.dataSet, { ...ctx, bytes, base: end });
  for (const [tag, element] of tail) dataSet.set(tag, element);
}

async function readFrom(
  head: Uint8Array,
  src: ByteSource,
  options: ReadOptions,
): Promise<ReadResult | typeof MORE> {
  const location = await locateDataSet(head, src);
  if ('ok' in location) return failed(location, 'File Meta Information', head, src);

  let bytes = head;
  let dataSrc = src;
  let start = location.start;
  if (location.deflated) {
    bytes = await inflateDataSet(src, start);
    dataSrc = new MemorySource(bytes);
    start = 0;
  }

  const { syntax } = location;
  const parsed = parseElements(bytes, start, syntax, {
    untilTag: PIXEL_DATA,
    vrOf: (tag, dataSet) => implicitVRs(pixelRepresentationOf(dataSet))(tag),
  });
  if (!parsed.ok) return failed(parsed, 'data set', bytes, dataSrc);
  // Without Pixel Data in sight, the data set may go on past the bytes read so far.
  if (!parsed.reachedUntil && bytes.length < dataSrc.size) return MORE;

  if (options.headerOnly) delete parsed.dataSet.elements[PIXEL_DATA];
  const pixelRepresentation = pixelRepresentationOf(parsed.dataSet);
  const warnings = new Set<string>();
  const ctx: ElementContext = {
    bytes,
    base: 0,
    src: dataSrc,
    littleEndian: syntax.littleEndian,
    vr: implicitVRs(pixelRepresentation),
    pixelRepresentation,
    warnings,
  };
  const dataSet = await toDataSet(parsed.dataSet, ctx);
  if (!options.headerOnly && parsed.reachedUntil) await readAfterPixelData(dataSet, ctx, syntax);

  return { location, src: dataSrc, dataSet, warnings: [...location.warnings, ...warnings] };
}

async function extend(src: ByteSource, head: Uint8Array, length: number): Promise<Uint8Array> {
  const more = await src.read(head.length, length - head.length);
  const bytes = new Uint8Array(length);
  bytes.set(head);
  bytes.set(more, head.length);
  return bytes;
}

/**
 * Finds, parses and maps the data set of a stored file. Failures of files without the "DICM"
 * prefix read as NOT_DICOM: such a file may be anything.
 */
export async function readDataSet(src: ByteSource, options: ReadOptions = {}): Promise<ReadResult> {
  let head = await src.read(0, Math.min(FIRST_READ_BYTES, src.size));
  try {
    for (;;) {
      const result = await readFrom(head, src, options);
      if (result !== MORE) return result;
      if (head.length >= MAX_HEADER_BYTES) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `No Pixel Data (7FE0,0010) within the first ${MAX_HEADER_BYTES} bytes of a ` +
            `${src.size}-byte file: larger headers are not read`,
        );
      }
      head = await extend(src, head, Math.min(src.size, head.length * 2, MAX_HEADER_BYTES));
    }
  } catch (e) {
    throw hasDicmPrefix(head) ? e : asNotDicom(e);
  }
}
