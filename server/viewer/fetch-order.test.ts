import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centreOutOrder, nextToFetch } from './fetch-order';

test('frames are fetched from the current one outward, forward first', () => {
  assert.deepEqual(centreOutOrder(3, 7), [3, 4, 2, 5, 1, 6, 0]);
  assert.deepEqual(centreOutOrder(0, 4), [0, 1, 2, 3]);
  assert.deepEqual(centreOutOrder(3, 4), [3, 2, 1, 0]);
  assert.deepEqual(centreOutOrder(9, 3), [2, 1, 0], 'a current index past the end is clamped');
  assert.deepEqual(centreOutOrder(0, 0), []);
  const all = centreOutOrder(31, 64);
  assert.deepEqual(
    [...all].sort((a, b) => a - b),
    Array.from({ length: 64 }, (_, i) => i),
  );
});

test('a jump reorders what is left to fetch', () => {
  const done = new Set([10, 11, 9]);
  assert.equal(
    nextToFetch(10, 64, (i) => done.has(i)),
    12,
  );
  assert.equal(
    nextToFetch(50, 64, (i) => done.has(i)),
    50,
  );
  assert.equal(
    nextToFetch(0, 2, () => true),
    undefined,
  );
});
