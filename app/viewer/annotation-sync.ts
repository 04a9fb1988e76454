/**
 * Keeps Cornerstone's annotations of one view and the server's saved copies in step: a finished
 * measurement is saved, a moved one saved again (debounced), a deleted one deleted; saved ones
 * are drawn again when the view opens. Points travel as image points (server/viewer), converted
 * from and to Cornerstone's world coordinates with the frame's plane.
 */
import { eventTarget, type Types } from '@cornerstonejs/core';
import {
  annotation as csAnnotation,
  Enums as ToolEnums,
  utilities as toolUtilities,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { SavedAnnotation, TAnnotationTool } from '@/server/viewer/annotation-types';
import { ANNOTATION_TOOLS } from '@/server/viewer/annotation-types';
import { imageToWorld, worldToImage, type Vec3 } from '@/server/viewer/image-plane';
import { measure } from '@/server/viewer/measure';
import { showArea, showLength, type LengthDisplay } from '@/server/viewer/units';
import { trpc } from '../trpc-client';
import { frameOf, planeOf } from './cornerstone';
import { testHook } from './test-hook';

type CsAnnotation = ToolTypes.Annotation;

export interface ListedAnnotation {
  uid: string;
  toolName: TAnnotationTool;
  text: string;
  frameNumber?: number;
  saved: boolean;
}

interface Described {
  sopInstanceUID: string;
  frameNumber?: number;
  toolName: TAnnotationTool;
  points: Array<[number, number]>;
  label?: string;
  value?: number;
  unit?: string;
  text: string;
}

const SAVE_DELAY_MS = 400;

export class AnnotationSync {
  private readonly ids = new Map<string, string>();
  private readonly saving = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listed = new Map<string, ListedAnnotation>();
  private stopped = false;

  constructor(
    private readonly studyInstanceUID: string,
    private readonly viewport: Types.IStackViewport,
    private readonly imageIds: string[],
    private readonly display: LengthDisplay,
    private readonly onChange: (list: ListedAnnotation[], error?: string) => void,
  ) {}

  start(): void {
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, this.onCompleted);
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_MODIFIED, this.onModified);
  }

  /** Stops listening and takes this view's annotations off the (page-wide) annotation state. */
  stop(): void {
    this.stopped = true;
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, this.onCompleted);
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_MODIFIED, this.onModified);
    this.timers.forEach((t) => clearTimeout(t));
    for (const uid of this.listed.keys()) csAnnotation.state.removeAnnotation(uid);
  }

  /** Draws the saved annotations that belong to this view's frames. */
  restore(saved: SavedAnnotation[]): void {
    const viewport = this.viewport;
    for (const a of saved) {
      const index = this.imageIds.findIndex((id) => {
        const f = frameOf(id);
        return f?.sopInstanceUID === a.sopInstanceUID && (f.frameNumber ?? null) === a.frameNumber;
      });
      if (index < 0) continue;
      const imageId = this.imageIds[index];
      const plane = planeOf(imageId)!;
      const reference = viewport.getViewReference({ sliceIndex: index });
      const annotation = {
        annotationUID: a.id,
        highlighted: false,
        invalidated: true,
        isLocked: false,
        isVisible: true,
        metadata: { ...reference, toolName: a.toolName, referencedImageId: imageId },
        data: {
          handles: {
            points: a.data.points.map((p) => imageToWorld(plane, p)),
            activeHandleIndex: null,
            textBox: {
              hasMoved: false,
              worldPosition: [0, 0, 0],
              worldBoundingBox: {
                topLeft: [0, 0, 0],
                topRight: [0, 0, 0],
                bottomLeft: [0, 0, 0],
                bottomRight: [0, 0, 0],
              },
            },
          },
          cachedStats: {},
          label: a.label ?? '',
        },
      } as unknown as CsAnnotation;
      csAnnotation.state.addAnnotation(annotation, viewport.element);
      this.ids.set(a.id, a.id);
      const described = this.describe(annotation);
      if (described) this.list(a.id, described, true);
      testHook.restored += 1;
    }
    toolUtilities.triggerAnnotationRenderForViewportIds([viewport.id]);
    this.emit();
  }

  /** Deletes the selected annotations of this view, on the server and on screen. */
  async deleteSelected(): Promise<void> {
    const selected = csAnnotation.selection
      .getAnnotationsSelected()
      .filter((uid) => this.listed.has(uid));
    for (const uid of selected) await this.delete(uid);
  }

  async delete(uid: string): Promise<void> {
    await this.saving.get(uid);
    clearTimeout(this.timers.get(uid));
    const id = this.ids.get(uid);
    try {
      if (id) await trpc.annotations.delete.mutate({ id });
    } catch (e) {
      this.emit(`Could not delete: ${(e as Error).message}`);
      return;
    }
    csAnnotation.state.removeAnnotation(uid);
    this.ids.delete(uid);
    this.listed.delete(uid);
    toolUtilities.triggerAnnotationRenderForViewportIds([this.viewport.id]);
    this.emit();
  }

  private mine(annotation: CsAnnotation | undefined): annotation is CsAnnotation {
    const imageId = annotation?.metadata?.referencedImageId;
    return !!imageId && this.imageIds.includes(imageId);
  }

  private describe(annotation: CsAnnotation): Described | null {
    const toolName = annotation.metadata?.toolName as TAnnotationTool;
    const imageId = annotation.metadata?.referencedImageId;
    if (!ANNOTATION_TOOLS.includes(toolName) || !imageId) return null;
    const where = frameOf(imageId);
    if (!where) return null;
    const points = (annotation.data.handles?.points ?? []).map((p) =>
      worldToImage(where.plane, p as Vec3),
    );
    if (points.length === 0) return null;
    const measured = measure(toolName, points, where.plane.spacing);
    const label = (annotation.data as { label?: string }).label || undefined;
    let text = label ?? '';
    if (measured) {
      const show = toolName === 'Length' ? showLength : showArea;
      text = show(measured.value, measured.unit, this.display).text;
    }
    return {
      sopInstanceUID: where.sopInstanceUID,
      frameNumber: where.frameNumber,
      toolName,
      points,
      label,
      value: measured?.value,
      unit: measured?.unit,
      text,
    };
  }

  private list(uid: string, d: Described, saved: boolean): void {
    this.listed.set(uid, {
      uid,
      toolName: d.toolName,
      text: d.text,
      frameNumber: d.frameNumber,
      saved,
    });
  }

  private report(d: Described): void {
    testHook.lastMeasurement = {
      toolName: d.toolName,
      value: d.value ?? null,
      unit: d.unit ?? null,
      label: d.label ?? null,
      sopInstanceUID: d.sopInstanceUID,
      frameNumber: d.frameNumber,
      points: d.points,
    };
  }

  private readonly onCompleted = (evt: Event) => {
    const { annotation } = (evt as CustomEvent<{ annotation: CsAnnotation }>).detail;
    if (this.stopped || !this.mine(annotation)) return;
    const uid = annotation.annotationUID!;
    const d = this.describe(annotation);
    if (!d) return;
    this.report(d);
    this.list(uid, d, false);
    this.emit();
    this.save(uid, d);
  };

  private readonly onModified = (evt: Event) => {
    const { annotation, changeType } = (
      evt as CustomEvent<{ annotation: CsAnnotation; changeType?: string }>
    ).detail;
    if (this.stopped || !this.mine(annotation)) return;
    const uid = annotation.annotationUID!;
    if (!this.listed.has(uid)) return; // still being drawn
    if (changeType === ToolEnums.ChangeTypes.StatsUpdated) return;
    const d = this.describe(annotation);
    if (!d) return;
    this.report(d);
    this.list(uid, d, this.listed.get(uid)?.saved ?? false);
    this.emit();
    clearTimeout(this.timers.get(uid));
    this.timers.set(
      uid,
      setTimeout(() => this.save(uid, d), SAVE_DELAY_MS),
    );
  };

  private save(uid: string, d: Described): void {
    const before = this.saving.get(uid) ?? Promise.resolve();
    testHook.pendingSaves += 1;
    const run = before.then(async () => {
      try {
        const saved = await trpc.annotations.save.mutate({
          id: this.ids.get(uid),
          studyInstanceUID: this.studyInstanceUID,
          sopInstanceUID: d.sopInstanceUID,
          frameNumber: d.frameNumber,
          toolName: d.toolName,
          data: { points: d.points },
          label: d.label,
          value: d.value,
          unit: d.unit,
        });
        this.ids.set(uid, saved.id);
        this.list(uid, d, true);
        testHook.saves += 1;
        this.emit();
      } catch (e) {
        this.emit(`Could not save the annotation: ${(e as Error).message}`);
      } finally {
        testHook.pendingSaves -= 1;
      }
    });
    this.saving.set(uid, run);
  }

  private emit(error?: string): void {
    if (!this.stopped) this.onChange([...this.listed.values()], error);
  }
}
