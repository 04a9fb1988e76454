import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelRanges, stretchTransfer } from './enhance';

test('per-channel percentiles ignore the black mask around the photo', () => {
  const pixels: number[] = [];
  for (let i = 0; i < 1000; i++) pixels.push(0, 0, 0); // the mask
  for (let v = 0; v < 100; v++) pixels.push(100 + v, 50 + v / 2, 20);
  const [r, g, b] = channelRanges(pixels, 3, 0.01, 0.99);
  assert.deepEqual([r.low, r.high], [100, 198]);
  assert.deepEqual([g.low, g.high], [50, 99]);
  assert.deepEqual([b.low, b.high], [20, 20]);
});

test('the stretch maps low to 0 and high to 1', () => {
  const { slope, intercept } = stretchTransfer({ low: 51, high: 204 });
  assert.ok(Math.abs(slope * (51 / 255) + intercept) < 1e-12);
  assert.ok(Math.abs(slope * (204 / 255) + intercept - 1) < 1e-12);
  assert.deepEqual(stretchTransfer({ low: 7, high: 7 }).slope, 255);
});
