'use client';

/**
 * A single-frame image (fundus photo, SLO, localizer shown alone): one measuring viewport, and
 * on request the same eye's prior beside it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { pixelSpacing } from '@/server/viewer/image-plane';
import { num, TAG } from '@/server/viewer/dicom-json';
import { AnnotationList, ScaleNote } from './Annotations';
import { registerInstance } from './cornerstone';
import { EnhanceFilter } from './EnhanceFilter';
import { PriorPane } from './PriorPane';
import type { ViewerAction } from './shortcuts';
import { StackPane, type Pane } from './StackPane';
import type { ReportStatus } from './status';
import type { ViewerInstance } from './study-loader';
import { Toolbar } from './Toolbar';
import { useImageControls } from './useImageControls';
import { useKeys } from './useKeys';

export function PhotoView(props: { instance: ViewerInstance; onStatus: ReportStatus }) {
  const { instance, onStatus } = props;
  const imageIds = useMemo(
    () => registerInstance(instance.url, instance.metadata, instance.sopInstanceUID, 1),
    [instance],
  );
  const colour = (num(instance.metadata, TAG.SamplesPerPixel) ?? 1) > 1;
  const controls = useImageControls({
    studyInstanceUID: instance.studyInstanceUID,
    display: 'mm',
    colour,
  });
  const [compare, setCompare] = useState(false);
  const toggleCompare = useCallback(() => setCompare((on) => !on), []);
  const act = useCallback(
    (action: ViewerAction) => {
      if (action !== 'compare') return controls.act(action);
      toggleCompare();
      return true;
    },
    [controls, toggleCompare],
  );
  useKeys(act);
  const status = useRef(onStatus);
  useEffect(() => {
    status.current = onStatus;
  });

  useEffect(() => {
    status.current({ state: 'loading', text: 'Loading the image…', loaded: 0, total: 1 });
  }, [instance]);

  const onReady = (pane: Pane) => {
    status.current({ state: 'ready', text: 'Image loaded', loaded: 1, total: 1 });
    const detach = controls.attach(pane, imageIds);
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      controls.act(e.deltaY < 0 ? 'zoomIn' : 'zoomOut');
    };
    pane.element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      pane.element.removeEventListener('wheel', onWheel);
      detach();
    };
  };

  return (
    <div className="view">
      <Toolbar
        controls={controls}
        colour={colour}
        compare={{ on: compare, toggle: toggleCompare }}
      />
      <ScaleNote spacing={pixelSpacing(instance.metadata)} oct={false} />
      <div className="panes">
        <StackPane
          testId="photo-viewport"
          label="Image"
          imageIds={imageIds}
          tools="measure"
          display="mm"
          thumbnailUrl={`${instance.url}/thumbnail`}
          onReady={onReady}
          onError={(text) => status.current({ state: 'error', text })}
        >
          <EnhanceFilter
            element={controls.pane?.element ?? null}
            redFree={controls.redFree}
            stretch={controls.stretch}
          />
        </StackPane>
        {compare && <PriorPane current={instance} main={controls.pane} />}
      </div>
      <AnnotationList controls={controls} />
    </div>
  );
}
