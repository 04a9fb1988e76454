/**
 * `window.__viewer`: what browser tests read instead of guessing from pixels or sleeping.
 * `rendered` counts Cornerstone IMAGE_RENDERED events; `drawnPixels` counts the non-black
 * pixels actually on a viewport's canvas, because a render event can fire while the canvas stays
 * blank. Everything else reports state the viewer already holds.
 */
import { cache, Enums, type Types } from '@cornerstonejs/core';
import type { RowColumn } from '@/server/viewer/oct-geometry';
import { imageToWorld } from '@/server/viewer/image-plane';
import { planeOf } from './cornerstone';

export interface MeasurementReport {
  toolName: string;
  value: number | null;
  unit: string | null;
  label: string | null;
  sopInstanceUID: string;
  frameNumber?: number;
  points: Array<[number, number]>;
}

export interface ViewerTestHook {
  rendered: number;
  lastMeasurement: MeasurementReport | null;
  /** Annotations saved to the server by this page, and saves still in flight. */
  saves: number;
  pendingSaves: number;
  /** Annotations restored from the server when the view opened. */
  restored: number;
  bscan: {
    index: number;
    count: number;
    line: RowColumn[] | null;
    localizerSOPInstanceUID: string | null;
  } | null;
  /** The cine on screen: its frame, and how often playing went from the last to the first. */
  cine: { index: number; count: number; wrapped: number } | null;
  /** The prior shown beside the current image, and its frame. */
  prior: { studyInstanceUID: string; index: number; count: number } | null;
  drawnPixels(testId: string): number;
  /** Page coordinates (CSS px) of an image point (x = column, y = row) shown in a viewport. */
  imageToPage(testId: string, x: number, y: number): { x: number; y: number } | null;
  /** Decoded pixel values of the displayed image at (row, column), as Cornerstone holds them. */
  imagePixels(testId: string, points: Array<[number, number]>): number[][] | null;
  /** Canvas pixel values (RGBA) at page coordinates. */
  canvasPixels(testId: string, points: Array<{ x: number; y: number }>): number[][] | null;
  zoom(testId: string): number | null;
}

const viewports = new Map<string, Types.IStackViewport>();

function canvasOf(testId: string): HTMLCanvasElement | null {
  return viewports.get(testId)?.canvas ?? null;
}

function readCanvas(canvas: HTMLCanvasElement): ImageData | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx) return ctx.getImageData(0, 0, canvas.width, canvas.height);
  // A WebGL canvas: copy what it shows onto a 2D one.
  const copy = document.createElement('canvas');
  [copy.width, copy.height] = [canvas.width, canvas.height];
  const c2 = copy.getContext('2d');
  if (!c2) return null;
  c2.drawImage(canvas, 0, 0);
  return c2.getImageData(0, 0, copy.width, copy.height);
}

export const testHook: ViewerTestHook = {
  rendered: 0,
  lastMeasurement: null,
  saves: 0,
  pendingSaves: 0,
  restored: 0,
  bscan: null,
  cine: null,
  prior: null,

  drawnPixels(testId) {
    const canvas = canvasOf(testId);
    const data = canvas && readCanvas(canvas);
    if (!data) return 0;
    let n = 0;
    for (let i = 0; i < data.data.length; i += 4) {
      if (data.data[i] + data.data[i + 1] + data.data[i + 2] > 12) n++;
    }
    return n;
  },

  imageToPage(testId, x, y) {
    const viewport = viewports.get(testId);
    const imageId = viewport?.getCurrentImageId();
    const plane = imageId ? planeOf(imageId) : undefined;
    if (!viewport || !plane) return null;
    const [cx, cy] = viewport.worldToCanvas(imageToWorld(plane, [x, y]));
    const rect = viewport.canvas.getBoundingClientRect();
    return { x: rect.left + cx, y: rect.top + cy };
  },

  imagePixels(testId, points) {
    const imageId = viewports.get(testId)?.getCurrentImageId();
    const image = imageId ? cache.getImage(imageId) : undefined;
    if (!image) return null;
    const pixels = image.getPixelData();
    const components = image.rgba ? 4 : image.color ? 3 : 1;
    return points.map(([row, column]) => {
      const at = (row * image.columns + column) * components;
      return Array.from(pixels.slice(at, at + Math.min(3, components)) as ArrayLike<number>);
    });
  },

  canvasPixels(testId, points) {
    const canvas = canvasOf(testId);
    const data = canvas && readCanvas(canvas);
    if (!canvas || !data) return null;
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    return points.map(({ x, y }) => {
      const px = Math.floor((x - rect.left) * scale);
      const py = Math.floor((y - rect.top) * scale);
      const at = (py * data.width + px) * 4;
      return Array.from(data.data.slice(at, at + 4));
    });
  },

  zoom(testId) {
    return viewports.get(testId)?.getZoom() ?? null;
  },
};

/** Makes a viewport reachable by its data-testid, and counts its renders. */
export function exposeViewport(testId: string, viewport: Types.IStackViewport): () => void {
  viewports.set(testId, viewport);
  const onRendered = () => {
    testHook.rendered += 1;
  };
  viewport.element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
  return () => {
    viewport.element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    if (viewports.get(testId) === viewport) viewports.delete(testId);
  };
}

declare global {
  interface Window {
    __viewer?: ViewerTestHook;
  }
}

export function installTestHook(): void {
  window.__viewer = testHook;
}
