/**
 * Which decoder handles which transfer syntax (PS3.5 §8 and Annex A; UIDs from PS3.6 Annex A).
 * Anything not listed, including private syntaxes, cannot be rendered; the stored original is
 * still served byte-exact by WADO-RS, so the refusal says so.
 */
import { cannotDecode } from './errors';

export type CodecKind =
  'native-le' | 'native-be' | 'rle' | 'jpeg' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'htj2k';

interface SyntaxEntry {
  name: string;
  codec: CodecKind | null;
}

const SYNTAXES: Record<string, SyntaxEntry> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', codec: 'native-le' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', codec: 'native-le' },
  // PS3.5 Annex A (encapsulated uncompressed): each fragment is one native little-endian frame.
  '1.2.840.10008.1.2.1.98': {
    name: 'Encapsulated Uncompressed Explicit VR Little Endian',
    codec: 'native-le',
  },
  // The store inflates deflated data sets before frames reach a renderer.
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', codec: null },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', codec: 'native-be' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.53': { name: 'JPEG Extended (Process 6 & 8), retired', codec: null },
  '1.2.840.10008.1.2.4.55': {
    name: 'JPEG Full Progression (Process 10 & 12), retired',
    codec: null,
  },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless (Process 14)', codec: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.70': {
    name: 'JPEG Lossless (Process 14, Selection Value 1)',
    codec: 'jpeg-lossless',
  },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless Only', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.92': { name: 'JPEG 2000 Part 2 Multi-component Lossless', codec: null },
  '1.2.840.10008.1.2.4.93': { name: 'JPEG 2000 Part 2 Multi-component', codec: null },
  '1.2.840.10008.1.2.4.201': { name: 'HTJ2K Lossless', codec: 'htj2k' },
  '1.2.840.10008.1.2.4.202': { name: 'HTJ2K Lossless RPCL', codec: 'htj2k' },
  '1.2.840.10008.1.2.4.203': { name: 'HTJ2K', codec: 'htj2k' },
};

/** The decoder for a transfer syntax, or a CANNOT_DECODE error naming the syntax. */
export function codecFor(transferSyntaxUID: string): CodecKind {
  const codec = SYNTAXES[transferSyntaxUID]?.codec;
  if (!codec) throw cannotDecode(transferSyntaxUID);
  return codec;
}

export function transferSyntaxName(uid: string): string {
  return SYNTAXES[uid]?.name ?? (isVideo(uid) ? 'video' : 'unknown or private');
}

/** PS3.5 §8.2 video syntaxes (MPEG-2, MPEG-4, HEVC) carry streams, not frame images. */
function isVideo(uid: string): boolean {
  return /^1\.2\.840\.10008\.1\.2\.4\.10[0-8]$/.test(uid);
}

/** Whether frames of this transfer syntax can be rendered at all (some variants still fail). */
export function canDecode(transferSyntaxUID: string): boolean {
  return Boolean(SYNTAXES[transferSyntaxUID]?.codec);
}
