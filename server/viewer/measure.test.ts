import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PixelSpacing } from './image-plane';
import { measure } from './measure';

const oct: PixelSpacing = {
  status: 'ok',
  rowSpacing: 0.0039,
  columnSpacing: 0.006826,
  source: 'shared',
};

test('lengths scale columns and rows by their own spacing', () => {
  const m = measure(
    'Length',
    [
      [100, 50],
      [400, 450],
    ],
    oct,
  );
  assert.equal(m?.unit, 'mm');
  assert.ok(Math.abs(m!.value - Math.hypot(300 * 0.006826, 400 * 0.0039)) < 1e-12);
  assert.deepEqual(
    measure(
      'Length',
      [
        [0, 0],
        [3, 4],
      ],
      { status: 'absent' },
    ),
    {
      value: 5,
      unit: 'px',
    },
  );
});

test('rectangle areas, whatever the corner order', () => {
  const corners: Array<[number, number]> = [
    [10, 10],
    [110, 10],
    [10, 60],
    [110, 60],
  ];
  const m = measure('RectangleROI', corners, oct);
  assert.equal(m?.unit, 'mm²');
  assert.ok(Math.abs(m!.value - 100 * 0.006826 * 50 * 0.0039) < 1e-12);
  assert.equal(measure('ArrowAnnotate', corners, oct), null);
});
