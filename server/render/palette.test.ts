import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, skipReason } from './fixtures';
import { expandSegments } from './palette';
import type { PixelInfo } from './types';

const cases = ['palette8_lut16', 'palette8_lut8_first', 'palette16_65536', 'palette_segmented'];
const fx = skipReason ? {} : loadFixtures(cases);

/** pydicom's apply_color_lut keeps 16-bit entries; rendering keeps their high byte. */
function to8Bit(reference: ArrayLike<number>): number[] {
  return Array.from(reference, (v) => (reference instanceof Uint16Array ? v >> 8 : v));
}

describe('PALETTE COLOR matches pydicom apply_color_lut', { skip: skipReason ?? false }, () => {
  for (const name of cases) {
    it(`${name} maps every pixel to the reference colour`, async () => {
      const { frame, info, transferSyntaxUID, reference } = fx[name];
      const decoded = await decodeFrame(frame, info, transferSyntaxUID);

      assert.equal(decoded.channels, 3);
      assert.equal(decoded.photometricInterpretation, 'RGB');
      assert.ok(decoded.data instanceof Uint8Array);
      // Linear segments may round a half the other way than numpy's round-half-even.
      const tolerance = name === 'palette_segmented' ? 1 : 0;
      assert.ok(maxDifference(decoded.data, to8Bit(reference!)) <= tolerance);
    });
  }

  it('is not grey: the three channels differ', async () => {
    const { frame, info, transferSyntaxUID } = fx.palette8_lut16;
    const decoded = await decodeFrame(frame, info, transferSyntaxUID);

    assert.notEqual(decoded.data[0], decoded.data[1]);
  });

  it('reads the LUT data byte-swapped in Explicit VR Big Endian', async () => {
    const { frame, info, reference } = fx.palette8_lut16;
    const swap = (bytes?: Uint8Array) => Buffer.from(bytes!).swap16();
    const palette = info.palette!;
    const bigEndian: PixelInfo = {
      ...info,
      palette: {
        red: { ...palette.red, data: swap(palette.red.data) },
        green: { ...palette.green, data: swap(palette.green.data) },
        blue: { ...palette.blue, data: swap(palette.blue.data) },
      },
    };
    const decoded = await decodeFrame(frame, bigEndian, '1.2.840.10008.1.2.2');

    assert.equal(maxDifference(decoded.data, to8Bit(reference!)), 0);
  });

  it('refuses PALETTE COLOR without tables', async () => {
    const { frame, info, transferSyntaxUID } = fx.palette8_lut16;

    await assert.rejects(decodeFrame(frame, { ...info, palette: undefined }, transferSyntaxUID), {
      code: 'CANNOT_DECODE',
      message: /without palette tables/,
    });
  });
});

describe('segmented palette tables (PS3.3 C.7.9.2)', () => {
  it('expands discrete, linear and indirect segments', () => {
    const words = new Uint16Array([0, 2, 10, 20, 1, 4, 60, 2, 1, 0, 0]);

    // Discrete 10, 20; linear to 60 over 4; indirect: repeat the first segment.
    assert.deepEqual(expandSegments(words, 8), [10, 20, 30, 40, 50, 60, 10, 20]);
  });

  it('refuses an indirect segment that points at itself', () => {
    const words = new Uint16Array([0, 1, 5, 2, 1, 3, 0]);

    assert.throws(() => expandSegments(words, 4), /points forward/);
  });
});
