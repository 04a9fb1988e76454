/**
 * Decodes one stored frame into samples a renderer can use: the codec is chosen by transfer
 * syntax, then the Photometric Interpretation decides how the samples become greyscale values
 * or interleaved RGB. Greyscale stays in stored units (Modality and VOI LUTs are applied when
 * rendering); colour is converted exactly once, never a second time after a codec did it.
 */
import { interleave, rctToRgb, ybrFullToRgb } from './colour';
import { undecodable } from './errors';
import { decodeJpeg } from './jpeg';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeJpegLs } from './jpeg-ls';
import { decodeJpeg2000 } from './jpeg2000';
import { decodeNative } from './native';
import { applyPalette } from './palette';
import { decodeRle } from './rle';
import { codecFor } from './transfer-syntax';
import type { CodecOutput, DecodedFrame, PixelInfo, SampleArray } from './types';

/**
 * `frame` is one frame as stored: native bytes, or the concatenated fragments of one
 * encapsulated frame. Throws AppError CANNOT_DECODE when the syntax has no decoder here or the
 * data is damaged.
 */
export async function decodeFrame(
  frame: Buffer | Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
): Promise<DecodedFrame> {
  const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const output = await runCodec(bytes, info, transferSyntaxUID);

  if (output.width !== info.columns || output.height !== info.rows) {
    const size = `${output.width}x${output.height}`;
    const declared = `${info.columns}x${info.rows}`;
    throw undecodable(transferSyntaxUID, `the frame is ${size} but the header says ${declared}`);
  }
  return toDisplaySamples(output, info, transferSyntaxUID);
}

function runCodec(frame: Uint8Array, info: PixelInfo, uid: string): Promise<CodecOutput> {
  const codec = codecFor(uid);
  switch (codec) {
    case 'native-le':
      return Promise.resolve(decodeNative(frame, info, uid, false));
    case 'native-be':
      return Promise.resolve(decodeNative(frame, info, uid, true));
    case 'rle':
      return Promise.resolve(decodeRle(frame, info));
    case 'jpeg':
      return decodeJpeg(frame, info, uid);
    case 'jpeg-lossless':
      return Promise.resolve(decodeJpegLossless(frame, info, uid));
    case 'jpeg-ls':
      return decodeJpegLs(frame, info, uid);
    case 'jpeg2000':
      return decodeJpeg2000(frame, info, uid, false);
    case 'htj2k':
      return decodeJpeg2000(frame, info, uid, true);
    default:
      return assertNever(codec);
  }
}

/** PS3.3 C.7.6.3.1.2: what each Photometric Interpretation means for the samples. */
function toDisplaySamples(output: CodecOutput, info: PixelInfo, uid: string): DecodedFrame {
  const photometric = info.photometricInterpretation.trim().toUpperCase();
  const samples = expectComponents(output, photometric, uid);

  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    return frame(output, info, samples, photometric);
  }
  if (photometric === 'PALETTE COLOR') {
    const rgb = applyPalette(samples, info, uid);
    return { ...frame(output, info, rgb, 'RGB'), bitsStored: 8, signed: false };
  }
  return frame(output, info, toRgb(samples, photometric, output.rgb, info.bitsStored), 'RGB');
}

function toRgb(samples: SampleArray, photometric: string, codecDidRgb: boolean, bits: number) {
  if (photometric === 'RGB' || codecDidRgb) return samples;
  if (photometric === 'YBR_RCT') return rctToRgb(samples, bits);
  // YBR_FULL_422 was expanded to YBR_FULL by the native reader; ICT is the same matrix.
  return ybrFullToRgb(samples, bits);
}

const COLOUR = ['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_ICT', 'YBR_RCT'];

/** Checks the codec produced the component count the photometric needs; interleaves colour. */
function expectComponents(output: CodecOutput, photometric: string, uid: string): SampleArray {
  const grey = photometric.startsWith('MONOCHROME') || photometric === 'PALETTE COLOR';
  if (!grey && !COLOUR.includes(photometric)) {
    throw undecodable(uid, `Photometric Interpretation ${photometric} is not supported`);
  }

  const wanted = grey ? 1 : 3;
  if (output.components !== wanted) {
    const got = `${output.components} components`;
    throw undecodable(uid, `${photometric} needs ${wanted} components, the frame has ${got}`);
  }
  return interleave(output);
}

function frame(
  output: CodecOutput,
  info: PixelInfo,
  data: SampleArray,
  photometric: DecodedFrame['photometricInterpretation'],
): DecodedFrame {
  return {
    width: output.width,
    height: output.height,
    channels: photometric === 'RGB' ? 3 : 1,
    data,
    bitsStored: info.bitsStored,
    signed: data instanceof Int16Array || data instanceof Int32Array,
    photometricInterpretation: photometric,
    rescaleSlope: info.rescaleSlope ?? 1,
    rescaleIntercept: info.rescaleIntercept ?? 0,
    windowCenter: firstValue(info.windowCenter),
    windowWidth: firstValue(info.windowWidth),
    voiLutFunction: info.voiLutFunction,
  };
}

function firstValue(value: number | number[] | undefined): number | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled codec ${String(value)}`);
}
