'use client';

/**
 * `<StudyViewer studyInstanceUID=… />`: the viewer for one study, for any page to render.
 * Cornerstone needs a browser (WebGL, workers, WASM), so the viewer itself loads on the client
 * only; a server render would also double the build time.
 *
 * That viewer is most of the page's script (≈ 1.6 MB). So that a reader on a slow link is not
 * left with a spinner meanwhile, the study's metadata is asked for here, as soon as the page's
 * own small script runs, and the thumbnail of the image the viewer will open first is shown
 * until the viewer is there. The viewer then takes that same metadata instead of asking again.
 */
import dynamic from 'next/dynamic';
import { createContext, useContext, useEffect, useState } from 'react';
import { firstToShow, peekStudy, startLoadingStudy } from './study-loader';

/** The thumbnail URL of the image the viewer will open first, once the metadata is in. */
const Preview = createContext<string | null>(null);

function LoadingViewer() {
  const preview = useContext(Preview);
  return (
    <div className="viewer-loading">
      <p className="status loading" data-testid="viewer-status" data-state="loading">
        Loading the viewer…
      </p>
      {preview && (
        // eslint-disable-next-line @next/next/no-img-element
        <img
          className="early-preview"
          data-testid="early-preview"
          src={preview}
          alt="Preview of the first image, while the viewer loads"
        />
      )}
    </div>
  );
}

const ViewerApp = dynamic(() => import('./ViewerApp'), { ssr: false, loading: LoadingViewer });

export function StudyViewer({ studyInstanceUID }: { studyInstanceUID: string }) {
  if (typeof window !== 'undefined') startLoadingStudy(studyInstanceUID);
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    peekStudy(studyInstanceUID)?.then(
      (list) => {
        const first = firstToShow(list);
        const drawable = first && first.choice.kind !== 'pdf' && first.choice.kind !== 'none';
        if (live && drawable) setPreview(`${first.url}/thumbnail`);
      },
      // The viewer reports a failed load itself, with its reason.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [studyInstanceUID]);

  return (
    <Preview.Provider value={preview}>
      <ViewerApp studyInstanceUID={studyInstanceUID} />
    </Preview.Provider>
  );
}

export default StudyViewer;
