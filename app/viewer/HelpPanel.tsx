'use client';

import { SHORTCUTS } from './shortcuts';

export function HelpPanel({ onClose }: { onClose: () => void }) {
  return (
    <aside className="help" data-testid="help-panel" aria-label="Keyboard shortcuts">
      <header>
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      <table className="grid">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                <kbd>{s.shown}</kbd>
              </td>
              <td>{s.label}</td>
              <td className="hint">{s.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Mouse: left button uses the chosen tool, right button drags to zoom, middle button pans, the
        wheel steps through B-scans and frames. Click the localizer to jump to the nearest B-scan.
      </p>
    </aside>
  );
}
