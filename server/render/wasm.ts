/**
 * Loads the Cornerstone codec builds (Emscripten WebAssembly) once per process.
 *
 * Each package ships a CommonJS factory that resolves to an initialised module holding a
 * decoder class. Initialising compiles the WebAssembly, so the promise is cached; a codec that
 * failed (an Emscripten abort leaves its heap unusable) is dropped so the next call starts clean.
 */
import { createRequire } from 'node:module';

/** The members every Cornerstone decoder shares; `delete()` frees its WebAssembly memory. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
}

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

export interface JpegLsDecoder extends WasmDecoder {
  /** 0: planes one after another; 1 (line) and 2 (sample): decoded as interleaved pixels. */
  getInterleaveMode(): number;
}

type DecoderClass<T> = new () => T;

interface CodecModules {
  openjpeg: { J2KDecoder: DecoderClass<WasmDecoder> };
  openjph: { HTJ2KDecoder: DecoderClass<WasmDecoder> };
  charls: { JpegLSDecoder: DecoderClass<JpegLsDecoder> };
  libjpegturbo: { JPEGDecoder: DecoderClass<WasmDecoder> };
}

export type CodecName = keyof CodecModules;

/** The decode-only builds: smaller, and the server never encodes. */
const ENTRY: Record<CodecName, string> = {
  openjpeg: '@cornerstonejs/codec-openjpeg/decodewasmjs',
  openjph: '@cornerstonejs/codec-openjph/wasmjs',
  charls: '@cornerstonejs/codec-charls/decodewasmjs',
  libjpegturbo: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
};

const requireCjs = createRequire(import.meta.url);
const loaded = new Map<CodecName, Promise<unknown>>();

/**
 * What the C libraries print while decoding. OpenJPEG reports every tile at INFO level, which
 * must not reach the server's stdout; the lines of a failed decode become the error's cause.
 */
let codecMessages: string[] = [];

function keepMessage(line: string): void {
  if (codecMessages.length < 20) codecMessages.push(line);
}

export function loadCodec<N extends CodecName>(name: N): Promise<CodecModules[N]> {
  let codec = loaded.get(name);
  if (!codec) {
    const factory = requireCjs(ENTRY[name]) as (options: object) => Promise<unknown>;
    codec = factory({ print: keepMessage, printErr: keepMessage });
    codec.catch(() => loaded.delete(name));
    loaded.set(name, codec);
  }
  return codec as Promise<CodecModules[N]>;
}

/** Forgets a codec whose decoder aborted, so its damaged heap is not reused. */
export function discardCodec(name: CodecName): void {
  loaded.delete(name);
}

export interface WasmDecodeResult {
  info: WasmFrameInfo;
  /** A copy of the decoded bytes, taken out of WebAssembly memory before it is freed. */
  bytes: Uint8Array;
  interleaveMode?: number;
}

/** Thrown when a codec rejects the data; `messages` is what the library printed meanwhile. */
export class CodecFailure extends Error {
  constructor(
    readonly thrown: unknown,
    readonly messages: string[],
  ) {
    super(messages.filter((m) => /error|warn/i.test(m)).join('; ') || String(thrown));
    this.name = 'CodecFailure';
  }
}

/** Runs one decoder over one encoded frame and frees it, whatever happens. */
export function runDecoder(decoder: WasmDecoder, encoded: Uint8Array): WasmDecodeResult {
  codecMessages = [];
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const view = decoder.getDecodedBuffer();
    const bytes = new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.length));
    const ls = decoder as Partial<JpegLsDecoder>;
    const interleaveMode = ls.getInterleaveMode ? ls.getInterleaveMode() : undefined;
    return { info: { ...info }, bytes, interleaveMode };
  } catch (e) {
    throw new CodecFailure(e, codecMessages);
  } finally {
    decoder.delete();
  }
}
