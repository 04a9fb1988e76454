/**
 * Gathers what the renderer needs for one instance: the pixel description stored at ingest,
 * VOI and Modality LUT values from its metadata, and palette tables (which may be bulk data
 * in the file) — so rendering reads only the frame and, for palettes, the tables.
 */
import type { ArchiveContext } from '../archive/context';
import type { StoredInstance } from '../archive/retrieve';
import type { DicomJson, DicomJsonAttribute } from '../dicom/types';
import type { PaletteChannel, PixelInfo } from '../render/types';

function values(json: DicomJson, tag: string): unknown[] | undefined {
  return json[tag]?.Value;
}

function numbers(json: DicomJson, tag: string): number[] | undefined {
  const v = values(json, tag);
  return v?.map(Number).filter((n) => Number.isFinite(n));
}

async function binary(
  ctx: ArchiveContext,
  inst: StoredInstance,
  attr: DicomJsonAttribute | undefined,
  tag: string,
  bulk: Record<string, [number, number]>,
): Promise<Uint8Array | undefined> {
  if (!attr) return undefined;
  if (attr.InlineBinary) return Buffer.from(attr.InlineBinary, 'base64');
  const range = bulk[tag];
  if (!range) return undefined;
  return ctx.store.readRanges(inst.storageKey, [range]);
}

async function channel(
  ctx: ArchiveContext,
  inst: StoredInstance,
  json: DicomJson,
  bulk: Record<string, [number, number]>,
  descTag: string,
  dataTag: string,
  segTag: string,
): Promise<PaletteChannel | undefined> {
  const d = numbers(json, descTag);
  if (!d || d.length < 3) return undefined;
  return {
    descriptor: [d[0], d[1], d[2]],
    data: await binary(ctx, inst, json[dataTag], dataTag, bulk),
    segmentedData: await binary(ctx, inst, json[segTag], segTag, bulk),
  };
}

export async function renderInput(
  ctx: ArchiveContext,
  inst: StoredInstance,
  json: DicomJson,
  bulk: Record<string, [number, number]>,
): Promise<PixelInfo> {
  const p = inst.pixelInfo!;
  const info: PixelInfo = {
    rows: p.rows,
    columns: p.columns,
    samplesPerPixel: p.samplesPerPixel,
    photometricInterpretation: p.photometricInterpretation,
    bitsAllocated: p.bitsAllocated,
    bitsStored: p.bitsStored,
    highBit: p.highBit,
    pixelRepresentation: p.pixelRepresentation,
    planarConfiguration: p.planarConfiguration,
    pixelDataVR: json['7FE00010']?.vr === 'OB' ? 'OB' : 'OW',
    windowCenter: numbers(json, '00281050'),
    windowWidth: numbers(json, '00281051'),
    voiLutFunction: values(json, '00281056')?.[0] as string | undefined,
    rescaleSlope: numbers(json, '00281053')?.[0],
    rescaleIntercept: numbers(json, '00281052')?.[0],
  };
  if (p.photometricInterpretation === 'PALETTE COLOR') {
    const red = await channel(ctx, inst, json, bulk, '00281101', '00281201', '00281221');
    const green = await channel(ctx, inst, json, bulk, '00281102', '00281202', '00281222');
    const blue = await channel(ctx, inst, json, bulk, '00281103', '00281203', '00281223');
    if (red && green && blue) info.palette = { red, green, blue };
  }
  return info;
}
