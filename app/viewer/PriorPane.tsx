'use client';

/**
 * The same eye at an earlier visit, beside the image on screen: the newest prior by default,
 * any other from a list. Zoom and pan follow the current image both ways; an OCT prior shows
 * the B-scan at the same relative position in its volume as the current one.
 *
 * Which studies count as priors is the server's business (server/archive/priors.ts): the same
 * patient, an image of the same eye and SOP class, earlier, and visible to the reader.
 */
import { Enums, type Types } from '@cornerstonejs/core';
import { useEffect, useMemo, useState } from 'react';
import { priorFrame } from '@/server/viewer/prior-sync';
import { trpc } from '../trpc-client';
import { registerInstance } from './cornerstone';
import { StackPane, type Pane } from './StackPane';
import { loadInstance, type ViewerInstance } from './study-loader';
import { testHook } from './test-hook';

interface PriorChoice {
  studyInstanceUID: string;
  studyDate: string | null;
  studyDescription: string | null;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}

type Loaded =
  | { state: 'loading' }
  | { state: 'none' }
  | { state: 'error'; text: string }
  | { state: 'ready'; choices: PriorChoice[] };

export function PriorPane(props: {
  current: ViewerInstance;
  /** The viewport of the current image, once drawn: zoom and pan are kept equal to it. */
  main: Pane | null;
  /** For a volume: the B-scan on screen and how many the current volume has. */
  frame?: { index: number; count: number };
  testId?: string;
}) {
  const { current, main, frame } = props;
  const testId = props.testId ?? 'prior-viewport';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [chosen, setChosen] = useState(0);
  const [fetched, setFetched] = useState<{
    sopInstanceUID: string;
    prior?: ViewerInstance;
    error?: string;
  } | null>(null);
  const [pane, setPane] = useState<Pane | null>(null);
  const [drawError, setDrawError] = useState<{ key: string; text: string } | null>(null);

  const eye = current.laterality === 'R' || current.laterality === 'L' ? current.laterality : null;

  useEffect(() => {
    if (!eye) return;
    let live = true;
    trpc.browse.priors
      .query({
        studyInstanceUID: current.studyInstanceUID,
        laterality: eye,
        sopClassUID: current.sopClassUID,
      })
      .then(
        (list) => {
          if (!live) return;
          const choices = (list ?? []).flatMap((s) =>
            s.images.slice(0, 1).map((i) => ({
              studyInstanceUID: s.studyInstanceUID,
              studyDate: s.studyDate,
              studyDescription: s.studyDescription,
              seriesInstanceUID: i.seriesInstanceUID,
              sopInstanceUID: i.sopInstanceUID,
            })),
          );
          setLoaded(choices.length ? { state: 'ready', choices } : { state: 'none' });
        },
        (e: Error) => live && setLoaded({ state: 'error', text: `Priors: ${e.message}` }),
      );
    return () => {
      live = false;
    };
  }, [current.studyInstanceUID, current.sopClassUID, eye]);

  const choice = loaded.state === 'ready' ? loaded.choices[chosen] : undefined;
  useEffect(() => {
    if (!choice) return;
    let live = true;
    const { sopInstanceUID } = choice;
    loadInstance(choice.studyInstanceUID, choice.seriesInstanceUID, sopInstanceUID).then(
      (p) => live && setFetched({ sopInstanceUID, prior: p }),
      (e: Error) => live && setFetched({ sopInstanceUID, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [choice]);
  // What was fetched for another choice is not shown while this one loads.
  const mine = fetched && fetched.sopInstanceUID === choice?.sopInstanceUID ? fetched : null;
  const prior = mine?.prior ?? null;

  const count = prior?.choice.frames ?? 1;
  const imageIds = useMemo(
    () => (prior ? registerInstance(prior.url, prior.metadata, prior.sopInstanceUID, count) : null),
    [prior, count],
  );
  const index = frame ? priorFrame(frame.index, frame.count, count) : 0;

  // The B-scan follows the current one.
  useEffect(() => {
    const vp = pane?.viewport;
    if (vp && vp.getCurrentImageIdIndex() !== index) void vp.setImageIdIndex(index);
  }, [pane, index]);

  // Zoom and pan, both ways.
  useEffect(() => {
    if (!pane || !main) return;
    return followCamera(main.viewport, pane.viewport);
  }, [pane, main]);

  useEffect(() => {
    testHook.prior =
      prior && pane ? { studyInstanceUID: prior.studyInstanceUID, index, count } : null;
  }, [prior, pane, index, count]);
  useEffect(
    () => () => {
      testHook.prior = null;
    },
    [],
  );

  const paneError =
    mine?.error ?? (drawError && drawError.key === prior?.key ? drawError.text : undefined);

  if (!eye) {
    return <Message text="This image names no eye (ImageLaterality), so it has no priors." />;
  }
  if (loaded.state === 'loading') return <Message text="Looking for earlier visits…" />;
  if (loaded.state === 'none') return <Message text="No earlier visit has this eye imaged so." />;
  if (loaded.state === 'error') return <Message text={loaded.text} error />;

  return (
    <div className="prior" data-testid="prior">
      <label className="prior-choice">
        Prior{' '}
        <select
          value={chosen}
          onChange={(e) => setChosen(Number(e.target.value))}
          data-testid="prior-select"
        >
          {loaded.choices.map((c, i) => (
            <option key={c.studyInstanceUID} value={i}>
              {formatDate(c.studyDate)}
              {c.studyDescription ? ` · ${c.studyDescription}` : ''}
            </option>
          ))}
        </select>
      </label>
      {paneError ? (
        <Message text={paneError} error />
      ) : imageIds && prior ? (
        <StackPane
          key={prior.key}
          testId={testId}
          label={`Prior of ${formatDate(choice?.studyDate ?? null)}`}
          imageIds={imageIds}
          initialIndex={index}
          tools="localizer"
          display="mm"
          thumbnailUrl={`${prior.url}/thumbnail`}
          onReady={(p) => {
            setPane(p);
            return () => setPane(null);
          }}
          onError={(text) => setDrawError({ key: prior.key, text })}
        />
      ) : (
        <Message text="Loading the prior…" />
      )}
      {count > 1 && (
        <span className="prior-frame" data-testid="prior-index">
          B-scan {index + 1} of {count}
        </span>
      )}
    </div>
  );
}

function Message(props: { text: string; error?: boolean }) {
  return (
    <p
      className={props.error ? 'pane missing error' : 'pane missing'}
      data-testid="prior-message"
      role={props.error ? 'alert' : undefined}
    >
      {props.text}
    </p>
  );
}

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD. */
function formatDate(da: string | null): string {
  if (!da || da.length !== 8) return 'undated';
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}`;
}

/**
 * Keeps two viewports' zoom and pan equal, whichever of them the reader moves. (Cornerstone's
 * zoom-pan synchronizer looks both viewports up in one rendering engine; each pane has its own.)
 */
function followCamera(a: Types.IStackViewport, b: Types.IStackViewport): () => void {
  let copying = false;
  const copy = (from: Types.IStackViewport, to: Types.IStackViewport) => () => {
    if (copying) return;
    copying = true;
    try {
      to.setZoom(from.getZoom());
      to.setPan(from.getPan());
      to.render();
    } finally {
      copying = false;
    }
  };
  const aToB = copy(a, b);
  const bToA = copy(b, a);
  a.element.addEventListener(Enums.Events.CAMERA_MODIFIED, aToB);
  b.element.addEventListener(Enums.Events.CAMERA_MODIFIED, bToA);
  aToB();
  return () => {
    a.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, aToB);
    b.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, bToA);
  };
}
