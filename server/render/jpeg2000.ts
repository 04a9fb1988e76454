/**
 * JPEG 2000 (1.2.840.10008.1.2.4.90 / .91, OpenJPEG) and HTJ2K (.201 / .202 / .203, OpenJPH).
 *
 * PS3.5 §8.2.4 (and its HTJ2K twin): YBR_RCT and YBR_ICT say the encoder used the reversible or
 * irreversible multiple-component transform, which the codestream's COD marker also records.
 * The codecs undo that transform themselves, so a frame whose COD says MCT is already RGB and
 * is never converted again (converting twice is how archives shipped wrong-colour J2K). A frame
 * without MCT keeps its samples as stored. Some encoders wrap the codestream in a JP2 file
 * header; only the codestream inside is decoded.
 */
import { cannotDecode, undecodable } from './errors';
import { readSamples, signExtend } from './native';
import { CodecFailure, discardCodec, loadCodec, runDecoder, type WasmDecoder } from './wasm';
import type { CodecOutput, PixelInfo } from './types';

export async function decodeJpeg2000(
  frame: Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
  high: boolean,
): Promise<CodecOutput> {
  const codestream = jp2Codestream(frame);
  const result = await run(high ? 'openjph' : 'openjpeg', codestream, transferSyntaxUID);

  const { width, height, componentCount, bitsPerSample, isSigned } = result.info;
  if (bitsPerSample > 16) {
    throw cannotDecode(transferSyntaxUID, `JPEG 2000 with ${bitsPerSample}-bit samples`);
  }

  const count = width * height * componentCount;
  const unsigned = bitsPerSample > 8 ? readSamples(result.bytes, 16, count, true) : result.bytes;
  // A codestream may say unsigned while Pixel Representation says signed; the dataset wins,
  // reading the codes as two's complement of the codestream's precision (as pydicom does).
  const signed = Boolean(isSigned) || info.pixelRepresentation === 1;

  return {
    width,
    height,
    components: componentCount,
    samples: signed ? signExtend(unsigned, bitsPerSample) : unsigned,
    layout: 'interleaved',
    rgb: componentCount === 3 && usesMct(codestream),
  };
}

async function run(name: 'openjpeg' | 'openjph', data: Uint8Array, uid: string) {
  try {
    return runDecoder(await newDecoder(name), data);
  } catch (e) {
    if (e instanceof CodecFailure) discardCodec(name);
    throw undecodable(uid, 'the JPEG 2000 data is damaged or unsupported', e);
  }
}

async function newDecoder(name: 'openjpeg' | 'openjph'): Promise<WasmDecoder> {
  if (name === 'openjph') return new (await loadCodec('openjph')).HTJ2KDecoder();
  return new (await loadCodec('openjpeg')).J2KDecoder();
}

/**
 * ISO 15444-1 Annex I: a JP2 file is a chain of boxes (length, type); the codestream is the
 * content of the 'jp2c' box. A bare codestream starts with SOC (FF 4F) and is returned as is.
 */
export function jp2Codestream(data: Uint8Array): Uint8Array {
  if (data[0] === 0xff && data[1] === 0x4f) return data;

  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 8 <= data.length) {
    let length = view.getUint32(at);
    const type = String.fromCharCode(...data.subarray(at + 4, at + 8));
    let header = 8;
    if (length === 1 && at + 16 <= data.length) {
      length = Number(view.getBigUint64(at + 8));
      header = 16;
    }
    const end = length === 0 ? data.length : at + length;
    if (type === 'jp2c') return data.subarray(at + header, end);
    if (length !== 0 && length < header) break;
    at = end;
  }
  return data;
}

/**
 * ISO 15444-1 A.6.1: in the main header's COD segment, byte 4 of the body (after Scod,
 * progression order and the 16-bit layer count) is the multiple component transform flag.
 */
export function usesMct(codestream: Uint8Array): boolean {
  let at = 2; // after SOC
  while (at + 4 <= codestream.length) {
    if (codestream[at] !== 0xff) return false;
    const marker = codestream[at + 1];
    if (marker === 0x90 || marker === 0x93) return false; // SOT / SOD: main header is over
    const length = (codestream[at + 2] << 8) | codestream[at + 3];
    if (marker === 0x52) return (codestream[at + 4 + 4] ?? 0) !== 0;
    at += 2 + length;
  }
  return false;
}
