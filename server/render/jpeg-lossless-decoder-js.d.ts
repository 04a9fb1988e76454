/** The part of jpeg-lossless-decoder-js 2.x that server/render uses; the package ships no types. */
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    /** Samples of every component, interleaved; 16-bit when numBytes is 2. */
    decode(
      buffer: ArrayBuffer,
      offset: number,
      length: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array;
  }
}
