/**
 * PALETTE COLOR (PS3.3 C.7.6.3.1.2, C.7.6.3.1.5-6, C.7.9): each stored value indexes three
 * lookup tables. Output is always 8-bit RGB; 16-bit table entries keep their high byte, since
 * the standard requires palette values to span the full range of their bits.
 */
import { channelTable } from '../dicom/palette-table';
import { undecodable } from './errors';
import type { PaletteChannel, PixelInfo, SampleArray } from './types';

export { expandSegments } from '../dicom/palette-table';

const BIG_ENDIAN_UID = '1.2.840.10008.1.2.2';

export function applyPalette(
  indices: SampleArray,
  info: PixelInfo,
  transferSyntaxUID: string,
): Uint8Array {
  const palette = info.palette;
  if (!palette) throw undecodable(transferSyntaxUID, 'PALETTE COLOR without palette tables');

  const bigEndian = transferSyntaxUID === BIG_ENDIAN_UID;
  const channels = [palette.red, palette.green, palette.blue].map((channel) => {
    try {
      return { table: channelTable(channel, bigEndian), first: firstMapped(channel, info) };
    } catch (e) {
      throw undecodable(transferSyntaxUID, (e as Error).message);
    }
  });

  const out = new Uint8Array(indices.length * 3);
  channels.forEach(({ table, first }, c) => {
    const last = table.length - 1;
    for (let i = 0; i < indices.length; i++) {
      const entry = Math.min(Math.max(indices[i] - first, 0), last);
      out[i * 3 + c] = table[entry];
    }
  });
  return out;
}

/**
 * C.7.6.3.1.5: the descriptor's second value is the first stored value mapped, read as US or
 * SS following Pixel Representation; a parser that read it as US hands over 65535 for -1.
 */
function firstMapped(channel: PaletteChannel, info: PixelInfo): number {
  const first = channel.descriptor[1];
  return info.pixelRepresentation === 1 && first > 32767 ? first - 65536 : first;
}
