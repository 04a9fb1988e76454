/**
 * The value saved with a measurement, from its image points and the frame's checked Pixel
 * Spacing: the same formula Cornerstone uses on screen (distances in pixel index space scaled
 * by the column and row spacings), computed here so that the stored value does not depend on
 * when Cornerstone last refreshed its statistics.
 */
import type { TAnnotationTool } from './annotation-types';
import type { PixelSpacing } from './image-plane';

export interface Measured {
  value: number;
  unit: 'mm' | 'mm²' | 'px' | 'px²';
}

type Point = [number, number];

function scaled(spacing: PixelSpacing, a: Point, b: Point): Point {
  const [sx, sy] = spacing.status === 'ok' ? [spacing.columnSpacing, spacing.rowSpacing] : [1, 1];
  return [(b[0] - a[0]) * sx, (b[1] - a[1]) * sy];
}

/**
 * Length: the distance between the two points. RectangleROI: the area of the parallelogram on
 * the first corner and its two neighbours (points 1 and 2, as Cornerstone orders corners).
 * Text annotations measure nothing.
 */
export function measure(
  tool: TAnnotationTool,
  points: Point[],
  spacing: PixelSpacing,
): Measured | null {
  const physical = spacing.status === 'ok';
  if (tool === 'Length' && points.length >= 2) {
    const [dx, dy] = scaled(spacing, points[0], points[1]);
    return { value: Math.hypot(dx, dy), unit: physical ? 'mm' : 'px' };
  }
  if (tool === 'RectangleROI' && points.length >= 3) {
    const u = scaled(spacing, points[0], points[1]);
    const v = scaled(spacing, points[0], points[2]);
    return { value: Math.abs(u[0] * v[1] - u[1] * v[0]), unit: physical ? 'mm²' : 'px²' };
  }
  return null;
}
