import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';
import { jp2Codestream, usesMct } from './jpeg2000';
import { loadCodec, runDecoder } from './wasm';

const exact = ['j2k_mr', 'j2k_rct', 'j2k_ict', 'j2k_pixelrep', 'j2k_multifrag_f7'];
const cases = [...exact, 'j2k_jp2_header', 'htj2k_rgb'];
const fx = skipReason ? {} : loadFixtures(cases);

async function decode(name: string) {
  const { frame, info, transferSyntaxUID } = fx[name];
  return decodeFrame(frame, info, transferSyntaxUID);
}

describe('JPEG 2000 frames match pydicom (Pillow/OpenJPEG)', { skip: skipReason ?? false }, () => {
  for (const name of exact) {
    it(`${name} decodes exactly`, async () => {
      const decoded = await decode(name);

      assert.equal(maxDifference(decoded.data, fx[name].reference!), 0);
    });
  }

  it('YBR_RCT and YBR_ICT come out RGB once: the MCT is not undone twice', async () => {
    const rct = await decode('j2k_rct');

    assert.equal(usesMct(jp2Codestream(fx.j2k_rct.frame)), true);
    assert.equal(usesMct(jp2Codestream(fx.j2k_ict.frame)), true);
    assert.equal(rct.photometricInterpretation, 'RGB');
  });

  it('reads signed values when the codestream is unsigned but the header signed', async () => {
    const decoded = await decode('j2k_pixelrep');

    // pydicom's published values for J2K_pixelrep_mismatch: [0,0] and column 279, rows 47-49.
    assert.equal(decoded.data[0], -2000);
    assert.deepEqual(
      [47, 48, 49].map((r) => decoded.data[r * 512 + 279]),
      [621, 412, 138],
    );
  });

  it('decodes a codestream wrapped in a JP2 header with the right colours', async () => {
    const { frame } = fx.j2k_jp2_header;
    const decoded = await decode('j2k_jp2_header');

    assert.notEqual(jp2Codestream(frame), frame);
    // pydicom's published pixels for GDCMJ2K_TextGBR (decoded with GDCM / pylibjpeg).
    assert.deepEqual(rgbAt(decoded.data, 400, 45, 140), [223, 32, 32]);
    assert.deepEqual(rgbAt(decoded.data, 400, 46, 140), [255, 0, 0]);
    assert.deepEqual(rgbAt(decoded.data, 400, 350, 195), [128, 128, 128]);
  });

  it('reports damaged JPEG 2000 data as CANNOT_DECODE', async () => {
    const { frame, info, transferSyntaxUID } = fx.j2k_mr;

    await assert.rejects(decodeFrame(frame.subarray(0, 30), info, transferSyntaxUID), {
      code: 'CANNOT_DECODE',
    });
  });
});

describe('HTJ2K (OpenJPH)', { skip: skipReason ?? false }, () => {
  it('matches pydicom’s published pixels for HTJ2K lossless RGB', async () => {
    const decoded = await decode('htj2k_rgb');

    assert.deepEqual(rgbAt(decoded.data, 640, 160, 295), [90, 38, 1]);
    assert.deepEqual(rgbAt(decoded.data, 640, 160, 298), [173, 122, 59]);
    assert.deepEqual(rgbAt(decoded.data, 640, 275, 635), [208, 193, 172]);
  });

  it('matches a second decoder (OpenJPEG, which reads HTJ2K too) on every sample', async () => {
    const decoded = await decode('htj2k_rgb');
    const openjpeg = await loadCodec('openjpeg');
    const second = runDecoder(new openjpeg.J2KDecoder(), fx.htj2k_rgb.frame);

    assert.equal(maxDifference(decoded.data, second.bytes), 0);
  });
});
