/**
 * JPEG Baseline (1.2.840.10008.1.2.4.50) and Extended (.51) frames, decoded by libjpeg-turbo
 * (the 8-bit WebAssembly build). libjpeg converts YCbCr to RGB itself, so YBR_FULL_422 and
 * YBR_FULL JPEG frames come out as RGB and must not be converted a second time.
 */
import { cannotDecode, undecodable } from './errors';
import { CodecFailure, discardCodec, loadCodec, runDecoder } from './wasm';
import type { CodecOutput, PixelInfo } from './types';

/** What a decoder needs to know from the marker segments before the first scan (ITU T.81 B.2). */
export interface JpegHeader {
  /** SOFn marker code, 0xC0-0xCF. */
  sof: number;
  precision: number;
  width: number;
  height: number;
  componentIds: number[];
  jfif: boolean;
  /** APP14 "Adobe" transform flag: 0 none, 1 YCbCr, 2 YCCK; null when there is no APP14. */
  adobeTransform: number | null;
}

export function readJpegHeader(data: Uint8Array): JpegHeader | null {
  if (data[0] !== 0xff || data[1] !== 0xd8) return null;
  const header: Partial<JpegHeader> = { jfif: false, adobeTransform: null };

  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda) break; // SOS: the entropy-coded data follows
    const length = (data[at + 2] << 8) | data[at + 3];
    readSegment(header, marker, data.subarray(at + 4, at + 2 + length));
    at += 2 + length;
  }
  return header.sof === undefined ? null : (header as JpegHeader);
}

function readSegment(header: Partial<JpegHeader>, marker: number, body: Uint8Array): void {
  const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
  if (isSof) {
    header.sof = marker;
    header.precision = body[0];
    header.height = (body[1] << 8) | body[2];
    header.width = (body[3] << 8) | body[4];
    header.componentIds = Array.from({ length: body[5] }, (_, i) => body[6 + i * 3]);
  } else if (marker === 0xe0 && ascii(body, 5) === 'JFIF\0') {
    header.jfif = true;
  } else if (marker === 0xee && ascii(body, 5) === 'Adobe' && body.length >= 12) {
    header.adobeTransform = body[11];
  }
}

function ascii(bytes: Uint8Array, length: number): string {
  return String.fromCharCode(...bytes.subarray(0, length));
}

export async function decodeJpeg(
  frame: Uint8Array,
  info: PixelInfo,
  transferSyntaxUID: string,
): Promise<CodecOutput> {
  const header = readJpegHeader(frame);
  if (!header) throw undecodable(transferSyntaxUID, 'no JPEG frame header was found');
  if (header.precision > 8) {
    // Limitation: the only JPEG codec available here is libjpeg-turbo's 8-bit build, so
    // 12-bit JPEG Extended (Process 4) frames are refused rather than decoded.
    throw cannotDecode(transferSyntaxUID, `JPEG with ${header.precision}-bit samples`);
  }

  const input = needsNoTransformMarker(header, info) ? withAdobeNoTransform(frame) : frame;
  const codec = await loadCodec('libjpegturbo');
  try {
    const { info: frameInfo, bytes } = runDecoder(new codec.JPEGDecoder(), input);
    return {
      width: frameInfo.width,
      height: frameInfo.height,
      components: frameInfo.componentCount,
      samples: bytes,
      layout: 'interleaved',
      rgb: frameInfo.componentCount === 3,
    };
  } catch (e) {
    if (e instanceof CodecFailure) discardCodec('libjpegturbo');
    throw undecodable(transferSyntaxUID, 'the JPEG data is damaged or unsupported', e);
  }
}

/**
 * PS3.5 §8.2.1: Photometric Interpretation describes the compressed stream, so RGB means the
 * encoder applied no colour transform. libjpeg, seeing no JFIF or Adobe marker and component
 * ids other than 'R','G','B', assumes YCbCr and would convert the colours a second time.
 */
function needsNoTransformMarker(header: JpegHeader, info: PixelInfo): boolean {
  if (info.photometricInterpretation !== 'RGB' || header.componentIds.length !== 3) return false;
  if (header.jfif || header.adobeTransform !== null) return false;
  const [r, g, b] = header.componentIds;
  return !(r === 0x52 && g === 0x47 && b === 0x42);
}

/** Inserts an APP14 "Adobe" segment with transform 0 (no colour transform) after SOI. */
function withAdobeNoTransform(frame: Uint8Array): Uint8Array {
  const app14 = [0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64];
  const segment = [...app14, 0x00, 0x00, 0x00, 0x00, 0x00];
  const out = new Uint8Array(frame.length + segment.length);
  out.set(frame.subarray(0, 2));
  out.set(segment, 2);
  out.set(frame.subarray(2), 2 + segment.length);
  return out;
}
