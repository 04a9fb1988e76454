/**
 * One PALETTE COLOR lookup table (PS3.3 C.7.6.3.1.5-6, C.7.9) as 8-bit entries, from the bytes
 * of its Palette Color Lookup Table Data or Segmented Palette Color Lookup Table Data. Shared by
 * the server's renderer and the browser viewer, so nothing here may import Node modules.
 */

export interface PaletteTableSource {
  /** The descriptor (0028,1101-1103): entries (0 means 65536), first value mapped, bits. */
  descriptor: [number, number, number];
  /** Palette Color Lookup Table Data, value bytes as stored. */
  data?: Uint8Array;
  /** Segmented Palette Color Lookup Table Data, value bytes as stored. */
  segmentedData?: Uint8Array;
}

/** One channel's table, reduced to 8-bit entries. */
export function channelTable(channel: PaletteTableSource, bigEndian: boolean): Uint8Array {
  const [count, , bits] = channel.descriptor;
  const entries = count === 0 ? 65536 : count;

  if (channel.data) {
    const data = littleEndianWords(channel.data, bigEndian);
    // C.7.6.3.1.6 note: 8-bit entries are sometimes stored one per 16-bit word.
    if (data.length < entries * 2) return data.slice(0, entries);
    return wordsTo8Bit(wordsOf(data, entries), bits);
  }
  if (channel.segmentedData) {
    // Limitation: 8-bit segmented tables (never seen in the field) are refused.
    if (bits !== 16) throw new Error('8-bit segmented palette tables are not supported');
    const words = wordsOf(littleEndianWords(channel.segmentedData, bigEndian));
    return wordsTo8Bit(expandSegments(words, entries), bits);
  }
  throw new Error('a palette channel has neither table data nor segmented data');
}

/** OW values of a big-endian data set are byte-swapped 16-bit words (PS3.5 A.3). */
function littleEndianWords(bytes: Uint8Array, bigEndian: boolean): Uint8Array {
  if (!bigEndian) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  return out;
}

function wordsOf(bytes: Uint8Array, count = Math.floor(bytes.length / 2)): Uint16Array {
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = bytes[i * 2] | (bytes[i * 2 + 1] << 8);
  return out;
}

function wordsTo8Bit(words: ArrayLike<number>, bits: number): Uint8Array {
  const out = new Uint8Array(words.length);
  let max = 0;
  for (let i = 0; i < words.length; i++) max = Math.max(max, words[i]);
  // Declared 8-bit but padded to words: the value is the word, unless it sits in the high byte.
  const shift = bits === 16 || max > 255 ? 8 : 0;
  for (let i = 0; i < words.length; i++) out[i] = words[i] >> shift;
  return out;
}

/**
 * C.7.9.2: a segmented table is a list of segments, each opcode then length: 0 discrete
 * (length values follow), 1 linear (ramp from the previous value to the one that follows),
 * 2 indirect (repeat `length` segments found at a 32-bit offset, low word first). The offset is
 * taken in 16-bit entries, as GDCM and pydicom read it.
 */
export function expandSegments(words: Uint16Array, entries: number): number[] {
  const lut: number[] = [];
  readSegments(words, { start: 0, end: words.length, limit: Infinity }, lut, entries);
  return lut.slice(0, entries);
}

interface SegmentRange {
  start: number;
  /** Reading stops here: an indirect segment may only repeat segments before itself. */
  end: number;
  limit: number;
}

function readSegments(words: Uint16Array, range: SegmentRange, lut: number[], entries: number) {
  let at = range.start;
  for (let read = 0; read < range.limit && at + 1 < range.end && lut.length < entries; read++) {
    const [opcode, length] = [words[at], words[at + 1]];
    if (opcode === 0) {
      lut.push(...words.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    } else if (opcode === 1) {
      if (!lut.length) throw new Error('a segmented palette starts with a linear segment');
      pushRamp(lut, lut[lut.length - 1], words[at + 2], length);
      at += 3;
    } else if (opcode === 2) {
      const offset = words[at + 2] + words[at + 3] * 65536;
      if (offset >= at) throw new Error('an indirect palette segment points forward');
      readSegments(words, { start: offset, end: at, limit: length }, lut, entries);
      at += 4;
    } else {
      throw new Error(`unknown segmented palette opcode ${opcode}`);
    }
  }
}

function pushRamp(lut: number[], from: number, to: number, length: number): void {
  for (let i = 1; i <= length; i++) lut.push(Math.round(from + ((to - from) * i) / length));
}
