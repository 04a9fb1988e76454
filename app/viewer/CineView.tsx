'use client';

/**
 * A multi-frame image that is not an OCT volume (angiography, a video-like sequence): a cine
 * that plays each frame after the increment the device recorded (server/viewer/cine-timing.ts)
 * and shows the time since the first frame, frames fetched ahead of the one on screen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { num, TAG } from '@/server/viewer/dicom-json';
import { pixelSpacing } from '@/server/viewer/image-plane';
import { cineTiming, showElapsed } from '@/server/viewer/cine-timing';
import { AnnotationList, ScaleNote } from './Annotations';
import { registerInstance } from './cornerstone';
import { EnhanceFilter } from './EnhanceFilter';
import { FramePrefetcher } from './prefetch';
import type { ViewerAction } from './shortcuts';
import { StackPane, type Pane } from './StackPane';
import { testHook } from './test-hook';
import type { ReportStatus } from './status';
import type { ViewerInstance } from './study-loader';
import { Toolbar } from './Toolbar';
import { useImageControls } from './useImageControls';
import { useKeys } from './useKeys';

export function CineView(props: { instance: ViewerInstance; onStatus: ReportStatus }) {
  const { instance, onStatus } = props;
  const count = instance.choice.frames;
  const imageIds = useMemo(
    () => registerInstance(instance.url, instance.metadata, instance.sopInstanceUID, count),
    [instance, count],
  );
  const timing = useMemo(() => cineTiming(instance.metadata, count), [instance, count]);
  const colour = (num(instance.metadata, TAG.SamplesPerPixel) ?? 1) > 1;
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const indexRef = useRef(0);
  const pane = useRef<Pane | null>(null);
  const prefetcher = useRef<FramePrefetcher | null>(null);
  const controls = useImageControls({
    studyInstanceUID: instance.studyInstanceUID,
    display: 'mm',
    colour,
  });
  const status = useRef(onStatus);
  useEffect(() => {
    status.current = onStatus;
  });

  const go = useCallback(
    (target: number) => {
      const next = ((Math.round(target) % count) + count) % count;
      indexRef.current = next;
      setIndex(next);
      prefetcher.current?.setCurrent(next);
      const vp = pane.current?.viewport;
      if (vp && vp.getCurrentImageIdIndex() !== next) void vp.setImageIdIndex(next);
    },
    [count],
  );

  // Each frame waits its own increment; from the last frame it starts again.
  useEffect(() => {
    if (!playing) return;
    const next = (index + 1) % count;
    const wait = next === 0 ? (timing.delays[1] ?? 100) : timing.delays[next];
    const timer = setTimeout(() => {
      if (next === 0 && testHook.cine) testHook.cine.wrapped += 1;
      go(next);
    }, wait);
    return () => clearTimeout(timer);
  }, [playing, index, count, timing, go]);

  // What tests read: the frame on screen.
  useEffect(() => {
    testHook.cine = { index, count, wrapped: testHook.cine?.wrapped ?? 0 };
  }, [index, count]);
  useEffect(
    () => () => {
      testHook.cine = null;
    },
    [],
  );

  const act = (action: ViewerAction): boolean => {
    const steps: Partial<Record<ViewerAction, number>> = {
      next: 1,
      previous: -1,
      nextPage: 10,
      previousPage: -10,
    };
    if (steps[action] !== undefined) {
      go(indexRef.current + steps[action]!);
      return true;
    }
    if (action === 'first' || action === 'last') {
      go(action === 'first' ? 0 : count - 1);
      return true;
    }
    if (action === 'playPause') {
      setPlaying((p) => !p);
      return true;
    }
    return controls.act(action);
  };
  useKeys(act);

  const onReady = (p: Pane) => {
    pane.current = p;
    const fetcher = new FramePrefetcher(imageIds, (progress) => {
      const done = progress.loaded + progress.failed === progress.total;
      status.current({
        state: done ? (progress.failed ? 'error' : 'ready') : 'loading',
        text: `Frames ${progress.loaded} of ${progress.total}`,
        loaded: progress.loaded,
        total: progress.total,
      });
    });
    prefetcher.current = fetcher;
    fetcher.start(0);
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      go(indexRef.current + (e.deltaY > 0 ? 1 : -1));
    };
    p.element.addEventListener('wheel', onWheel, { passive: false });
    const detach = controls.attach(p, imageIds);
    return () => {
      fetcher.stop();
      p.element.removeEventListener('wheel', onWheel);
      pane.current = null;
      detach();
    };
  };

  const rate =
    timing.source === 'FrameTimeVector'
      ? 'frame times of the device (Frame Time Vector)'
      : `${(1000 / timing.delays[Math.min(1, count - 1)] || 10).toFixed(1)} frames/s (${
          timing.source === 'FrameTime'
            ? 'Frame Time'
            : timing.source === 'CineRate'
              ? 'Cine Rate'
              : 'no timing recorded'
        })`;
  return (
    <div className="view">
      <Toolbar controls={controls} colour={colour} />
      <ScaleNote spacing={pixelSpacing(instance.metadata)} oct={false} />
      <div className="panes">
        <StackPane
          testId="cine-viewport"
          label="Cine"
          imageIds={imageIds}
          tools="measure"
          display="mm"
          thumbnailUrl={`${instance.url}/thumbnail`}
          onReady={onReady}
          onError={(text) => status.current({ state: 'error', text })}
          onIndex={(i) => {
            if (i !== indexRef.current) go(i);
          }}
        >
          <EnhanceFilter
            element={controls.pane?.element ?? null}
            redFree={controls.redFree}
            stretch={controls.stretch}
          />
        </StackPane>
      </div>
      <div className="stepper">
        <button
          type="button"
          data-testid="cine-play"
          onClick={() => setPlaying((p) => !p)}
          aria-pressed={playing}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <input
          type="range"
          min={1}
          max={count}
          value={index + 1}
          aria-label="Frame"
          onChange={(e) => go(Number(e.target.value) - 1)}
          onKeyDown={(e) => e.preventDefault()}
        />
        <span data-testid="cine-index" data-index={index}>
          Frame {index + 1} of {count}
        </span>
        <span data-testid="cine-elapsed">{showElapsed(timing.elapsed[index] ?? 0)}</span>
        <span className="hint" data-testid="cine-rate">
          {rate}
        </span>
      </div>
      <AnnotationList controls={controls} />
    </div>
  );
}
