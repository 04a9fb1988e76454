/**
 * Which B-scan of a prior volume matches the one on screen: the one at the same relative
 * position through the volume (first with first, middle with middle, last with last), as two
 * scans of one protocol cover the same area of the macula with their frames evenly spaced.
 */
export function priorFrame(index: number, count: number, priorCount: number): number {
  if (priorCount <= 1 || count <= 1) return 0;
  const at = Math.max(0, Math.min(count - 1, index)) / (count - 1);
  return Math.round(at * (priorCount - 1));
}
