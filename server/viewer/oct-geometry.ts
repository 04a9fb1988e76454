/**
 * Where each B-scan of an OCT volume lies on its localizer (the fundus or SLO image taken with
 * it), from the Ophthalmic Frame Location Sequence (0022,0031) of each frame (PS3.3
 * C.8.17.10.1). Pure functions of the WADO-RS metadata, shared by the browser viewer and tests.
 *
 * Reference Coordinates (0022,0032) are (row, column) pairs on the referenced image, sub-pixel,
 * with 0.0\0.0 at the top-left corner of the top-left pixel. A LINEAR frame gives the localizer
 * positions of its first and last columns; other frames give more points, read here as a
 * polyline (for TRANSVERSE frames, the corners of the scanned rectangle).
 */
import { functionalGroup, items, num, nums, str, TAG, type DicomJson } from './dicom-json';

/** A localizer point as Reference Coordinates write it: [row, column]. */
export type RowColumn = [number, number];

export interface OctGeometry {
  frames: number;
  /** The localizer most frames refer to; null when the volume names none. */
  localizer: { sopInstanceUID: string; sopClassUID?: string } | null;
  /** Per frame (index 0 is frame 1): its path on the localizer, or null when not given. */
  lines: Array<RowColumn[] | null>;
}

/** The geometry of an Ophthalmic Tomography instance from its DICOM JSON metadata. */
export function octGeometry(ds: DicomJson): OctGeometry {
  const frames = Math.max(1, num(ds, TAG.NumberOfFrames) ?? 1);
  const perFrame = Array.from({ length: frames }, (_, i) =>
    items(frameGroupItem(ds, i + 1), TAG.OphthalmicFrameLocationSequence),
  );
  const localizer = mostReferenced(perFrame) ?? referencedImage(ds);

  const lines = perFrame.map((locations) => {
    const own = locations.find(
      (l) => str(l, TAG.ReferencedSOPInstanceUID) === localizer?.sopInstanceUID,
    );
    return own ? coordinatePairs(own) : null;
  });
  return { frames, localizer, lines };
}

/**
 * The frame's functional group item that holds the Ophthalmic Frame Location Sequence: it is
 * per-frame in practice, but a volume of one frame may put it in the shared groups.
 */
function frameGroupItem(ds: DicomJson, frame: number): DicomJson | undefined {
  const perFrame = items(ds, TAG.PerFrameFunctionalGroupsSequence)[frame - 1];
  if (perFrame?.[TAG.OphthalmicFrameLocationSequence]) return perFrame;
  return items(ds, TAG.SharedFunctionalGroupsSequence)[0];
}

function mostReferenced(perFrame: DicomJson[][]): OctGeometry['localizer'] {
  const counts = new Map<string, { n: number; sopClassUID?: string }>();
  for (const locations of perFrame) {
    for (const l of locations) {
      const uid = str(l, TAG.ReferencedSOPInstanceUID);
      if (!uid) continue;
      const seen = counts.get(uid) ?? { n: 0, sopClassUID: str(l, TAG.ReferencedSOPClassUID) };
      seen.n += 1;
      counts.set(uid, seen);
    }
  }
  let best: OctGeometry['localizer'] = null;
  let bestCount = 0;
  for (const [uid, { n, sopClassUID }] of counts) {
    if (n > bestCount) [best, bestCount] = [{ sopInstanceUID: uid, sopClassUID }, n];
  }
  return best;
}

/** Without frame locations, the Referenced Image Sequence of the functional groups. */
function referencedImage(ds: DicomJson): OctGeometry['localizer'] {
  const ref = functionalGroup(ds, 1, TAG.ReferencedImageSequence);
  const uid = str(ref, TAG.ReferencedSOPInstanceUID);
  return uid ? { sopInstanceUID: uid, sopClassUID: str(ref, TAG.ReferencedSOPClassUID) } : null;
}

function coordinatePairs(location: DicomJson): RowColumn[] | null {
  const v = nums(location, TAG.ReferenceCoordinates);
  if (!v || v.length < 2 || v.length % 2 !== 0) return null;
  const out: RowColumn[] = [];
  for (let i = 0; i < v.length; i += 2) out.push([v[i], v[i + 1]]);
  return out;
}

/** Distance from a point to a polyline, both as [row, column] in localizer pixels. */
export function distanceToPath(point: RowColumn, path: RowColumn[]): number {
  if (path.length === 1) return Math.hypot(point[0] - path[0][0], point[1] - path[0][1]);
  let best = Infinity;
  for (let i = 0; i + 1 < path.length; i++) {
    best = Math.min(best, distanceToSegment(point, path[i], path[i + 1]));
  }
  return best;
}

function distanceToSegment(p: RowColumn, a: RowColumn, b: RowColumn): number {
  const [dr, dc] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dr * dr + dc * dc;
  const t = len2 === 0 ? 0 : ((p[0] - a[0]) * dr + (p[1] - a[1]) * dc) / len2;
  const u = Math.min(1, Math.max(0, t));
  return Math.hypot(p[0] - (a[0] + u * dr), p[1] - (a[1] + u * dc));
}

/**
 * The 0-based index of the B-scan whose path passes nearest to a localizer point; the lowest
 * index wins a tie. Null when no frame has a location.
 */
export function nearestFrame(geometry: OctGeometry, point: RowColumn): number | null {
  let best: number | null = null;
  let bestDistance = Infinity;
  geometry.lines.forEach((path, i) => {
    if (!path) return;
    const d = distanceToPath(point, path);
    if (d < bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}
