import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';
import { readJpegHeader } from './jpeg';

const lossy = ['jpeg_ybr_full', 'jpeg_ybr_422_f0', 'jpeg_ybr_422_f29', 'jpeg_ybr_422_icon'];
const lossless = ['jpeg_ll_sv1_rgb', 'jpeg_ll_p14_ct'];
const refused = ['jpeg_12bit', 'jpeg_53', 'jpeg_55'];
const cases = [...lossy, ...lossless, ...refused, 'jpeg_rgb_no_transform'];
const fx = skipReason ? {} : loadFixtures(cases);

async function decode(name: string) {
  const { frame, info, transferSyntaxUID } = fx[name];
  return decodeFrame(frame, info, transferSyntaxUID);
}

describe('JPEG Baseline colour matches pydicom', { skip: skipReason ?? false }, () => {
  // Reference: Pillow's YCbCr output converted by pydicom; libjpeg rounds its own conversion,
  // so lossy frames may differ by a rounding step.
  for (const name of lossy) {
    it(`${name} comes out RGB within ±2`, async () => {
      const decoded = await decode(name);

      assert.equal(decoded.channels, 3);
      assert.ok(maxDifference(decoded.data, fx[name].reference!) <= 2);
    });
  }

  it('YBR_FULL colour bars are red, green, blue, not green-tinted', async () => {
    const decoded = await decode('jpeg_ybr_full');

    // pydicom's published RGB of SC_rgb_jpeg_dcmtk after YBR_FULL conversion.
    assert.deepEqual(rgbAt(decoded.data, 100, 5, 50), [254, 0, 0]);
    assert.deepEqual(rgbAt(decoded.data, 100, 25, 50), [0, 255, 5]);
    assert.deepEqual(rgbAt(decoded.data, 100, 45, 50), [0, 0, 254]);
  });

  it('does not colour-convert RGB JPEG that has no colour transform', async () => {
    const { frame, reference } = fx.jpeg_rgb_no_transform;
    const header = readJpegHeader(frame)!;
    const decoded = await decode('jpeg_rgb_no_transform');

    assert.equal(header.jfif, false);
    assert.equal(header.adobeTransform, null);
    assert.deepEqual(header.componentIds, [0, 1, 2]);
    // pydicom's published pixels for SC_jpeg_no_color_transform, row 29, columns 77-80.
    assert.deepEqual(rgbAt(decoded.data, 256, 29, 77), [240, 243, 246]);
    assert.deepEqual(rgbAt(decoded.data, 256, 29, 79), [150, 134, 134]);
    assert.ok(maxDifference(decoded.data, reference!) <= 2);
  });
});

describe('JPEG Lossless matches dcmtk', { skip: skipReason ?? false }, () => {
  for (const name of lossless) {
    it(`${name} decodes exactly`, async () => {
      const decoded = await decode(name);

      assert.equal(maxDifference(decoded.data, fx[name].reference!), 0);
    });
  }

  it('keeps Process 14 CT values signed', async () => {
    const decoded = await decode('jpeg_ll_p14_ct');

    assert.ok(decoded.signed);
    assert.equal(decoded.data[0], -2000);
  });
});

describe('JPEG variants without a decoder', { skip: skipReason ?? false }, () => {
  it('refuses 12-bit JPEG Extended with CANNOT_DECODE', async () => {
    await assert.rejects(decode('jpeg_12bit'), {
      code: 'CANNOT_DECODE',
      message: /1\.2\.840\.10008\.1\.2\.4\.51 \(JPEG with 12-bit samples\).*byte-exact/,
    });
  });

  for (const [name, uid] of [
    ['jpeg_53', '4.53'],
    ['jpeg_55', '4.55'],
  ]) {
    it(`refuses retired ${uid} with CANNOT_DECODE`, async () => {
      await assert.rejects(decode(name), {
        code: 'CANNOT_DECODE',
        message: /Rendering is not available for transfer syntax .*retired.*byte-exact/,
      });
    });
  }

  it('reports a damaged baseline frame as CANNOT_DECODE', async () => {
    const { frame, info, transferSyntaxUID } = fx.jpeg_ybr_full;

    await assert.rejects(decodeFrame(frame.subarray(0, 300), info, transferSyntaxUID), {
      code: 'CANNOT_DECODE',
    });
  });
});
