/**
 * PALETTE COLOR tables in the form Cornerstone's WADO-RS image loader reads. The loader takes
 * each table from the `Value` of (0028,1201-1203) only, but DICOM JSON never carries OW there:
 * WADO-RS sends it as InlineBinary or as a BulkDataURI (PS3.18 F.2.7), and a segmented table
 * (0028,1221-1223) the loader does not read at all. So before an instance's metadata goes to
 * the loader, each table is expanded here (the same code the server's renderer uses) to 8-bit
 * entries and written as a plain number `Value`: the loader then maps them unchanged.
 *
 * Browser and Node alike: no Node modules.
 */
import { channelTable } from '../dicom/palette-table';
import { nums, str, TAG, type DicomJson } from './dicom-json';

const CHANNELS = [
  { descriptor: '00281101', data: '00281201', segmented: '00281221' },
  { descriptor: '00281102', data: '00281202', segmented: '00281222' },
  { descriptor: '00281103', data: '00281203', segmented: '00281223' },
] as const;

type Element = { vr?: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string };

export function isPalette(ds: DicomJson): boolean {
  return str(ds, TAG.PhotometricInterpretation) === 'PALETTE COLOR';
}

/** The bulk data URIs of the tables, which the caller fetches before `withPaletteValues`. */
export function paletteBulkDataUris(ds: DicomJson): string[] {
  if (!isPalette(ds)) return [];
  return CHANNELS.flatMap((c) => [c.data, c.segmented])
    .map((tag) => (ds[tag] as Element | undefined)?.BulkDataURI)
    .filter((u): u is string => !!u);
}

function base64Bytes(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function bytesOf(el: Element | undefined, bulk: Map<string, Uint8Array>): Uint8Array | undefined {
  if (!el) return undefined;
  if (el.InlineBinary !== undefined) return base64Bytes(el.InlineBinary);
  if (el.BulkDataURI !== undefined) {
    const bytes = bulk.get(el.BulkDataURI);
    if (!bytes) throw new Error(`palette table ${el.BulkDataURI} was not fetched`);
    return bytes;
  }
  return undefined;
}

/**
 * A copy of `ds` whose palette tables are 8-bit entries in `Value`; `ds` itself when it is not
 * a palette image. Throws, naming the problem, when a table is missing or malformed.
 * `bulk` holds the bytes of each BulkDataURI the tables use.
 */
export function withPaletteValues(
  ds: DicomJson,
  bulk: Map<string, Uint8Array> = new Map(),
): DicomJson {
  if (!isPalette(ds)) return ds;
  const out: DicomJson = { ...ds };
  for (const c of CHANNELS) {
    const descriptor = nums(ds, c.descriptor);
    if (!descriptor || descriptor.length !== 3) {
      throw new Error(`PALETTE COLOR without a valid descriptor (${c.descriptor})`);
    }
    const data = bytesOf(ds[c.data] as Element | undefined, bulk);
    const segmentedData = bytesOf(ds[c.segmented] as Element | undefined, bulk);
    if (!data && !segmentedData) throw new Error(`PALETTE COLOR without table data (${c.data})`);
    // WADO-RS JSON is little endian whatever the stored transfer syntax (PS3.18 F.2.7).
    const table = channelTable(
      { descriptor: descriptor as [number, number, number], data, segmentedData },
      false,
    );
    out[c.data] = { vr: 'OW', Value: Array.from(table) } as DicomJson[string];
    delete out[c.segmented];
  }
  return out;
}
