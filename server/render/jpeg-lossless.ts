/**
 * JPEG Lossless, Process 14 (1.2.840.10008.1.2.4.57) and its Selection Value 1 form (.70), via
 * jpeg-lossless-decoder-js. Lossless JPEG applies no colour transform (PS3.5 §8.2.1), so the
 * samples are in the Photometric Interpretation the data set declares.
 */
import { Decoder } from 'jpeg-lossless-decoder-js';

import { cannotDecode, undecodable } from './errors';
import { readJpegHeader } from './jpeg';
import { signExtend } from './native';
import type { CodecOutput, PixelInfo } from './types';

export function decodeJpegLossless(
  frame: Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
): CodecOutput {
  const header = readJpegHeader(frame);
  if (!header) throw undecodable(transferSyntaxUID, 'no JPEG frame header was found');
  if (header.sof !== 0xc3) {
    throw undecodable(transferSyntaxUID, 'the frame is not Huffman-coded lossless JPEG');
  }

  const components = header.componentIds.length;
  const bytesPerSample = header.precision > 8 ? 2 : 1;
  if (components > 1 && bytesPerSample > 1) {
    // Limitation: jpeg-lossless-decoder-js interleaves colour only for 8-bit samples.
    throw cannotDecode(transferSyntaxUID, 'lossless JPEG colour above 8 bits per sample');
  }

  const all = decode(frame, bytesPerSample, transferSyntaxUID);
  const samples = all.subarray(0, header.width * header.height * components);
  const signed = info.pixelRepresentation === 1;
  return {
    width: header.width,
    height: header.height,
    components,
    samples: signed ? signExtend(samples, header.precision) : samples,
    layout: 'interleaved',
    rgb: false,
  };
}

function decode(frame: Uint8Array, bytesPerSample: number, transferSyntaxUID: string) {
  try {
    const buffer = frame.buffer as ArrayBuffer;
    return new Decoder().decode(buffer, frame.byteOffset, frame.length, bytesPerSample);
  } catch (e) {
    throw undecodable(transferSyntaxUID, 'the lossless JPEG data is damaged', e);
  }
}
