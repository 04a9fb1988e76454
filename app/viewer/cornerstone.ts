/**
 * Cornerstone3D set up once per page: core, tools, and the DICOM image loader reading frames
 * from our own DICOMweb (same origin: the session cookie goes with every request).
 *
 * Images are `wadors:` image ids, one per frame. Their WADO-RS metadata is registered with the
 * loader's metaDataManager, which decodes compressed frames in the browser (JPEG baseline colour
 * through the browser's own decoder, the others through the WASM codecs in web workers).
 *
 * A second metadata provider, ranked above the loader's, answers the image plane of each frame
 * from server/viewer/image-plane.ts: Pixel Spacing from the functional groups where an OCT keeps
 * it, absurd spacings refused (measurements then read in pixels), and the same geometry the
 * viewer uses to save measurements and draw the B-scan line.
 */
import {
  Enums,
  init as initCore,
  metaData,
  RenderingEngine,
  type Types,
} from '@cornerstonejs/core';
import { init as initLoader, wadors } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  ArrowAnnotateTool,
  init as initTools,
  LabelTool,
  LengthTool,
  PanTool,
  RectangleROITool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import type { DicomJson } from '@/server/viewer/dicom-json';
import { imagePlane, type ImagePlane } from '@/server/viewer/image-plane';

let initialized = false;

/**
 * Initializes Cornerstone once. Synchronous, and called before any metadata is registered:
 * initializing the loader empties its metadata store, so metadata added before it is lost.
 */
function ensureInitialized(): void {
  if (initialized) return;
  initialized = true;
  initCore();
  initLoader({ maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)) });
  initTools();
  for (const tool of [
    WindowLevelTool,
    PanTool,
    ZoomTool,
    LengthTool,
    RectangleROITool,
    ArrowAnnotateTool,
    LabelTool,
  ]) {
    addTool(tool);
  }
  metaData.addProvider(planeProvider, 20_000);
}

/** Initializes Cornerstone on first call; later calls find it ready. */
export function initCornerstone(): Promise<void> {
  ensureInitialized();
  return Promise.resolve();
}

interface FrameEntry {
  metadata: DicomJson;
  /** 1-based. */
  frame: number;
  sopInstanceUID: string;
  multiFrame: boolean;
  plane?: ImagePlane;
}

const frames = new Map<string, FrameEntry>();

/**
 * The image ids of every frame of an instance, registered with the loader. `instanceUrl` is the
 * WADO-RS path of the instance on this origin.
 */
export function registerInstance(
  instanceUrl: string,
  metadata: DicomJson,
  sopInstanceUID: string,
  count: number,
): string[] {
  ensureInitialized();
  const base = `wadors:${window.location.origin}${instanceUrl}/frames/`;
  const ids = Array.from({ length: Math.max(1, count) }, (_, i) => `${base}${i + 1}`);
  if (!frames.has(ids[0])) {
    // The loader merges per-frame groups into the object it is given: give it a copy.
    wadors.metaDataManager.add(ids[0], structuredClone(metadata) as never);
  }
  ids.forEach((id, i) =>
    frames.set(id, { metadata, frame: i + 1, sopInstanceUID, multiFrame: count > 1 }),
  );
  return ids;
}

/** What an image id shows: instance and frame (frameNumber only for multi-frame images). */
export function frameOf(imageId: string) {
  const entry = frames.get(imageId);
  if (!entry) return undefined;
  return {
    sopInstanceUID: entry.sopInstanceUID,
    frameNumber: entry.multiFrame ? entry.frame : undefined,
    plane: planeOf(imageId)!,
  };
}

export function planeOf(imageId: string): ImagePlane | undefined {
  const entry = frames.get(imageId);
  if (!entry) return undefined;
  entry.plane ??= imagePlane(entry.metadata, entry.frame);
  return entry.plane;
}

function planeProvider(type: string, imageId: string) {
  if (type !== Enums.MetadataModules.IMAGE_PLANE) return undefined;
  const p = planeOf(imageId);
  if (!p) return undefined;
  const measured = p.spacing.status === 'ok';
  return {
    frameOfReferenceUID: p.frameOfReferenceUID,
    rows: p.rows,
    columns: p.columns,
    imageOrientationPatient: [...p.rowCosines, ...p.columnCosines],
    rowCosines: p.rowCosines,
    columnCosines: p.columnCosines,
    imagePositionPatient: p.position,
    pixelSpacing: measured ? [p.rowSpacing, p.columnSpacing] : undefined,
    rowPixelSpacing: p.rowSpacing,
    columnPixelSpacing: p.columnSpacing,
    // Tells Cornerstone to measure in pixels, not millimetres.
    usingDefaultValues: !measured,
  };
}

let engines = 0;

/**
 * A rendering engine of its own for each mounted view: reusing an id on a remounted element
 * leaves the canvas blank (React StrictMode mounts twice in development).
 */
export function newRenderingEngine(): RenderingEngine {
  engines += 1;
  return new RenderingEngine(`viewer-${engines}-${Math.random().toString(36).slice(2, 8)}`);
}

export function enableStack(
  engine: RenderingEngine,
  viewportId: string,
  element: HTMLDivElement,
): Types.IStackViewport {
  engine.enableElement({
    viewportId,
    element,
    type: Enums.ViewportType.STACK,
    defaultOptions: { background: [0, 0, 0] },
  });
  return engine.getViewport(viewportId) as Types.IStackViewport;
}
