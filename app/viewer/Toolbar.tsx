'use client';

import type { ImageControls } from './useImageControls';
import { SHORTCUTS, type ViewerAction } from './shortcuts';

const KEY_OF = new Map(SHORTCUTS.map((s) => [s.action, s.shown]));

function Button(props: {
  action: ViewerAction;
  label: string;
  pressed?: boolean;
  disabled?: boolean;
  onAct: (a: ViewerAction) => void;
}) {
  const key = KEY_OF.get(props.action);
  return (
    <button
      type="button"
      className="secondary"
      data-action={props.action}
      aria-pressed={props.pressed}
      disabled={props.disabled}
      title={key ? `${props.label} (${key})` : props.label}
      onClick={() => props.onAct(props.action)}
    >
      {props.label}
    </button>
  );
}

/**
 * The image toolbar: left-button tools, view changes, enhancements, deleting, and the prior
 * shown beside the image when the view offers one.
 */
export function Toolbar(props: {
  controls: ImageControls;
  colour: boolean;
  compare?: { on: boolean; toggle: () => void };
}) {
  const { controls, colour, compare } = props;
  const act = (a: ViewerAction) => {
    controls.act(a);
  };
  const disabled = !controls.pane;
  return (
    <div className="toolbar" role="toolbar" aria-label="Image tools">
      <div className="group">
        <Button
          action="toolWindowLevel"
          label="Brightness/contrast"
          onAct={act}
          pressed={controls.tool === 'WindowLevel'}
          disabled={disabled}
        />
        <Button
          action="toolLength"
          label="Length"
          onAct={act}
          pressed={controls.tool === 'Length'}
          disabled={disabled}
        />
        <Button
          action="toolRectangle"
          label="Area"
          onAct={act}
          pressed={controls.tool === 'RectangleROI'}
          disabled={disabled}
        />
        <Button
          action="toolArrow"
          label="Arrow"
          onAct={act}
          pressed={controls.tool === 'ArrowAnnotate'}
          disabled={disabled}
        />
        <Button
          action="toolLabel"
          label="Text"
          onAct={act}
          pressed={controls.tool === 'Label'}
          disabled={disabled}
        />
      </div>
      <div className="group">
        <Button action="zoomIn" label="Zoom +" onAct={act} disabled={disabled} />
        <Button action="zoomOut" label="Zoom −" onAct={act} disabled={disabled} />
        <Button action="fit" label="Fit" onAct={act} disabled={disabled} />
        <Button action="rotate" label="Rotate" onAct={act} disabled={disabled} />
        <Button
          action="invert"
          label="Invert"
          onAct={act}
          pressed={controls.inverted}
          disabled={disabled}
        />
        <Button action="resetWindow" label="Reset" onAct={act} disabled={disabled} />
      </div>
      <div className="group">
        {colour && (
          <Button
            action="redFree"
            label="Red-free"
            onAct={act}
            pressed={controls.redFree}
            disabled={disabled}
          />
        )}
        <Button
          action="enhance"
          label="Enhance"
          onAct={act}
          pressed={!!controls.stretch}
          disabled={disabled}
        />
        <Button action="deleteSelected" label="Delete selected" onAct={act} disabled={disabled} />
      </div>
      {compare && (
        <div className="group">
          <Button
            action="compare"
            label="Compare with prior"
            onAct={compare.toggle}
            pressed={compare.on}
          />
        </div>
      )}
    </div>
  );
}
