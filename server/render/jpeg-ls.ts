/**
 * JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and Near-Lossless (.81) frames, decoded by CharLS.
 * PS3.5 §8.2.3: no colour transform is used, so the samples are in the declared photometric.
 */
import { undecodable } from './errors';
import { readSamples, signExtend } from './native';
import { CodecFailure, discardCodec, loadCodec, runDecoder } from './wasm';
import type { CodecOutput, PixelInfo } from './types';

export async function decodeJpegLs(
  frame: Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
): Promise<CodecOutput> {
  const codec = await loadCodec('charls');
  let result;
  try {
    result = runDecoder(new codec.JpegLSDecoder(), frame);
  } catch (e) {
    if (e instanceof CodecFailure) discardCodec('charls');
    throw undecodable(transferSyntaxUID, 'the JPEG-LS data is damaged or unsupported', e);
  }

  const { width, height, componentCount, bitsPerSample } = result.info;
  const count = width * height * componentCount;
  const unsigned = bitsPerSample > 8 ? readSamples(result.bytes, 16, count, true) : result.bytes;
  const signed = info.pixelRepresentation === 1;

  return {
    width,
    height,
    components: componentCount,
    samples: signed ? signExtend(unsigned, bitsPerSample) : unsigned,
    // ISO 14495-1 interleave mode 0 (none) decodes plane by plane; line and sample interleave
    // decode to interleaved pixels.
    layout: componentCount > 1 && result.interleaveMode === 0 ? 'planar' : 'interleaved',
    rgb: false,
  };
}
