/**
 * Small readers for the DICOM JSON model (PS3.18 Annex F) as WADO-RS metadata serves it. Used by
 * the viewer in the browser and by tests, so nothing here may import Node modules.
 *
 * Numbers are accepted both as JSON numbers (what Annex F says for DS, IS, FD...) and as strings
 * (what some archives send for DS and IS).
 */
import type { DicomJson } from '../dicom/types';

export type { DicomJson };

/** The Value array of `tag`, or an empty array when the attribute is absent or empty. */
export function values(ds: DicomJson | undefined, tag: string): unknown[] {
  return (ds?.[tag]?.Value as unknown[] | undefined) ?? [];
}

export function str(ds: DicomJson | undefined, tag: string): string | undefined {
  const v = values(ds, tag)[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'Alphabetic' in (v as object)) {
    return String((v as { Alphabetic?: string }).Alphabetic ?? '');
  }
  return String(v);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function num(ds: DicomJson | undefined, tag: string): number | undefined {
  return toNumber(values(ds, tag)[0]);
}

/** All values as numbers; undefined if any value is not a number. */
export function nums(ds: DicomJson | undefined, tag: string): number[] | undefined {
  const vs = values(ds, tag);
  if (vs.length === 0) return undefined;
  const out = vs.map(toNumber);
  return out.every((n) => n !== undefined) ? (out as number[]) : undefined;
}

/** The items of a sequence attribute. */
export function items(ds: DicomJson | undefined, tag: string): DicomJson[] {
  return values(ds, tag).filter((v): v is DicomJson => typeof v === 'object' && v !== null);
}

/** The first item of a sequence attribute. */
export function firstItem(ds: DicomJson | undefined, seqTag: string): DicomJson | undefined {
  return items(ds, seqTag)[0];
}

/** Tags the viewer reads, by standard keyword (PS3.6). */
export const TAG = {
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  Modality: '00080060',
  SeriesDescription: '0008103E',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImageLaterality: '00200062',
  ImageType: '00080008',
  FrameOfReferenceUID: '00200052',
  SamplesPerPixel: '00280002',
  PhotometricInterpretation: '00280004',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  PixelSpacing: '00280030',
  ImagerPixelSpacing: '00181164',
  FrameTime: '00181063',
  FrameTimeVector: '00181065',
  CineRate: '00180040',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  PixelData: '7FE00010',
  FloatPixelData: '7FE00008',
  DoubleFloatPixelData: '7FE00009',
  SharedFunctionalGroupsSequence: '52009229',
  PerFrameFunctionalGroupsSequence: '52009230',
  PixelMeasuresSequence: '00289110',
  PlanePositionSequence: '00209113',
  PlaneOrientationSequence: '00209116',
  OphthalmicFrameLocationSequence: '00220031',
  ReferenceCoordinates: '00220032',
  ReferencedSOPInstanceUID: '00081155',
  ReferencedSOPClassUID: '00081150',
  ReferencedImageSequence: '00081140',
} as const;

/**
 * A functional group (PS3.3 C.7.6.16) item for frame `frame` (1-based): the per-frame item
 * when that frame has it, else the shared one, else undefined.
 */
export function functionalGroup(
  ds: DicomJson,
  frame: number,
  groupTag: string,
): DicomJson | undefined {
  const perFrame = items(ds, TAG.PerFrameFunctionalGroupsSequence)[frame - 1];
  const own = firstItem(perFrame, groupTag);
  if (own) return own;
  return firstItem(items(ds, TAG.SharedFunctionalGroupsSequence)[0], groupTag);
}
