/**
 * Display enhancements for colour fundus photographs, applied as an SVG filter on the viewport
 * canvas (so the stored pixels, Cornerstone's tools and its measurements are untouched):
 *
 * - red-free: the green channel shown as grey, where vessels and haemorrhages contrast best;
 * - contrast stretch: each channel linearly stretched so its 1st..99th percentile fills the
 *   range. A global stretch, not CLAHE: it does not adapt to local regions.
 *
 * The percentiles are computed here from the decoded image; the browser applies the filter.
 */

export interface ChannelRange {
  low: number;
  high: number;
}

/**
 * The `low`..`high` quantiles (0..1) of each channel of interleaved 8-bit-range pixels with
 * `components` samples per pixel. Pixels that are black in every channel (the mask around a
 * fundus photo) are left out, so the border does not pull the stretch down.
 */
export function channelRanges(
  pixels: ArrayLike<number>,
  components: number,
  low = 0.01,
  high = 0.99,
): ChannelRange[] {
  const histograms = Array.from({ length: components }, () => new Uint32Array(256));
  let counted = 0;
  for (let i = 0; i + components <= pixels.length; i += components) {
    let dark = true;
    for (let c = 0; c < components; c++) if (pixels[i + c] > 8) dark = false;
    if (dark) continue;
    counted++;
    for (let c = 0; c < components; c++) {
      histograms[c][Math.min(255, Math.max(0, Math.round(pixels[i + c])))]++;
    }
  }
  return histograms.map((h) =>
    counted === 0
      ? { low: 0, high: 255 }
      : { low: quantile(h, counted, low), high: quantile(h, counted, high) },
  );
}

function quantile(histogram: Uint32Array, total: number, q: number): number {
  const target = q * total;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= target) return v;
  }
  return 255;
}

/** feComponentTransfer "linear" parameters mapping low..high (0..255) onto 0..1. */
export function stretchTransfer(range: ChannelRange): { slope: number; intercept: number } {
  const span = Math.max(1, range.high - range.low);
  return { slope: 255 / span, intercept: -range.low / span };
}

/** feColorMatrix values that show the green channel as grey (red-free). */
export const RED_FREE_MATRIX = '0 1 0 0 0  0 1 0 0 0  0 1 0 0 0  0 0 0 1 0';
