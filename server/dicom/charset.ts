/**
 * Text decoding under Specific Character Set (0008,0005).
 *
 * PS3.3 §C.12.1.1.2 lists the defined terms; PS3.5 §6.1 says how they combine. A single value
 * without "ISO 2022" names one encoding for the whole value. Values with "ISO 2022" switch on
 * code extensions (PS3.5 §6.1.2.5): the text carries escape sequences that designate G0 (bytes
 * 0x21-0x7E) and G1 (bytes 0xA1-0xFE) sets, and the designation returns to value 1's sets at
 * each value and, in PN, at each component and group. Node's WHATWG TextDecoder covers the
 * underlying encodings; the multi-byte Japanese G0 sets are decoded by rewriting their bytes to
 * EUC-JP, which that decoder understands, JIS X 0212 included.
 */

type G0 = 'ascii' | 'jisx0208' | 'jisx0212';
/** A G1 set: a TextDecoder label, or one of the byte mappings decoded here. */
type G1 = string | null;

interface State {
  g0: G0;
  g1: G1;
}

/** Non-extension terms (PS3.3 Table C.12-2 and C.12-4) and the decoder each uses. */
const SINGLE_BYTE_OR_UNICODE: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'katakana',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** Code extension terms (PS3.3 Table C.12-3 and C.12-4): what value 1 designates initially. */
const EXTENSION_INITIAL: Record<string, Partial<State>> = {
  'ISO 2022 IR 6': { g0: 'ascii' },
  'ISO 2022 IR 100': { g1: 'latin1' },
  'ISO 2022 IR 101': { g1: 'iso-8859-2' },
  'ISO 2022 IR 109': { g1: 'iso-8859-3' },
  'ISO 2022 IR 110': { g1: 'iso-8859-4' },
  'ISO 2022 IR 144': { g1: 'iso-8859-5' },
  'ISO 2022 IR 127': { g1: 'iso-8859-6' },
  'ISO 2022 IR 126': { g1: 'iso-8859-7' },
  'ISO 2022 IR 138': { g1: 'iso-8859-8' },
  'ISO 2022 IR 148': { g1: 'iso-8859-9' },
  'ISO 2022 IR 203': { g1: 'iso-8859-15' },
  'ISO 2022 IR 13': { g1: 'katakana' },
  'ISO 2022 IR 166': { g1: 'windows-874' },
  'ISO 2022 IR 87': {},
  'ISO 2022 IR 159': {},
  'ISO 2022 IR 149': {},
  'ISO 2022 IR 58': {},
};

/** PS3.3 Table C.12-3 / C.12-4 escape sequences, as the bytes after ESC (0x1B). */
const ESCAPES: ReadonlyArray<readonly [string, Partial<State>]> = [
  ['(B', { g0: 'ascii' }],
  ['(J', { g0: 'ascii' }], // JIS X 0201 Romaji, read as ASCII like other toolkits do
  [')I', { g1: 'katakana' }],
  ['$B', { g0: 'jisx0208' }],
  ['$@', { g0: 'jisx0208' }], // JIS C 6226-1978, the 0208 predecessor some encoders still emit
  ['$(D', { g0: 'jisx0212' }],
  ['$)C', { g1: 'euc-kr' }], // KS X 1001 (IR 149)
  ['$)A', { g1: 'gb18030' }], // GB 2312 (IR 58), a subset of GB18030
  ['-A', { g1: 'latin1' }],
  ['-B', { g1: 'iso-8859-2' }],
  ['-C', { g1: 'iso-8859-3' }],
  ['-D', { g1: 'iso-8859-4' }],
  ['-L', { g1: 'iso-8859-5' }],
  ['-G', { g1: 'iso-8859-6' }],
  ['-F', { g1: 'iso-8859-7' }],
  ['-H', { g1: 'iso-8859-8' }],
  ['-M', { g1: 'iso-8859-9' }],
  ['-T', { g1: 'windows-874' }],
  ['-b', { g1: 'iso-8859-15' }],
];

const ESC = 0x1b;

/** Writes defined terms the way the standard spells them ("ISO-IR 100" -> "ISO_IR 100"). */
export function normalizeTerm(term: string): string {
  const t = term.trim().toUpperCase();
  const extension = /^ISO[ _-]?2022[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (extension) return `ISO 2022 IR ${extension[1]}`;
  const plain = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (plain) return `ISO_IR ${plain[1]}`;
  if (t === 'UTF-8' || t === 'UTF8') return 'ISO_IR 192';
  return t;
}

/** Terms this module does not know; their text is decoded as Latin-1 so no byte is lost. */
export function unknownCharacterSets(specificCharacterSet: string[]): string[] {
  return specificCharacterSet
    .map(normalizeTerm)
    .filter((t) => t !== '' && !(t in SINGLE_BYTE_OR_UNICODE) && !(t in EXTENSION_INITIAL));
}

function usesExtensions(terms: string[]): boolean {
  return terms.some((t) => t.startsWith('ISO 2022'));
}

const decoders = new Map<string, TextDecoder>();

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/** JIS X 0201 katakana: 0xA1-0xDF map onto the half-width forms U+FF61-U+FF9F. */
function katakana(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : String.fromCharCode(b);
  }
  return out;
}

function decodeWith(label: string, bytes: Uint8Array): string {
  if (label === 'latin1') return latin1(bytes);
  if (label === 'katakana') return katakana(bytes);
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder.decode(bytes);
}

/** A G0 run under a multi-byte Japanese set, rewritten as EUC-JP (SP and controls kept). */
function decodeJapaneseG0(g0: G0, run: Uint8Array): string {
  const out: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const b = run[i];
    if (b <= 0x20 || b === 0x7f) out.push(b);
    else if (g0 === 'jisx0212') out.push(0x8f, b | 0x80, (run[++i] ?? 0) | 0x80);
    else out.push(b | 0x80);
  }
  return decodeWith('euc-jp', Uint8Array.from(out));
}

function decodeRun(state: State, high: boolean, run: Uint8Array): string {
  if (high) return decodeWith(state.g1 ?? 'latin1', run);
  if (state.g0 === 'ascii') return latin1(run);
  return decodeJapaneseG0(state.g0, run);
}

function matchEscape(bytes: Uint8Array, at: number): [number, Partial<State>] | null {
  for (const [seq, change] of ESCAPES) {
    let ok = true;
    for (let k = 0; k < seq.length && ok; k++) ok = bytes[at + 1 + k] === seq.charCodeAt(k);
    if (ok) return [seq.length + 1, change];
  }
  return null;
}

function initialState(terms: string[]): State {
  const first = terms[0] ?? '';
  const asExtension = first.startsWith('ISO_IR ') ? first.replace('ISO_IR', 'ISO 2022 IR') : first;
  return { g0: 'ascii', g1: null, ...(EXTENSION_INITIAL[asExtension] ?? {}) };
}

/** PS3.5 §6.1.2.5: decodes one value (or one PN group) under ISO 2022 code extensions. */
function decodeExtended(bytes: Uint8Array, terms: string[]): string {
  const state = initialState(terms);
  let out = '';
  let runStart = 0;
  let runHigh = false;

  const flush = (end: number): void => {
    if (end > runStart) out += decodeRun(state, runHigh, bytes.subarray(runStart, end));
  };

  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === ESC) {
      flush(i);
      const escape = matchEscape(bytes, i);
      if (escape) {
        Object.assign(state, escape[1]);
        i += escape[0] - 1;
      }
      runStart = i + 1;
      continue;
    }
    const high = b >= 0x80;
    if (high !== runHigh) {
      flush(i);
      runStart = i;
      runHigh = high;
    }
  }
  flush(bytes.length);
  return out;
}

/**
 * Decodes the bytes of one text value (already split from its neighbours) to Unicode.
 * `specificCharacterSet` is the value of (0008,0005) in force for the data set or item; an empty
 * list, or an empty first value, means the default repertoire (ISO-IR 6).
 */
export function decodeText(bytes: Uint8Array, specificCharacterSet: string[]): string {
  const terms = specificCharacterSet.map(normalizeTerm);
  if (usesExtensions(terms)) return decodeExtended(bytes, terms);
  return decodeWith(SINGLE_BYTE_OR_UNICODE[terms[0] ?? ''] ?? 'latin1', bytes);
}

/**
 * Splits encoded text on a one-byte delimiter (backslash between values, "=" between PN groups,
 * "^" between PN components) without cutting a multi-byte character: in ISO 2022 the delimiter
 * only counts while G0 is a single-byte set, and in GB18030/GBK a byte after a lead byte belongs
 * to that character (PS3.5 §6.1.2.5.3, §6.1.2.3).
 */
export function splitEncoded(
  bytes: Uint8Array,
  specificCharacterSet: string[],
  delimiter: number,
): Uint8Array[] {
  const terms = specificCharacterSet.map(normalizeTerm);
  const extended = usesExtensions(terms);
  const chinese = terms[0] === 'GB18030' || terms[0] === 'GBK';
  const parts: Uint8Array[] = [];
  let multiByteG0 = false;
  let start = 0;

  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (extended && b === ESC) {
      const escape = matchEscape(bytes, i);
      if (escape?.[1].g0) multiByteG0 = escape[1].g0 !== 'ascii';
    } else if (chinese && b >= 0x81 && b <= 0xfe) {
      // GB18030 four-byte sequences have a digit (0x30-0x39) as their second byte.
      i += bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 ? 3 : 1;
    } else if (b === delimiter && !multiByteG0) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  parts.push(bytes.subarray(start));
  return parts;
}
