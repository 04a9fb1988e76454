import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';
import type { PixelInfo } from './types';

const cases = [
  'mr_le',
  'mr_be',
  'emri_f4',
  'grey8',
  'rgb_odd',
  'rgb_odd_be',
  'rgb_ob_3x3',
  'planar_rgb_f1',
  'ybr_full_native',
  'ybr_422_native',
];
const fx = skipReason ? {} : loadFixtures(cases);

describe('native frames match pydicom', { skip: skipReason ?? false }, () => {
  for (const name of cases) {
    it(`${name} decodes exactly`, async () => {
      const { frame, info, transferSyntaxUID, reference } = fx[name];
      const decoded = await decodeFrame(frame, info, transferSyntaxUID);

      assert.equal(decoded.width, info.columns);
      assert.equal(decoded.height, info.rows);
      assert.equal(maxDifference(decoded.data, reference!), 0);
    });
  }

  it('reads big-endian 16-bit signed MR as little endian does', async () => {
    const le = await decodeFrame(fx.mr_le.frame, fx.mr_le.info, fx.mr_le.transferSyntaxUID);
    const be = await decodeFrame(fx.mr_be.frame, fx.mr_be.info, fx.mr_be.transferSyntaxUID);

    assert.ok(le.data instanceof Int16Array);
    // pydicom's published values for MR_small: row 0, columns 31-33.
    assert.deepEqual(Array.from(be.data.subarray(31, 34)), [422, 319, 361]);
    assert.equal(maxDifference(le.data, be.data), 0);
  });

  it('un-swaps 8-bit RGB held in big-endian OW words, odd length included', async () => {
    const { frame, info, transferSyntaxUID } = fx.rgb_odd_be;
    const decoded = await decodeFrame(frame, info, transferSyntaxUID);

    // pydicom's published values for SC_rgb_small_odd: rows are constant colours.
    assert.deepEqual(rgbAt(decoded.data, 3, 0, 0), [166, 141, 52]);
    assert.deepEqual(rgbAt(decoded.data, 3, 1, 2), [63, 87, 176]);
    assert.deepEqual(rgbAt(decoded.data, 3, 2, 2), [158, 158, 158]);
  });

  it('interleaves planar RGB (Planar Configuration 1)', async () => {
    const { frame, info, transferSyntaxUID } = fx.planar_rgb_f1;
    const decoded = await decodeFrame(frame, info, transferSyntaxUID);

    // Frame 2 of SC_rgb_rle_2frame is the colour bars inverted: cyan at the top.
    assert.equal(info.planarConfiguration, 1);
    assert.deepEqual(rgbAt(decoded.data, 100, 5, 50), [0, 255, 255]);
    assert.deepEqual(rgbAt(decoded.data, 100, 45, 50), [255, 255, 0]);
  });

  it('converts native YBR_FULL_422 to RGB', async () => {
    const { frame, info, transferSyntaxUID } = fx.ybr_422_native;
    const decoded = await decodeFrame(frame, info, transferSyntaxUID);

    assert.equal(frame.length, 100 * 100 * 2);
    assert.equal(decoded.channels, 3);
    assert.equal(decoded.photometricInterpretation, 'RGB');
  });

  it('refuses a truncated frame with CANNOT_DECODE', async () => {
    const { frame, info, transferSyntaxUID } = fx.mr_le;

    await assert.rejects(decodeFrame(frame.subarray(0, 100), info, transferSyntaxUID), {
      code: 'CANNOT_DECODE',
      message: /100 bytes where 8192 are expected/,
    });
  });
});

const LE = '1.2.840.10008.1.2.1';

function grey(bits: { allocated: number; stored: number; signed: boolean }): PixelInfo {
  return {
    rows: 1,
    columns: 4,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    bitsAllocated: bits.allocated,
    bitsStored: bits.stored,
    highBit: bits.stored - 1,
    pixelRepresentation: bits.signed ? 1 : 0,
    planarConfiguration: 0,
  };
}

describe('native sample layout (PS3.5 §8.1.1)', () => {
  it('masks bits above High Bit and sign-extends 12-bit values', async () => {
    // 0xF800 has junk in bits 12-15 and stores -2048; 0x0FFF is -1; 0x1001 is 1.
    const frame = Buffer.from([0x00, 0xf8, 0xff, 0x0f, 0x01, 0x10, 0xff, 0x07]);
    const decoded = await decodeFrame(frame, grey({ allocated: 16, stored: 12, signed: true }), LE);

    assert.deepEqual(Array.from(decoded.data), [-2048, -1, 1, 2047]);
  });

  it('unpacks 1-bit pixels least significant bit first', async () => {
    const decoded = await decodeFrame(
      Buffer.from([0b0000_1010]),
      grey({ allocated: 1, stored: 1, signed: false }),
      LE,
    );

    assert.deepEqual(Array.from(decoded.data), [0, 1, 0, 1]);
  });

  it('starts a packed 1-bit frame at its bit offset', async () => {
    // The previous frame owns the low 6 bits of the first byte; this frame is 1, 0, 1, 1.
    const info = { ...grey({ allocated: 1, stored: 1, signed: false }), bitOffset: 6 };
    const decoded = await decodeFrame(Buffer.from([0b0100_0000, 0b0000_0011]), info, LE);

    assert.deepEqual(Array.from(decoded.data), [1, 0, 1, 1]);
  });
});
