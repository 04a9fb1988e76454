/**
 * What the toolbar and the keys do to a stack viewport. Rotation goes in 90° steps and is
 * kept through "fit", which only resets zoom and pan.
 */
import type { Types } from '@cornerstonejs/core';

const ZOOM_STEP = 1.25;

export function zoom(viewport: Types.IStackViewport, direction: 1 | -1): void {
  viewport.setZoom(viewport.getZoom() * (direction > 0 ? ZOOM_STEP : 1 / ZOOM_STEP));
  viewport.render();
}

export function rotation(viewport: Types.IStackViewport): number {
  return viewport.getViewPresentation().rotation ?? 0;
}

export function fit(viewport: Types.IStackViewport): void {
  const keep = rotation(viewport);
  viewport.resetCamera();
  viewport.setViewPresentation({ rotation: keep });
  viewport.render();
}

export function rotate(viewport: Types.IStackViewport): number {
  const next = (Math.round(rotation(viewport) / 90) * 90 + 90) % 360;
  viewport.setViewPresentation({ rotation: next });
  viewport.render();
  return next;
}

export function invert(viewport: Types.IStackViewport): boolean {
  const inverted = !viewport.getProperties().invert;
  viewport.setProperties({ invert: inverted });
  viewport.render();
  return inverted;
}

/** Back to the image's own brightness and contrast, keeping inversion. */
export function resetWindow(viewport: Types.IStackViewport): void {
  const inverted = !!viewport.getProperties().invert;
  viewport.resetProperties();
  viewport.setProperties({ invert: inverted });
  viewport.render();
}
