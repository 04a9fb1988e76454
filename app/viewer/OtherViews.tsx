'use client';

/** The views without Cornerstone: an Encapsulated PDF inline, and "not viewable". */
import { useEffect } from 'react';
import type { ReportStatus } from './status';
import type { ViewerInstance } from './study-loader';

/**
 * The document as the archive renders it (`rendered` answers application/pdf for an
 * Encapsulated PDF), in the browser's own PDF viewer, with a link for browsers that have none.
 */
export function PdfView(props: { instance: ViewerInstance; onStatus: ReportStatus }) {
  const { instance, onStatus } = props;
  const url = `${instance.url}/rendered`;
  useEffect(() => {
    onStatus({ state: 'ready', text: 'PDF document' });
  }, [instance, onStatus]);
  return (
    <div className="view">
      <iframe className="pdf" src={url} title="PDF document" data-testid="pdf-frame" />
      <p className="hint">
        Nothing shown? <a href={url}>Open the PDF</a> on its own.
      </p>
    </div>
  );
}

export function NotViewable(props: { instance: ViewerInstance; onStatus: ReportStatus }) {
  const { instance, onStatus } = props;
  useEffect(() => {
    onStatus({ state: 'ready', text: `${instance.sopClassName}: not viewable` });
  }, [instance, onStatus]);
  return (
    <div className="view">
      <div className="not-viewable" data-testid="not-viewable" role="note">
        <h2>Not viewable here</h2>
        <p>
          <strong data-testid="sop-class-name">{instance.sopClassName}</strong>
        </p>
        <p>{instance.choice.reason ?? 'This viewer cannot show this kind of object.'}</p>
        <p className="hint">
          The archive keeps it as received (SOP Instance UID {instance.sopInstanceUID}): open it in
          the software that made it.
        </p>
      </div>
    </div>
  );
}
