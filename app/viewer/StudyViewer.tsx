'use client';

/**
 * `<StudyViewer studyInstanceUID=… />`: the viewer for one study, for any page to render.
 * Cornerstone needs a browser (WebGL, workers, WASM), so the viewer itself loads on the client
 * only; a server render would also double the build time.
 *
 * The study's metadata is asked for here, as soon as the page's own script runs, so that it
 * arrives while the viewer's much larger chunk (Cornerstone) is still loading, not after it.
 */
import dynamic from 'next/dynamic';
import { startLoadingStudy } from './study-loader';

const ViewerApp = dynamic(() => import('./ViewerApp'), {
  ssr: false,
  loading: () => (
    <p className="status loading" data-testid="viewer-status" data-state="loading">
      Loading the viewer…
    </p>
  ),
});

export function StudyViewer({ studyInstanceUID }: { studyInstanceUID: string }) {
  if (typeof window !== 'undefined') startLoadingStudy(studyInstanceUID);
  return <ViewerApp studyInstanceUID={studyInstanceUID} />;
}

export default StudyViewer;
