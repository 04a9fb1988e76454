'use client';

/**
 * An OCT volume: the B-scan stack beside its localizer, with the current B-scan's line drawn
 * on the localizer where its Reference Coordinates put it (server/viewer/oct-geometry.ts).
 * Wheel, arrow keys, PageUp/PageDown and the slider step through B-scans; a click on the
 * localizer jumps to the nearest one. Frames are fetched from the current B-scan outward.
 * On request a prior volume of the same eye follows beside it, B-scan for B-scan.
 */
import { Enums, type Types } from '@cornerstonejs/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { imageToWorld, pixelSpacing, worldToImage, type Vec3 } from '@/server/viewer/image-plane';
import { nearestFrame, octGeometry } from '@/server/viewer/oct-geometry';
import { AnnotationList, ScaleNote } from './Annotations';
import { planeOf, registerInstance } from './cornerstone';
import { EnhanceFilter } from './EnhanceFilter';
import { FramePrefetcher } from './prefetch';
import { PriorPane } from './PriorPane';
import type { ViewerAction } from './shortcuts';
import { StackPane, type Pane } from './StackPane';
import type { ReportStatus } from './status';
import type { ViewerInstance } from './study-loader';
import { testHook } from './test-hook';
import { Toolbar } from './Toolbar';
import { useImageControls } from './useImageControls';
import { useKeys } from './useKeys';

const PAGE = 10;
const CLICK_SLOP_PX = 4;

export function OctView(props: {
  instance: ViewerInstance;
  localizer: ViewerInstance | undefined;
  onStatus: ReportStatus;
}) {
  const { instance, localizer, onStatus } = props;
  const geometry = useMemo(() => octGeometry(instance.metadata), [instance]);
  const count = geometry.frames;
  const bscanIds = useMemo(
    () => registerInstance(instance.url, instance.metadata, instance.sopInstanceUID, count),
    [instance, count],
  );
  const localizerIds = useMemo(
    () =>
      localizer
        ? registerInstance(localizer.url, localizer.metadata, localizer.sopInstanceUID, 1)
        : null,
    [localizer],
  );
  const [index, setIndex] = useState(() => Math.floor(count / 2));
  const indexRef = useRef(index);
  const bscan = useRef<Pane | null>(null);
  const prefetcher = useRef<FramePrefetcher | null>(null);
  const [localizerPane, setLocalizerPane] = useState<Pane | null>(null);
  const [cameraTick, setCameraTick] = useState(0);
  const [compare, setCompare] = useState(false);
  const toggleCompare = useCallback(() => setCompare((on) => !on), []);
  const controls = useImageControls({
    studyInstanceUID: instance.studyInstanceUID,
    display: 'µm',
    colour: false,
  });
  const status = useRef(onStatus);
  useEffect(() => {
    status.current = onStatus;
  });

  const go = useCallback(
    (target: number) => {
      const next = Math.max(0, Math.min(count - 1, Math.round(target)));
      indexRef.current = next;
      setIndex(next);
      prefetcher.current?.setCurrent(next);
      const vp = bscan.current?.viewport;
      if (vp && vp.getCurrentImageIdIndex() !== next) void vp.setImageIdIndex(next);
    },
    [count],
  );

  const act = useCallback(
    (action: ViewerAction): boolean => {
      const steps: Partial<Record<ViewerAction, number>> = {
        next: 1,
        previous: -1,
        nextPage: PAGE,
        previousPage: -PAGE,
        first: -count,
        last: count,
      };
      if (action === 'compare') {
        toggleCompare();
        return true;
      }
      const step = steps[action];
      if (step !== undefined) {
        go(indexRef.current + step);
        return true;
      }
      return controls.act(action);
    },
    [controls, count, go, toggleCompare],
  );
  useKeys(act);

  // What tests read: the B-scan on screen and its line on the localizer.
  useEffect(() => {
    testHook.bscan = {
      index,
      count,
      line: geometry.lines[index] ?? null,
      localizerSOPInstanceUID: geometry.localizer?.sopInstanceUID ?? null,
    };
  }, [index, count, geometry]);
  useEffect(
    () => () => {
      testHook.bscan = null;
    },
    [],
  );

  const onBscanReady = (pane: Pane) => {
    bscan.current = pane;
    const fetcher = new FramePrefetcher(bscanIds, (p) => {
      const done = p.loaded + p.failed === p.total;
      status.current({
        state: done ? (p.failed ? 'error' : 'ready') : 'loading',
        text: p.failed
          ? `Frames ${p.loaded} of ${p.total} (${p.failed} could not be loaded)`
          : `Frames ${p.loaded} of ${p.total}`,
        loaded: p.loaded,
        total: p.total,
      });
    });
    prefetcher.current = fetcher;
    fetcher.start(indexRef.current);
    const stopWheel = stepOnWheel(pane.element, (d) => go(indexRef.current + d));
    const detach = controls.attach(pane, bscanIds);
    return () => {
      fetcher.stop();
      prefetcher.current = null;
      bscan.current = null;
      stopWheel();
      detach();
    };
  };

  const onLocalizerReady = (pane: Pane) => {
    setLocalizerPane(pane);
    const redraw = () => setCameraTick((t) => t + 1);
    pane.element.addEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
    pane.element.addEventListener(Enums.Events.IMAGE_RENDERED, redraw);
    const stopWheel = stepOnWheel(pane.element, (d) => go(indexRef.current + d));
    const stopClick = onClick(pane.element, (clientX, clientY) => {
      const imageId = pane.viewport.getCurrentImageId();
      const plane = imageId ? planeOf(imageId) : undefined;
      if (!plane) return;
      const rect = pane.viewport.canvas.getBoundingClientRect();
      const canvasPoint: [number, number] = [clientX - rect.left, clientY - rect.top];
      const [column, row] = worldToImage(plane, pane.viewport.canvasToWorld(canvasPoint) as Vec3);
      const nearest = nearestFrame(geometry, [row, column]);
      if (nearest !== null) go(nearest);
    });
    return () => {
      pane.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, redraw);
      pane.element.removeEventListener(Enums.Events.IMAGE_RENDERED, redraw);
      stopWheel();
      stopClick();
      setLocalizerPane(null);
    };
  };

  const onError = (text: string) => status.current({ state: 'error', text });
  const line = scanLineOnCanvas(localizerPane?.viewport, geometry.lines[index], cameraTick);

  return (
    <div className="view">
      <Toolbar
        controls={controls}
        colour={false}
        compare={{ on: compare, toggle: toggleCompare }}
      />
      <ScaleNote spacing={pixelSpacing(instance.metadata, index + 1)} oct />
      <div className="panes oct">
        {localizerIds ? (
          <StackPane
            testId="localizer-viewport"
            label="Localizer"
            imageIds={localizerIds}
            tools="localizer"
            display="mm"
            thumbnailUrl={`${localizer!.url}/thumbnail`}
            onReady={onLocalizerReady}
            onError={onError}
          >
            <svg className="overlay" aria-hidden>
              {line && (
                <line
                  data-testid="localizer-line"
                  x1={line[0][0]}
                  y1={line[0][1]}
                  x2={line[1][0]}
                  y2={line[1][1]}
                />
              )}
            </svg>
          </StackPane>
        ) : (
          <p className="pane missing" data-testid="no-localizer">
            {geometry.localizer
              ? 'The localizer this volume refers to is not in this study.'
              : 'This volume names no localizer image.'}
          </p>
        )}
        <div className="bscan-column">
          <StackPane
            testId="bscan-viewport"
            label="B-scan"
            imageIds={bscanIds}
            initialIndex={index}
            tools="measure"
            display="µm"
            onReady={onBscanReady}
            onError={onError}
            onIndex={(i) => {
              if (i !== indexRef.current) go(i);
            }}
          >
            <EnhanceFilter
              element={controls.pane?.element ?? null}
              redFree={false}
              stretch={controls.stretch}
            />
          </StackPane>
          <div className="stepper">
            <input
              type="range"
              min={1}
              max={count}
              value={index + 1}
              aria-label="B-scan"
              data-testid="bscan-slider"
              onChange={(e) => go(Number(e.target.value) - 1)}
              onKeyDown={(e) => e.preventDefault()}
            />
            <span data-testid="bscan-index" data-index={index}>
              B-scan {index + 1} of {count}
            </span>
          </div>
        </div>
        {compare && (
          <div className="bscan-column">
            <PriorPane current={instance} main={controls.pane} frame={{ index, count }} />
          </div>
        )}
      </div>
      <AnnotationList controls={controls} />
    </div>
  );
}

/** The path of a B-scan on the localizer in canvas pixels (the overlay's coordinates). */
function scanLineOnCanvas(
  viewport: Types.IStackViewport | undefined,
  path: Array<[number, number]> | null | undefined,
  _tick: number,
): Array<[number, number]> | null {
  const imageId = viewport?.getCurrentImageId();
  const plane = imageId ? planeOf(imageId) : undefined;
  if (!viewport || !plane || !path || path.length < 2) return null;
  const ends = [path[0], path[path.length - 1]];
  return ends.map(([row, column]) => {
    const [x, y] = viewport.worldToCanvas(imageToWorld(plane, [column, row]));
    return [x, y] as [number, number];
  });
}

function stepOnWheel(element: HTMLElement, step: (delta: number) => void): () => void {
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    if (e.deltaY !== 0) step(e.deltaY > 0 ? 1 : -1);
  };
  element.addEventListener('wheel', onWheel, { passive: false });
  return () => element.removeEventListener('wheel', onWheel);
}

/** Left clicks that do not drag, in page (client) coordinates. */
function onClick(element: HTMLElement, handle: (x: number, y: number) => void): () => void {
  let down: { x: number; y: number } | null = null;
  const onDown = (e: PointerEvent) => {
    down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
  };
  const onUp = (e: PointerEvent) => {
    if (!down || e.button !== 0) return;
    const moved = Math.hypot(e.clientX - down.x, e.clientY - down.y);
    down = null;
    if (moved <= CLICK_SLOP_PX) handle(e.clientX, e.clientY);
  };
  element.addEventListener('pointerdown', onDown, true);
  element.addEventListener('pointerup', onUp, true);
  return () => {
    element.removeEventListener('pointerdown', onDown, true);
    element.removeEventListener('pointerup', onUp, true);
  };
}
