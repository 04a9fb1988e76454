import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { interleave, rctToRgb, ybrFullToRgb } from './colour';

describe('colour conversions', () => {
  it('interleaves planar samples', () => {
    const planar = new Uint8Array([1, 2, 10, 20, 100, 200]);
    const out = interleave({
      width: 2,
      height: 1,
      components: 3,
      samples: planar,
      layout: 'planar',
      rgb: false,
    });

    assert.deepEqual(Array.from(out), [1, 10, 100, 2, 20, 200]);
  });

  it('turns YBR_FULL colour bars into RGB (PS3.3 C.7.6.3.1.2)', () => {
    // pydicom's published pairs for SC_ybr_full_uncompressed: YBR (76,85,255) is red.
    const ybr = new Uint8Array([76, 85, 255, 150, 46, 20, 29, 255, 107, 64, 128, 128]);
    const rgb = Array.from(ybrFullToRgb(ybr, 8));

    assert.deepEqual(rgb, [254, 0, 0, 0, 255, 5, 0, 0, 254, 64, 64, 64]);
  });

  it('inverts the reversible component transform (ISO 15444-1 G.2)', () => {
    const rgb = [
      [200, 30, 90],
      [0, 255, 17],
      [128, 128, 128],
    ];
    // Forward RCT on level-shifted samples, then shifted back as a decoder without MCT emits.
    const ybr = rgb.flatMap(([r, g, b]) => [
      Math.floor((r + 2 * g + b) / 4),
      b - g + 128,
      r - g + 128,
    ]);
    const out = rctToRgb(new Int16Array(ybr), 8);

    assert.deepEqual(Array.from(out), rgb.flat());
  });
});
