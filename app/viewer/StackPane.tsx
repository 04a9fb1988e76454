'use client';

/**
 * One Cornerstone stack viewport in a box: its own rendering engine and tool group (made on
 * mount, destroyed on unmount), the instance thumbnail shown until the first frame is drawn,
 * and a resize observer. The view that holds it drives it through `onReady`.
 */
import { Enums, eventTarget, type Types } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LengthDisplay } from '@/server/viewer/units';
import { enableStack, initCornerstone, newRenderingEngine } from './cornerstone';
import { exposeViewport } from './test-hook';
import { createLocalizerGroup, createMeasuringGroup, destroyGroup } from './tools';

export interface Pane {
  viewport: Types.IStackViewport;
  group: ToolTypes.IToolGroup;
  element: HTMLDivElement;
}

export interface StackPaneProps {
  testId: string;
  label: string;
  imageIds: string[];
  initialIndex?: number;
  tools: 'measure' | 'localizer';
  display: LengthDisplay;
  thumbnailUrl?: string;
  /** Called once the first frame is set; may return a cleanup. */
  onReady: (pane: Pane) => void | (() => void);
  onError: (message: string) => void;
  /** The frame index whenever the viewport shows another frame. */
  onIndex?: (index: number) => void;
  children?: ReactNode;
}

export function StackPane(props: StackPaneProps) {
  const element = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(false);
  const [noThumbnail, setNoThumbnail] = useState(false);
  // The latest callbacks, without re-creating the viewport when a parent re-renders.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const { imageIds, testId, tools, display } = props;

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    let cancelled = false;
    const cleanups: Array<() => void> = [];

    (async () => {
      await initCornerstone();
      if (cancelled) return;
      const engine = newRenderingEngine();
      cleanups.push(() => engine.destroy());
      const viewportId = `${engine.id}-${testId}`;
      const viewport = enableStack(engine, viewportId, el);
      const groupId = `${viewportId}-tools`;
      const group =
        tools === 'measure'
          ? createMeasuringGroup(groupId, display)
          : createLocalizerGroup(groupId);
      group.addViewport(viewportId, engine.id);
      cleanups.push(() => destroyGroup(groupId));
      cleanups.push(exposeViewport(testId, viewport));

      const onRendered = () => setDrawn(true);
      const onNewImage = () => latest.current.onIndex?.(viewport.getCurrentImageIdIndex());
      const onLoadError = (evt: Event) => {
        const { imageId, error } = (evt as CustomEvent<{ imageId: string; error?: unknown }>)
          .detail;
        if (imageIds.includes(imageId)) latest.current.onError(describeLoadError(error));
      };
      el.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      el.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      cleanups.push(() => {
        el.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
        el.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
        eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      });
      const resize = new ResizeObserver(() => engine.resize(true, true));
      resize.observe(el);
      cleanups.push(() => resize.disconnect());

      try {
        await viewport.setStack(imageIds, latest.current.initialIndex ?? 0);
      } catch (e) {
        if (!cancelled) latest.current.onError(describeLoadError(e));
        return;
      }
      if (cancelled) return;
      viewport.render();
      const more = latest.current.onReady({ viewport, group, element: el });
      if (more) cleanups.push(more);
    })().catch((e) => {
      if (!cancelled) latest.current.onError(describeLoadError(e));
    });

    return () => {
      cancelled = true;
      for (const f of cleanups.reverse()) f();
    };
  }, [imageIds, testId, tools, display]);

  return (
    <div className="pane" aria-label={props.label}>
      <div
        ref={element}
        className="viewport"
        data-testid={testId}
        data-drawn={drawn ? 'yes' : 'no'}
        onContextMenu={(e) => e.preventDefault()}
      />
      {!drawn && props.thumbnailUrl && !noThumbnail && (
        // eslint-disable-next-line @next/next/no-img-element
        <img
          className="placeholder"
          src={props.thumbnailUrl}
          alt=""
          aria-hidden
          onError={() => setNoThumbnail(true)}
        />
      )}
      {props.children}
    </div>
  );
}

function describeLoadError(e: unknown): string {
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return `This image could not be loaded or decoded in the browser${detail ? `: ${detail}` : '.'}`;
}
