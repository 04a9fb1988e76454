/**
 * Shapes shared by the frame decoders and the renderer. A frame goes in as stored bytes plus
 * the Image Pixel attributes that describe them (PS3.3 C.7.6.3), and comes out as samples a
 * screen can use: greyscale values still in stored units, colour always as interleaved RGB.
 */

/** One channel of a Palette Color Lookup Table (PS3.3 C.7.6.3.1.5 / C.7.6.3.1.6 / C.7.9). */
export interface PaletteChannel {
  /**
   * Red/Green/Blue Palette Color Lookup Table Descriptor (0028,1101-1103): number of entries
   * (0 means 65536), first stored pixel value mapped, bits per entry (8 or 16).
   */
  descriptor: [number, number, number];
  /** Palette Color Lookup Table Data (0028,1201-1203), value bytes as stored in the file. */
  data?: Uint8Array;
  /** Segmented Palette Color Lookup Table Data (0028,1221-1223), value bytes as stored. */
  segmentedData?: Uint8Array;
}

export interface PaletteLut {
  red: PaletteChannel;
  green: PaletteChannel;
  blue: PaletteChannel;
}

/** Image Pixel attributes of one instance (PS3.3 C.7.6.3), plus what rendering needs. */
export interface PixelInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  /**
   * VR of Pixel Data (7FE0,0010). Only matters for 8-bit data in Explicit VR Big Endian, where
   * OW words are byte-swapped and OB bytes are not; taken as OW when absent (PS3.5 A.3). Such
   * a frame must be passed as whole 16-bit words, its trailing padding byte included.
   */
  pixelDataVR?: 'OB' | 'OW';
  /**
   * Native 1-bit data only: low-order bits of the frame's first byte that belong to the previous
   * frame (FrameLocation.bitOffset), since 1-bit frames are packed back to back.
   */
  bitOffset?: number;
  /** Window Center (0028,1050) / Window Width (0028,1051); the first value is used. */
  windowCenter?: number | number[];
  windowWidth?: number | number[];
  /** VOI LUT Function (0028,1056): LINEAR (default), LINEAR_EXACT or SIGMOID. */
  voiLutFunction?: string;
  /** Rescale Slope (0028,1053) / Rescale Intercept (0028,1052): the Modality LUT. */
  rescaleSlope?: number;
  rescaleIntercept?: number;
  /** Required when photometricInterpretation is PALETTE COLOR. */
  palette?: PaletteLut;
}

export type SampleArray = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** The photometric a decoded frame ends in: colour is always RGB by then. */
export type DecodedPhotometric = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB';

export interface DecodedFrame {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Samples row by row, channels interleaved (RGBRGB...). */
  data: SampleArray;
  /** Significant bits per sample: 8 for palette output, bitsStored otherwise. */
  bitsStored: number;
  signed: boolean;
  photometricInterpretation: DecodedPhotometric;
  /** Modality LUT and VOI defaults of the file, so a renderer needs no second source. */
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter?: number;
  windowWidth?: number;
  voiLutFunction?: string;
}

export interface RenderOptions {
  format: 'jpeg' | 'png';
  /** JPEG quality 1-100; 90 when absent. */
  quality?: number;
  /** Thumbnail: the output fits within maxSize x maxSize, keeping the aspect ratio. */
  maxSize?: number;
  /** VOI window in modality units; overrides the file's window. */
  window?: { center: number; width: number };
}

export interface RenderedImage {
  contentType: string;
  body: Buffer;
}

/** What a codec hands to the photometric stage (internal to server/render). */
export interface CodecOutput {
  width: number;
  height: number;
  components: number;
  samples: SampleArray;
  /** Interleaved is RGBRGB...; planar is all R, then all G, then all B. */
  layout: 'interleaved' | 'planar';
  /** True when the codec already turned a colour-transformed stream into RGB (JPEG, J2K MCT). */
  rgb: boolean;
}
