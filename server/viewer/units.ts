/**
 * How measurements are shown. Cornerstone measures in millimetres (or pixels when an image has
 * no usable Pixel Spacing); OCT B-scans are read in micrometres, where retinal layers live.
 */

export type LengthDisplay = 'mm' | 'µm';

export interface Shown {
  value: number;
  unit: string;
  text: string;
}

/** A length from Cornerstone (`unit` "mm" or "px") as the reader wants it. */
export function showLength(value: number, unit: string, prefer: LengthDisplay): Shown {
  if (unit === 'mm' && prefer === 'µm') {
    const um = value * 1000;
    return { value: um, unit: 'µm', text: `${um.toFixed(0)} µm` };
  }
  if (unit === 'mm') return { value, unit, text: `${value.toFixed(2)} mm` };
  return { value, unit, text: `${value.toFixed(1)} ${unit}` };
}

/** An area from Cornerstone ("mm²" or "px²"). Small areas keep more decimals. */
export function showArea(value: number, unit: string, prefer: LengthDisplay): Shown {
  if (unit === 'mm²' && prefer === 'µm' && value < 0.1) {
    const um2 = value * 1e6;
    return { value: um2, unit: 'µm²', text: `${Math.round(um2)} µm²` };
  }
  const digits = unit === 'mm²' ? (value < 1 ? 3 : 2) : 0;
  return { value, unit, text: `${value.toFixed(digits)} ${unit}` };
}
