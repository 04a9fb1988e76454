import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';

const cases = ['jls_mr', 'jls_rgb_ilv0', 'jls_rgb_lossy_line'];
const fx = skipReason ? {} : loadFixtures(cases);

async function decode(name: string) {
  const { frame, info, transferSyntaxUID } = fx[name];
  return decodeFrame(frame, info, transferSyntaxUID);
}

describe('JPEG-LS frames match dcmtk (dcmdjpls)', { skip: skipReason ?? false }, () => {
  for (const name of cases) {
    it(`${name} decodes exactly`, async () => {
      const decoded = await decode(name);

      assert.equal(maxDifference(decoded.data, fx[name].reference!), 0);
    });
  }

  it('interleaves a plane-by-plane (ILV 0) colour frame', async () => {
    const decoded = await decode('jls_rgb_ilv0');

    // pydicom's published pixels for JLSL_RGB_ILV0, rows 124-127 of column 40.
    assert.deepEqual(rgbAt(decoded.data, 256, 124, 40), [115, 109, 91]);
    assert.deepEqual(rgbAt(decoded.data, 256, 127, 40), [192, 53, 172]);
  });

  it('keeps near-lossless line-interleaved colour bars in place', async () => {
    const decoded = await decode('jls_rgb_lossy_line');

    assert.deepEqual(rgbAt(decoded.data, 100, 10, 0), [255, 130, 130]);
    assert.deepEqual(rgbAt(decoded.data, 100, 40, 0), [0, 0, 255]);
  });

  it('reads 16-bit signed MR as two’s complement', async () => {
    const decoded = await decode('jls_mr');

    assert.ok(decoded.data instanceof Int16Array);
    assert.deepEqual(Array.from(decoded.data.subarray(64 * 63 + 61)), [1369, 1129, 862]);
  });

  it('reports damaged JPEG-LS data as CANNOT_DECODE', async () => {
    const { frame, info, transferSyntaxUID } = fx.jls_mr;

    await assert.rejects(decodeFrame(frame.subarray(0, 40), info, transferSyntaxUID), {
      code: 'CANNOT_DECODE',
    });
  });
});
