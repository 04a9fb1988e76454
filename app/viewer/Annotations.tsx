'use client';

import type { PixelSpacing } from '@/server/viewer/image-plane';
import type { ImageControls } from './useImageControls';

const TOOL_NAMES: Record<string, string> = {
  Length: 'Length',
  RectangleROI: 'Area',
  ArrowAnnotate: 'Arrow',
  Label: 'Text',
};

/** The reader's annotations on this image, each with its value and a delete button. */
export function AnnotationList({ controls }: { controls: ImageControls }) {
  return (
    <section className="annotations" aria-label="Your annotations">
      <h2>Your annotations</h2>
      {controls.annotationError && (
        <p className="error" role="alert">
          {controls.annotationError}
        </p>
      )}
      {controls.annotations.length === 0 ? (
        <p className="hint">None yet. Choose Length, Area, Arrow or Text and draw on the image.</p>
      ) : (
        <ul data-testid="annotation-list">
          {controls.annotations.map((a) => (
            <li key={a.uid} data-tool={a.toolName} data-saved={a.saved ? 'yes' : 'no'}>
              <span className="kind">{TOOL_NAMES[a.toolName] ?? a.toolName}</span>
              {a.frameNumber !== undefined && <span className="frame">B-scan {a.frameNumber}</span>}
              <span className="value">{a.text}</span>
              {!a.saved && <span className="hint">saving…</span>}
              <button
                type="button"
                className="link-button"
                onClick={() => controls.deleteAnnotation(a.uid)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function micrometres(mm: number): string {
  return `${(mm * 1000).toFixed(1)} µm`;
}

/** The physical scale of an image, or why there is none (then measurements are in pixels). */
export function ScaleNote({ spacing, oct }: { spacing: PixelSpacing; oct: boolean }) {
  if (spacing.status === 'ok') {
    const text = oct
      ? `${micrometres(spacing.rowSpacing)} per row (depth) × ${micrometres(spacing.columnSpacing)}` +
        ' per column'
      : `${spacing.columnSpacing.toFixed(4)} × ${spacing.rowSpacing.toFixed(4)} mm per pixel`;
    return (
      <p className="scale" data-testid="scale-note">
        Scale: {text}
      </p>
    );
  }
  if (spacing.status === 'refused') {
    return (
      <p className="scale warning" data-testid="scale-warning" role="status">
        Scale not used: {spacing.reason}. Measurements are shown in pixels.
      </p>
    );
  }
  return (
    <p className="scale" data-testid="scale-note">
      No Pixel Spacing in this image: measurements are shown in pixels.
    </p>
  );
}
