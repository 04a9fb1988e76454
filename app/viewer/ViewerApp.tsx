'use client';

/**
 * The study viewer (browser only; loaded by StudyViewer with ssr: false). Lists the study's
 * instances with their thumbnails, which load first, and shows the chosen one in the view its
 * kind needs (server/viewer/sop-classes.ts).
 */
import { useCallback, useEffect, useState } from 'react';
import { octGeometry } from '@/server/viewer/oct-geometry';
import { CineView } from './CineView';
import { HelpPanel } from './HelpPanel';
import { OctView } from './OctView';
import { NotViewable, PdfView } from './OtherViews';
import { PhotoView } from './PhotoView';
import { actionForKey, typingInForm } from './shortcuts';
import type { ViewStatus } from './status';
import { firstToShow, StudyLoadError, takeStudy, type ViewerInstance } from './study-loader';
import { installTestHook } from './test-hook';
import './viewer.css';

const KIND_NAMES = { photo: 'Photo', oct: 'OCT', cine: 'Cine', pdf: 'PDF', none: 'Other' };

export default function ViewerApp({ studyInstanceUID }: { studyInstanceUID: string }) {
  const [instances, setInstances] = useState<ViewerInstance[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [status, setStatus] = useState<ViewStatus>({
    state: 'loading',
    text: 'Loading the study…',
  });
  const [help, setHelp] = useState(false);

  useEffect(() => {
    installTestHook();
    let live = true;
    takeStudy(studyInstanceUID).then(
      (list) => {
        if (!live) return;
        setInstances(list);
        setSelected(firstToShow(list)?.key ?? null);
        if (list.length === 0)
          setStatus({ state: 'error', text: 'This study holds no instances.' });
      },
      (e: Error) => {
        if (!live) return;
        const text = e instanceof StudyLoadError ? e.message : `Could not load: ${e.message}`;
        setStatus({ state: 'error', text });
      },
    );
    return () => {
      live = false;
    };
  }, [studyInstanceUID]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInForm(e)) return;
      if (actionForKey(e) === 'help') setHelp((h) => !h);
      else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onStatus = useCallback((s: ViewStatus) => setStatus(s), []);
  const current = instances?.find((i) => i.key === selected);

  return (
    <div className="viewer" data-testid="viewer">
      <aside className="instances" aria-label="Images in this study">
        <ul data-testid="instance-list">
          {instances?.map((i) => (
            <li key={i.key}>
              <button
                type="button"
                className={i.key === selected ? 'thumb selected' : 'thumb'}
                aria-pressed={i.key === selected}
                data-sop-instance-uid={i.sopInstanceUID}
                data-kind={i.choice.kind}
                onClick={() => setSelected(i.key)}
              >
                <Thumbnail instance={i} />
                <span className="caption">
                  {i.modality} {i.laterality && `${i.laterality === 'R' ? 'OD' : 'OS'} `}
                  {KIND_NAMES[i.choice.kind]}
                  {i.choice.frames > 1 ? ` · ${i.choice.frames} frames` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="main">
        <header className="viewer-bar">
          <p
            className={`status ${status.state}`}
            data-testid="viewer-status"
            data-state={status.state}
            data-loaded={status.loaded}
            data-total={status.total}
            role="status"
          >
            {status.state === 'loading' && <span className="spinner" aria-hidden />}
            {status.text}
            {status.total !== undefined && status.total > 1 && (
              <progress value={status.loaded ?? 0} max={status.total} />
            )}
          </p>
          <button type="button" className="secondary" onClick={() => setHelp((h) => !h)}>
            Shortcuts (?)
          </button>
        </header>
        {current && <View instance={current} all={instances!} onStatus={onStatus} />}
      </section>
      {help && <HelpPanel onClose={() => setHelp(false)} />}
    </div>
  );
}

/**
 * A thumbnail from the archive; a named tile for what has none, and for images the server
 * cannot render (the browser may still decode them), never a broken image.
 */
function Thumbnail({ instance }: { instance: ViewerInstance }) {
  const [failed, setFailed] = useState(false);
  const { kind } = instance.choice;
  if (kind === 'pdf' || kind === 'none' || failed) {
    return (
      <span className="tile" data-testid={failed ? 'no-thumbnail' : undefined}>
        {failed ? 'No preview' : KIND_NAMES[kind]}
      </span>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={`${instance.url}/thumbnail`}
      alt=""
      width={96}
      height={96}
      onError={() => setFailed(true)}
    />
  );
}

function View(props: {
  instance: ViewerInstance;
  all: ViewerInstance[];
  onStatus: (s: ViewStatus) => void;
}) {
  const { instance, all, onStatus } = props;
  switch (instance.choice.kind) {
    case 'photo':
      return <PhotoView key={instance.key} instance={instance} onStatus={onStatus} />;
    case 'oct': {
      const localizer = localizerOf(instance, all);
      return (
        <OctView key={instance.key} instance={instance} localizer={localizer} onStatus={onStatus} />
      );
    }
    case 'cine':
      return <CineView key={instance.key} instance={instance} onStatus={onStatus} />;
    case 'pdf':
      return <PdfView key={instance.key} instance={instance} onStatus={onStatus} />;
    case 'none':
      return <NotViewable key={instance.key} instance={instance} onStatus={onStatus} />;
    default: {
      const never: never = instance.choice.kind;
      return never;
    }
  }
}

/** The localizer the volume's frames refer to, when it is in the study and is an image. */
function localizerOf(oct: ViewerInstance, all: ViewerInstance[]): ViewerInstance | undefined {
  const uid = octGeometry(oct.metadata).localizer?.sopInstanceUID;
  return all.find((i) => i.sopInstanceUID === uid && i.choice.kind === 'photo');
}
