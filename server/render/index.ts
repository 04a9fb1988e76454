/**
 * server/render: decode one stored frame and render it as JPEG or PNG (WADO-RS rendered and
 * thumbnail resources). See README.md for the transfer syntaxes and photometrics handled.
 */
export { decodeFrame } from './decode';
export { renderFrame } from './render';
export { canDecode, transferSyntaxName } from './transfer-syntax';
export type {
  DecodedFrame,
  PaletteChannel,
  PaletteLut,
  PixelInfo,
  RenderedImage,
  RenderOptions,
} from './types';
