'use client';

/**
 * `<StudyViewer studyInstanceUID=… />`: the viewer for one study, for any page to render.
 * Cornerstone needs a browser (WebGL, workers, WASM), so the viewer itself loads on the client
 * only; a server render would also double the build time.
 */
import dynamic from 'next/dynamic';

const ViewerApp = dynamic(() => import('./ViewerApp'), {
  ssr: false,
  loading: () => (
    <p className="status loading" data-testid="viewer-status" data-state="loading">
      Loading the viewer…
    </p>
  ),
});

export function StudyViewer({ studyInstanceUID }: { studyInstanceUID: string }) {
  return <ViewerApp studyInstanceUID={studyInstanceUID} />;
}

export default StudyViewer;
