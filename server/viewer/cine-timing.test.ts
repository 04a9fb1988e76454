import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cineTiming, showElapsed } from './cine-timing';

test('a Frame Time Vector gives each frame its own increment', () => {
  const ds = { '00181065': { vr: 'DS', Value: [0, 500, 500, 2000, 30000] } };
  assert.deepEqual(cineTiming(ds, 5), {
    delays: [0, 500, 500, 2000, 30000],
    elapsed: [0, 500, 1000, 3000, 33000],
    source: 'FrameTimeVector',
  });
  // A first value other than 0 is still no wait before the first frame.
  assert.deepEqual(
    cineTiming({ '00181065': { vr: 'DS', Value: ['40', '40'] } }, 2).elapsed,
    [0, 40],
  );
});

test('then Frame Time, then Cine Rate, then ten a second', () => {
  const ft = cineTiming({ '00181063': { vr: 'DS', Value: [33.3] } }, 3);
  assert.equal(ft.source, 'FrameTime');
  assert.deepEqual(ft.delays, [0, 33.3, 33.3]);
  assert.ok(Math.abs(ft.elapsed[2] - 66.6) < 1e-9);
  assert.deepEqual(cineTiming({ '00180040': { vr: 'IS', Value: ['25'] } }, 2).delays, [0, 40]);
  assert.equal(cineTiming({ '00181063': { vr: 'DS', Value: [0] } }, 2).source, 'default');
  assert.deepEqual(cineTiming({}, 3).elapsed, [0, 100, 200]);
});

test('a vector of the wrong length or with absurd steps is not trusted', () => {
  const short = {
    '00181065': { vr: 'DS', Value: [0, 100] },
    '00181063': { vr: 'DS', Value: [50] },
  };
  assert.equal(cineTiming(short, 3).source, 'FrameTime');
  assert.equal(cineTiming({ '00181065': { vr: 'DS', Value: [0, -5, 10] } }, 3).source, 'default');
  assert.equal(cineTiming({ '00181065': { vr: 'DS', Value: [0, 0, 10] } }, 3).source, 'default');
});

test('elapsed time reads in seconds, then minutes', () => {
  assert.equal(showElapsed(0), '0.0 s');
  assert.equal(showElapsed(12_449), '12.4 s');
  assert.equal(showElapsed(125_000), '2:05.0');
  assert.equal(showElapsed(600_500), '10:00.5');
});
