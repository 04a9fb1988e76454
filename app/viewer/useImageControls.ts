'use client';

/**
 * The state and actions every measuring view shares: the left-button tool, inversion, red-free
 * and contrast stretch, and the annotations saved for this view (through AnnotationSync).
 */
import { cache } from '@cornerstonejs/core';
import { useCallback, useRef, useState } from 'react';
import { channelRanges, type ChannelRange } from '@/server/viewer/enhance';
import type { LengthDisplay } from '@/server/viewer/units';
import { trpc } from '../trpc-client';
import { AnnotationSync, type ListedAnnotation } from './annotation-sync';
import * as controls from './controls';
import type { ViewerAction } from './shortcuts';
import type { Pane } from './StackPane';
import { setPrimaryTool, type PrimaryTool } from './tools';

const TOOL_ACTIONS: Partial<Record<ViewerAction, PrimaryTool>> = {
  toolWindowLevel: 'WindowLevel',
  toolLength: 'Length',
  toolRectangle: 'RectangleROI',
  toolArrow: 'ArrowAnnotate',
  toolLabel: 'Label',
};

export interface ImageControls {
  attach(pane: Pane, imageIds: string[]): () => void;
  act(action: ViewerAction): boolean;
  tool: PrimaryTool;
  inverted: boolean;
  redFree: boolean;
  stretch: ChannelRange[] | null;
  annotations: ListedAnnotation[];
  annotationError?: string;
  deleteAnnotation(uid: string): void;
  pane: Pane | null;
}

export function useImageControls(opts: {
  studyInstanceUID: string;
  display: LengthDisplay;
  colour: boolean;
}): ImageControls {
  const { studyInstanceUID, display, colour } = opts;
  const pane = useRef<Pane | null>(null);
  const sync = useRef<AnnotationSync | null>(null);
  const [attached, setAttached] = useState<Pane | null>(null);
  const [tool, setTool] = useState<PrimaryTool>('WindowLevel');
  const [inverted, setInverted] = useState(false);
  const [redFree, setRedFree] = useState(false);
  const [stretch, setStretch] = useState<ChannelRange[] | null>(null);
  const [annotations, setAnnotations] = useState<ListedAnnotation[]>([]);
  const [annotationError, setAnnotationError] = useState<string>();

  const attach = useCallback(
    (p: Pane, imageIds: string[]) => {
      pane.current = p;
      setAttached(p);
      const s = new AnnotationSync(studyInstanceUID, p.viewport, imageIds, display, (list, e) => {
        setAnnotations(list);
        setAnnotationError(e);
      });
      s.start();
      sync.current = s;
      let live = true;
      trpc.annotations.list
        .query({ studyInstanceUID })
        .then((saved) => {
          if (live) s.restore(saved);
        })
        .catch((e: Error) => live && setAnnotationError(`Saved annotations: ${e.message}`));
      return () => {
        live = false;
        s.stop();
        sync.current = null;
        pane.current = null;
        setAttached(null);
        // Another image starts without the old enhancement.
        setStretch(null);
        setRedFree(false);
      };
    },
    [studyInstanceUID, display],
  );

  const act = useCallback(
    (action: ViewerAction): boolean => {
      const p = pane.current;
      if (!p) return false;
      const vp = p.viewport;
      const primary = TOOL_ACTIONS[action];
      if (primary) {
        setPrimaryTool(p.group, primary);
        setTool(primary);
        return true;
      }
      switch (action) {
        case 'zoomIn':
        case 'zoomOut':
          controls.zoom(vp, action === 'zoomIn' ? 1 : -1);
          return true;
        case 'fit':
          controls.fit(vp);
          return true;
        case 'rotate':
          controls.rotate(vp);
          return true;
        case 'invert':
          setInverted(controls.invert(vp));
          return true;
        case 'resetWindow':
          controls.resetWindow(vp);
          return true;
        case 'redFree':
          if (!colour) return false;
          setRedFree((on) => !on);
          return true;
        case 'enhance':
          setStretch((on) => (on ? null : rangesOf(vp.getCurrentImageId())));
          return true;
        case 'deleteSelected':
          void sync.current?.deleteSelected();
          return true;
        default:
          return false;
      }
    },
    [colour],
  );

  return {
    attach,
    act,
    tool,
    inverted,
    redFree,
    stretch,
    annotations,
    annotationError,
    deleteAnnotation: (uid) => void sync.current?.delete(uid),
    pane: attached,
  };
}

/** Percentile ranges of the decoded image on screen, for the contrast stretch. */
function rangesOf(imageId: string | undefined): ChannelRange[] | null {
  const image = imageId ? cache.getImage(imageId) : undefined;
  if (!image) return null;
  const components = image.rgba ? 4 : image.color ? 3 : 1;
  return channelRanges(image.getPixelData() as ArrayLike<number>, components).slice(0, 3);
}
