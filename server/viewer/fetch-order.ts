/**
 * The order frames of a stack are fetched in over a slow link: the frame on screen first, then
 * outward both ways (next, previous, next but one...), because a reader scrolls from where they
 * are. Recomputed whenever the current frame changes, so a jump reorders what is left.
 */

/** All indices 0..count-1, starting at `current` and alternating outward, forward first. */
export function centreOutOrder(current: number, count: number): number[] {
  if (count <= 0) return [];
  const start = Math.min(count - 1, Math.max(0, Math.round(current)));
  const order = [start];
  for (let step = 1; order.length < count; step++) {
    if (start + step < count) order.push(start + step);
    if (start - step >= 0) order.push(start - step);
  }
  return order;
}

/** The next index to fetch from `current`, skipping those `isDone` reports; undefined if none. */
export function nextToFetch(
  current: number,
  count: number,
  isDone: (index: number) => boolean,
): number | undefined {
  return centreOutOrder(current, count).find((i) => !isDone(i));
}
