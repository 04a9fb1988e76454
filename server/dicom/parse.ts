/**
 * Ingest-time parsing of one stored DICOM Part 10 file (PS3.10 §7) into a ParsedInstance: the
 * identifying UIDs, the indexed attributes, DICOM JSON metadata, and where every frame and bulk
 * value lies in the file. dicom-parser parses the header bytes only (read.ts) and pixel fragments
 * are only located, so a 500 MB OCT volume costs a few hundred KB of memory and a few reads.
 */
import { unknownCharacterSets } from './charset';
import type { DataSet } from './dataset';
import { describeTag } from './dictionary';
import { requiredUIDs, indexedFields, specificCharacterSetText } from './fields';
import type { DataSetLocation } from './filemeta';
import { buildMetadata, characterSetOf } from './json';
import { describePixelData } from './pixels';
import { readDataSet } from './read';
import { sopClassInfo, transferSyntaxInfo } from './registry';
import { FileSource, type ByteSource } from './source';
import type { DicomJson, ParsedInstance, PixelDataInfo } from './types';

const MediaStorageSOPClassUID = 0x00020002; // (0002,0002)
const SOPClassUID = 0x00080016; // (0008,0016)

async function withFile<T>(path: string, run: (src: FileSource) => Promise<T>): Promise<T> {
  const src = await FileSource.open(path);
  try {
    return await run(src);
  } finally {
    await src.close();
  }
}

function first(dataSet: DataSet, tag: number): string | null {
  const bytes = dataSet.get(tag)?.bytes;
  if (!bytes) return null;
  return String.fromCharCode(...bytes).replace(/[\0 ]+$/, '') || null;
}

/** Things a human should know that do not stop ingest. */
function contentWarnings(
  location: DataSetLocation,
  dataSet: DataSet,
  sopClassUID: string,
  pixelData: PixelDataInfo | null,
): string[] {
  const warnings: string[] = [];
  if (!sopClassInfo(sopClassUID).known) warnings.push('unknown or private SOP class');

  const metaClass = first(location.meta, MediaStorageSOPClassUID);
  if (metaClass && metaClass !== sopClassUID) {
    warnings.push(
      `${describeTag(MediaStorageSOPClassUID)} differs from ${describeTag(SOPClassUID)}`,
    );
  }

  const ts = transferSyntaxInfo(location.transferSyntaxUID);
  if (!ts.known) warnings.push('unknown or private transfer syntax');
  if (pixelData && (!ts.known || !ts.decodable)) {
    const kind = pixelData.encapsulated ? 'encapsulated' : 'stored';
    warnings.push(`pixel data ${kind} in a transfer syntax this server cannot decode`);
  }
  if (pixelData && ts.known && ts.encapsulated !== pixelData.encapsulated) {
    warnings.push('pixel data encoding does not match the transfer syntax');
  }

  const unknown = unknownCharacterSets(characterSetOf(dataSet, []));
  if (unknown.length > 0) warnings.push(`unknown Specific Character Set term(s) read as Latin-1`);
  return warnings;
}

/** Parses a data set held by any ByteSource (the stored file, or bytes in tests). */
export async function parseInstanceSource(src: ByteSource): Promise<ParsedInstance> {
  const { location, src: values, dataSet, warnings } = await readDataSet(src);
  const uids = requiredUIDs(dataSet, warnings);

  const pixels = await describePixelData(values, dataSet, { deflated: location.deflated });
  const { metadata, bulkElements } = buildMetadata(dataSet, { inflated: location.deflated });
  const fields = indexedFields(dataSet);
  if (pixels.pixelData) fields.instance.numberOfFrames = pixels.pixelData.numberOfFrames;

  return {
    transferSyntaxUID: location.transferSyntaxUID,
    ...uids,
    specificCharacterSet: specificCharacterSetText(dataSet),
    ...fields,
    pixelData: pixels.pixelData,
    metadata,
    bulkElements,
    warnings: [
      ...warnings,
      ...pixels.warnings,
      ...contentWarnings(location, dataSet, uids.sopClassUID, pixels.pixelData),
    ],
  };
}

/**
 * Parses a stored instance right after it was written to disk. Throws AppError: NOT_DICOM,
 * TRUNCATED, MISSING_ATTRIBUTE or INVALID_ATTRIBUTE (messages name tags, never values).
 */
export async function parseInstanceFile(path: string): Promise<ParsedInstance> {
  return withFile(path, parseInstanceSource);
}

export interface HeaderOnly {
  transferSyntaxUID: string;
  /** DICOM JSON of the attributes before Pixel Data; nothing is required to be present. */
  metadata: DicomJson;
  warnings: string[];
}

/**
 * Reads the attributes before Pixel Data, for a quick look at a file (which study, which SOP
 * class) without locating frames or insisting on the identifying UIDs.
 */
export async function readHeaderOnly(path: string): Promise<HeaderOnly> {
  return withFile(path, async (src) => {
    const { location, dataSet, warnings } = await readDataSet(src, { headerOnly: true });
    const { metadata } = buildMetadata(dataSet, { inflated: location.deflated });
    return { transferSyntaxUID: location.transferSyntaxUID, metadata, warnings };
  });
}
