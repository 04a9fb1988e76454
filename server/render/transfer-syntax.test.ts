import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isAppError } from '../errors';
import { decodeFrame } from './decode';
import { canDecode, codecFor } from './transfer-syntax';
import type { PixelInfo } from './types';

const info: PixelInfo = {
  rows: 2,
  columns: 2,
  samplesPerPixel: 1,
  photometricInterpretation: 'MONOCHROME2',
  bitsAllocated: 8,
  bitsStored: 8,
  highBit: 7,
  pixelRepresentation: 0,
  planarConfiguration: 0,
};

describe('transfer syntaxes without a decoder', () => {
  const refused: Array<[string, RegExp]> = [
    ['1.2.840.10008.1.2.1.99', /Deflated Explicit VR Little Endian/],
    ['1.2.840.10008.1.2.4.53', /retired/],
    ['1.2.840.10008.1.2.4.102', /video/],
    ['1.2.840.113619.5.2', /unknown or private/],
  ];

  for (const [uid, name] of refused) {
    it(`${uid} is refused with CANNOT_DECODE naming the syntax`, async () => {
      await assert.rejects(decodeFrame(Buffer.alloc(4), info, uid), (e: unknown) => {
        assert.ok(isAppError(e));
        assert.equal(e.code, 'CANNOT_DECODE');
        assert.match(e.message, new RegExp(`transfer syntax ${uid.replace(/\./g, '\\.')} `));
        assert.match(e.message, name);
        assert.match(e.message, /the original is still retrievable byte-exact/);
        return true;
      });
      assert.equal(canDecode(uid), false);
    });
  }

  it('decodes Encapsulated Uncompressed frames as native little endian', async () => {
    const decoded = await decodeFrame(Buffer.from([1, 2, 3, 4]), info, '1.2.840.10008.1.2.1.98');

    assert.equal(codecFor('1.2.840.10008.1.2.1.98'), 'native-le');
    assert.deepEqual(Array.from(decoded.data), [1, 2, 3, 4]);
  });

  it('refuses an unsupported Photometric Interpretation', async () => {
    const hsv = { ...info, samplesPerPixel: 3, photometricInterpretation: 'HSV' };

    await assert.rejects(decodeFrame(Buffer.alloc(12), hsv, '1.2.840.10008.1.2.1'), {
      code: 'CANNOT_DECODE',
      message: /Photometric Interpretation HSV is not supported/,
    });
  });
});
