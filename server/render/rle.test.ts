import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';
import type { PixelInfo } from './types';

const RLE = '1.2.840.10008.1.2.5';
const cases = ['mr_rle', 'rgb_rle_f0', 'rgb_rle_f1'];
const fx = skipReason ? {} : loadFixtures(cases);

describe('RLE Lossless frames match pydicom', { skip: skipReason ?? false }, () => {
  for (const name of cases) {
    it(`${name} decodes exactly`, async () => {
      const { frame, info, transferSyntaxUID, reference } = fx[name];
      const decoded = await decodeFrame(frame, info, transferSyntaxUID);

      assert.equal(transferSyntaxUID, RLE);
      assert.equal(maxDifference(decoded.data, reference!), 0);
    });
  }

  it('puts red, green and blue in the right channels', async () => {
    const { frame, info } = fx.rgb_rle_f0;
    const decoded = await decodeFrame(frame, info, RLE);

    // pydicom's published colour bars of SC_rgb_rle_2frame, frame 1.
    assert.deepEqual(rgbAt(decoded.data, 100, 5, 50), [255, 0, 0]);
    assert.deepEqual(rgbAt(decoded.data, 100, 25, 50), [0, 255, 0]);
    assert.deepEqual(rgbAt(decoded.data, 100, 45, 50), [0, 0, 255]);
    assert.deepEqual(rgbAt(decoded.data, 100, 75, 50), [64, 64, 64]);
  });

  it('refuses a frame whose header lists the wrong number of segments', async () => {
    const { frame, info } = fx.mr_rle;
    const broken = Buffer.from(frame);
    broken.writeUInt32LE(1, 0);

    await assert.rejects(decodeFrame(broken, info, RLE), {
      code: 'CANNOT_DECODE',
      message: /1 segments where 2 are expected/,
    });
  });
});

describe('PackBits segments (PS3.5 G.3.2)', () => {
  const info: PixelInfo = {
    rows: 1,
    columns: 8,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    bitsAllocated: 8,
    bitsStored: 8,
    highBit: 7,
    pixelRepresentation: 0,
    planarConfiguration: 0,
  };

  function rleFrame(segment: number[]): Buffer {
    const header = Buffer.alloc(64);
    header.writeUInt32LE(1, 0);
    header.writeUInt32LE(64, 4);
    return Buffer.concat([header, Buffer.from(segment)]);
  }

  it('expands literal runs, replicate runs and skips -128', async () => {
    // 2 literals (7, 8); -128 no-op; replicate 9 four times (-3); 1 literal (5); pad to 8.
    const segment = [0x01, 7, 8, 0x80, 0xfd, 9, 0x00, 5, 0xff, 6];
    const decoded = await decodeFrame(rleFrame(segment), info, RLE);

    assert.deepEqual(Array.from(decoded.data), [7, 8, 9, 9, 9, 9, 5, 6]);
  });

  it('drops output past the frame and zero-fills a short segment', async () => {
    const long = await decodeFrame(rleFrame([0xf9, 1, 0x00, 2]), info, RLE);
    const short = await decodeFrame(rleFrame([0x01, 3, 4]), info, RLE);

    assert.deepEqual(Array.from(long.data), [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(short.data), [3, 4, 0, 0, 0, 0, 0, 0]);
  });
});
