/**
 * Renders a decoded frame as JPEG or PNG for the WADO-RS rendered and thumbnail resources
 * (PS3.18 §10.4, resources in §9.5, rendered media types in §10.4.1.1.3). Output has 8 bits
 * per sample: greyscale goes through the Modality and VOI LUTs, using the instance's own window
 * when the request names none; colour arrives here already as RGB.
 */
import sharp from 'sharp';

import { colourTo8Bit, greyTo8Bit } from './voi';
import type { DecodedFrame, RenderedImage, RenderOptions } from './types';

const DEFAULT_JPEG_QUALITY = 90;

export async function renderFrame(
  decoded: DecodedFrame,
  opts: RenderOptions,
): Promise<RenderedImage> {
  const pixels = decoded.channels === 3 ? colourTo8Bit(decoded) : greyTo8Bit(decoded, opts.window);
  const raw = { width: decoded.width, height: decoded.height, channels: decoded.channels };
  let image = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw });

  // sharp writes sRGB unless told otherwise; one channel in should stay one channel out.
  if (decoded.channels === 1) image = image.toColourspace('b-w');

  if (opts.maxSize !== undefined) {
    const side = Math.max(1, Math.floor(opts.maxSize));
    image = image.resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
  }

  if (opts.format === 'png') {
    return { contentType: 'image/png', body: await image.png().toBuffer() };
  }
  const quality = Math.min(100, Math.max(1, Math.round(opts.quality ?? DEFAULT_JPEG_QUALITY)));
  return { contentType: 'image/jpeg', body: await image.jpeg({ quality }).toBuffer() };
}
