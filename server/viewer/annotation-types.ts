/**
 * The shapes of saved measurements and annotations, shared by the tRPC procedures, the service
 * and the browser. Points are image points (x = column, y = row, 0,0 at the top-left corner of
 * the first pixel), not Cornerstone world coordinates, so a saved measurement does not depend on
 * how a viewer places images in space.
 */
import { z } from 'zod';

export const ANNOTATION_TOOLS = ['Length', 'RectangleROI', 'ArrowAnnotate', 'Label'] as const;
export type TAnnotationTool = (typeof ANNOTATION_TOOLS)[number];

const ZUid = z
  .string()
  .max(64)
  .regex(/^[0-9]+(\.[0-9]+)*$/, 'not a DICOM UID');

const ZPoint = z.tuple([z.number().finite(), z.number().finite()]);

export const ZAnnotationData = z.object({
  points: z.array(ZPoint).min(1).max(1000),
});
export type TAnnotationData = z.infer<typeof ZAnnotationData>;

export const ZAnnotationList = z.object({ studyInstanceUID: ZUid });

export const ZAnnotationSave = z.object({
  /** Absent: a new annotation. Present: replaces that annotation of the same user. */
  id: z.uuid().optional(),
  studyInstanceUID: ZUid,
  sopInstanceUID: ZUid,
  /** 1-based frame of a multi-frame image; absent for single-frame images. */
  frameNumber: z.number().int().min(1).max(100_000).optional(),
  toolName: z.enum(ANNOTATION_TOOLS),
  data: ZAnnotationData,
  label: z.string().trim().max(500).optional(),
  value: z.number().finite().optional(),
  unit: z.string().max(16).optional(),
});
export type TAnnotationSave = z.infer<typeof ZAnnotationSave>;

export const ZAnnotationDelete = z.object({ id: z.uuid() });

export interface SavedAnnotation {
  id: string;
  sopInstanceUID: string;
  frameNumber: number | null;
  toolName: TAnnotationTool;
  data: TAnnotationData;
  label: string | null;
  value: number | null;
  unit: string | null;
  updatedAt: string;
}
