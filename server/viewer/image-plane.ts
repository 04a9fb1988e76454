/**
 * Where each pixel of a frame lies, in millimetres: Pixel Spacing with a sanity check, and the
 * plane (PS3.3 C.7.6.2 Image Plane, or the Pixel Measures, Plane Position and Plane Orientation
 * functional groups of C.7.6.16.2 for enhanced multi-frame objects such as OCT volumes).
 *
 * The viewer feeds this plane to Cornerstone through its own metadata provider and converts
 * saved measurements with `imageToWorld` / `worldToImage`, so what is measured, drawn and stored
 * agree. Image points here are (x = column, y = row), continuous, with 0,0 at the top-left corner
 * of the first pixel: the convention of Reference Coordinates (0022,0032), with the order swapped.
 */
import { functionalGroup, nums, num, str, TAG, type DicomJson } from './dicom-json';

export type Vec3 = [number, number, number];

/** Larger spacings are not believed: no eye image has pixels a centimetre wide. */
export const MAX_PIXEL_SPACING_MM = 10;

export type PixelSpacing =
  | {
      status: 'ok';
      /** PixelSpacing value 1: the distance between the centres of adjacent rows, in mm. */
      rowSpacing: number;
      /** PixelSpacing value 2: the distance between the centres of adjacent columns, in mm. */
      columnSpacing: number;
      source: 'per-frame' | 'shared' | 'image';
    }
  | { status: 'absent' }
  | { status: 'refused'; values: number[]; reason: string };

/**
 * Pixel Spacing (0028,0030) of frame `frame` (1-based): the frame's own Pixel Measures, the
 * shared Pixel Measures, then the top-level attribute. Values that are not two positive numbers
 * of at most MAX_PIXEL_SPACING_MM are refused with a reason a person can read.
 */
export function pixelSpacing(ds: DicomJson, frame = 1): PixelSpacing {
  const perFrame = ds[TAG.PerFrameFunctionalGroupsSequence]?.Value?.[frame - 1] as
    DicomJson | undefined;
  const candidates: Array<[PixelSpacingSource, DicomJson | undefined]> = [
    ['per-frame', itemOf(perFrame, TAG.PixelMeasuresSequence)],
    ['shared', itemOf(sharedGroups(ds), TAG.PixelMeasuresSequence)],
    ['image', ds],
  ];
  for (const [source, holder] of candidates) {
    if (!holder?.[TAG.PixelSpacing]) continue;
    return checkSpacing(nums(holder, TAG.PixelSpacing), source);
  }
  return { status: 'absent' };
}

type PixelSpacingSource = 'per-frame' | 'shared' | 'image';

function sharedGroups(ds: DicomJson): DicomJson | undefined {
  return ds[TAG.SharedFunctionalGroupsSequence]?.Value?.[0] as DicomJson | undefined;
}

function itemOf(ds: DicomJson | undefined, tag: string): DicomJson | undefined {
  return ds?.[tag]?.Value?.[0] as DicomJson | undefined;
}

function checkSpacing(values: number[] | undefined, source: PixelSpacingSource): PixelSpacing {
  if (!values || values.length !== 2) {
    return {
      status: 'refused',
      values: values ?? [],
      reason: 'Pixel Spacing does not hold two numbers',
    };
  }
  const bad = values.find((v) => !(v > 0) || v > MAX_PIXEL_SPACING_MM);
  if (bad !== undefined) {
    const reason =
      bad > 0
        ? `Pixel Spacing of ${bad} mm per pixel is not plausible (more than ` +
          `${MAX_PIXEL_SPACING_MM} mm)`
        : `Pixel Spacing of ${bad} mm per pixel is not plausible (not above 0)`;
    return { status: 'refused', values, reason };
  }
  return { status: 'ok', rowSpacing: values[0], columnSpacing: values[1], source };
}

export interface ImagePlane {
  rows: number;
  columns: number;
  /** Direction of increasing column (along a row), and of increasing row. */
  rowCosines: Vec3;
  columnCosines: Vec3;
  /** Centre of the first pixel, in mm. */
  position: Vec3;
  /** Spacings used for geometry: the checked Pixel Spacing, or 1 when absent or refused. */
  rowSpacing: number;
  columnSpacing: number;
  spacing: PixelSpacing;
  frameOfReferenceUID?: string;
}

/** The plane of frame `frame` (1-based). Missing orientation and position get defaults. */
export function imagePlane(ds: DicomJson, frame = 1): ImagePlane {
  const spacing = pixelSpacing(ds, frame);
  const orientation =
    nums(functionalGroup(ds, frame, TAG.PlaneOrientationSequence), TAG.ImageOrientationPatient) ??
    nums(ds, TAG.ImageOrientationPatient);
  const position =
    nums(functionalGroup(ds, frame, TAG.PlanePositionSequence), TAG.ImagePositionPatient) ??
    nums(ds, TAG.ImagePositionPatient);
  const validOrientation = orientation?.length === 6 ? orientation : [1, 0, 0, 0, 1, 0];

  return {
    rows: num(ds, TAG.Rows) ?? 0,
    columns: num(ds, TAG.Columns) ?? 0,
    rowCosines: validOrientation.slice(0, 3) as Vec3,
    columnCosines: validOrientation.slice(3, 6) as Vec3,
    position: position?.length === 3 ? (position as Vec3) : [0, 0, 0],
    rowSpacing: spacing.status === 'ok' ? spacing.rowSpacing : 1,
    columnSpacing: spacing.status === 'ok' ? spacing.columnSpacing : 1,
    spacing,
    frameOfReferenceUID: str(ds, TAG.FrameOfReferenceUID),
  };
}

/** An image point (x = column, y = row; corner-based) in world millimetres. */
export function imageToWorld(plane: ImagePlane, [x, y]: [number, number]): Vec3 {
  const along = plane.columnSpacing * (x - 0.5);
  const down = plane.rowSpacing * (y - 0.5);
  return [0, 1, 2].map(
    (k) => plane.position[k] + plane.rowCosines[k] * along + plane.columnCosines[k] * down,
  ) as Vec3;
}

/** The image point of a world position, projected onto the plane. */
export function worldToImage(plane: ImagePlane, world: Vec3): [number, number] {
  const d = [0, 1, 2].map((k) => world[k] - plane.position[k]);
  const along =
    d[0] * plane.rowCosines[0] + d[1] * plane.rowCosines[1] + d[2] * plane.rowCosines[2];
  const down =
    d[0] * plane.columnCosines[0] + d[1] * plane.columnCosines[1] + d[2] * plane.columnCosines[2];
  return [along / plane.columnSpacing + 0.5, down / plane.rowSpacing + 0.5];
}

/** Physical distance in mm between two image points, or null without a usable spacing. */
export function physicalDistance(
  spacing: PixelSpacing,
  a: [number, number],
  b: [number, number],
): number | null {
  if (spacing.status !== 'ok') return null;
  const dx = (b[0] - a[0]) * spacing.columnSpacing;
  const dy = (b[1] - a[1]) * spacing.rowSpacing;
  return Math.hypot(dx, dy);
}
