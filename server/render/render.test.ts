import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { decodeFrame } from './decode';
import { loadFixtures, maxDifference, rgbAt, skipReason } from './fixtures';
import { renderFrame } from './render';
import type { DecodedFrame } from './types';

const dcmtkCases = ['mr_le', 'emri_f4', 'grey8', 'jpeg_ll_p14_ct', 'mono1'];
const fx = skipReason ? {} : loadFixtures([...dcmtkCases, 'rgb_rle_f0', 'j2k_rct']);

async function decode(name: string): Promise<DecodedFrame> {
  const { frame, info, transferSyntaxUID } = fx[name];
  return decodeFrame(frame, info, transferSyntaxUID);
}

async function pixels(body: Buffer, channels: 1 | 3) {
  const image = channels === 1 ? sharp(body).toColourspace('b-w') : sharp(body);
  return image.raw().toBuffer({ resolveWithObject: true });
}

describe('greyscale rendering matches dcmtk dcmj2pnm', { skip: skipReason ?? false }, () => {
  // dcmtk truncates where this renderer rounds, hence ±1.
  const what: Record<string, string> = {
    mr_le: 'file window 600/1600',
    emri_f4: 'no window: min/max of the frame',
    grey8: '8-bit without window: as stored',
    jpeg_ll_p14_ct: 'rescale intercept -1024 then window 40/400',
    mono1: 'MONOCHROME1 inverted after the window',
  };
  for (const name of dcmtkCases) {
    it(`${name}: ${what[name]}`, async () => {
      const rendered = await renderFrame(await decode(name), { format: 'png' });
      const { data, info } = await pixels(rendered.body, 1);

      assert.equal(rendered.contentType, 'image/png');
      assert.equal(info.channels, 1);
      assert.ok(maxDifference(data, fx[name].rendered!) <= 1);
    });
  }

  it('a requested window overrides the file window', async () => {
    const decoded = await decode('mr_le');
    const narrow = await renderFrame(decoded, { format: 'png', window: { center: 0, width: 1 } });
    const { data } = await pixels(narrow.body, 1);

    // Every MR value is above 0, so a 1-wide window at 0 makes the whole frame white.
    assert.ok(data.every((v) => v === 255));
  });
});

describe('colour rendering and thumbnails', { skip: skipReason ?? false }, () => {
  it('PNG keeps RGB exactly', async () => {
    const decoded = await decode('rgb_rle_f0');
    const rendered = await renderFrame(decoded, { format: 'png' });
    const { data, info } = await pixels(rendered.body, 3);

    assert.equal(info.channels, 3);
    assert.equal(maxDifference(data, decoded.data), 0);
  });

  it('JPEG keeps the colour of the bars, not their order swapped', async () => {
    const rendered = await renderFrame(await decode('rgb_rle_f0'), { format: 'jpeg' });
    const { data } = await pixels(rendered.body, 3);
    const near = (got: number[], want: number[]) => maxDifference(got, want) <= 12;

    assert.equal(rendered.contentType, 'image/jpeg');
    assert.ok(near(rgbAt(data, 100, 5, 50), [255, 0, 0]));
    assert.ok(near(rgbAt(data, 100, 25, 50), [0, 255, 0]));
    assert.ok(near(rgbAt(data, 100, 45, 50), [0, 0, 255]));
  });

  it('a thumbnail fits within maxSize and keeps the aspect ratio', async () => {
    const rendered = await renderFrame(await decode('j2k_rct'), { format: 'jpeg', maxSize: 64 });
    const meta = await sharp(rendered.body).metadata();

    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, 64);
    assert.equal(meta.height, 48);
  });

  it('a thumbnail is never enlarged', async () => {
    const rendered = await renderFrame(await decode('mr_le'), { format: 'png', maxSize: 200 });
    const meta = await sharp(rendered.body).metadata();

    assert.deepEqual([meta.width, meta.height], [64, 64]);
  });

  it('lower JPEG quality gives a smaller file', async () => {
    const decoded = await decode('j2k_rct');
    const high = await renderFrame(decoded, { format: 'jpeg', quality: 95 });
    const low = await renderFrame(decoded, { format: 'jpeg', quality: 20 });

    assert.ok(low.body.length < high.body.length);
  });
});

describe('VOI functions on a synthetic frame', () => {
  const frame: DecodedFrame = {
    width: 5,
    height: 1,
    channels: 1,
    data: new Int16Array([-100, 0, 50, 100, 200]),
    bitsStored: 16,
    signed: true,
    photometricInterpretation: 'MONOCHROME2',
    rescaleSlope: 2,
    rescaleIntercept: 0,
  };

  it('applies the Modality LUT before a LINEAR window (PS3.3 C.11.2.1.2.1)', async () => {
    const rendered = await renderFrame(frame, {
      format: 'png',
      window: { center: 100, width: 201 },
    });
    const { data } = await pixels(rendered.body, 1);

    // Modality values -200, 0, 100, 200, 400; the window spans (-0.5, 199.5], so 0 maps to
    // (0 - 99.5) / 200 + 0.5 of full scale, 0.6375, which rounds to 1.
    assert.deepEqual(Array.from(data), [0, 1, 128, 255, 255]);
  });

  it('SIGMOID puts the window center at mid-grey (PS3.3 C.11.2.1.3.1)', async () => {
    const sigmoid = { ...frame, windowCenter: 100, windowWidth: 200, voiLutFunction: 'SIGMOID' };
    const rendered = await renderFrame(sigmoid, { format: 'png' });
    const { data } = await pixels(rendered.body, 1);

    assert.equal(data[2], 128);
    assert.ok(data[0] < 10 && data[4] > 245);
  });
});
