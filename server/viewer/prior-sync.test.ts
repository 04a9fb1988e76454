import assert from 'node:assert/strict';
import { test } from 'node:test';
import { priorFrame } from './prior-sync';

test('a prior volume shows the B-scan at the same relative position', () => {
  assert.equal(priorFrame(0, 128, 49), 0);
  assert.equal(priorFrame(127, 128, 49), 48);
  assert.equal(priorFrame(64, 129, 49), 24);
  // Same size: frame for frame.
  for (const i of [0, 17, 63]) assert.equal(priorFrame(i, 64, 64), i);
  // 10 of 0..19 is 10/19 through; 10/19 × 39 = 20.5 rounds to 21.
  assert.equal(priorFrame(10, 20, 40), 21);
});

test('single images and out-of-range indices stay inside the prior', () => {
  assert.equal(priorFrame(5, 10, 1), 0);
  assert.equal(priorFrame(0, 1, 30), 0);
  assert.equal(priorFrame(-3, 10, 30), 0);
  assert.equal(priorFrame(99, 10, 30), 29);
});
