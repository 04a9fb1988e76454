/**
 * Value Representations (PS3.5 §6.2, Table 6.2-1) grouped by how this module treats them.
 */

/** Every VR of PS3.5 Table 6.2-1. */
export const KNOWN_VRS = new Set([
  ...'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV'.split(' '),
  ...'OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
]);

/** Values that DICOM JSON carries as InlineBinary or BulkDataURI (PS3.18 §F.2.7). */
export const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

/** Text VRs whose bytes follow Specific Character Set (PS3.5 §6.1.2.3); the rest are ASCII. */
export const CHARSET_VRS = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

/** Text VRs that hold one value only: backslash is an ordinary character (PS3.5 §6.2). */
export const SINGLE_VALUE_TEXT_VRS = new Set(['LT', 'ST', 'UT', 'UR']);

/** Numbers stored as binary, by VR: byte size and reader. */
export const BINARY_NUMBER_VRS: Record<string, { size: number; bigint?: boolean }> = {
  US: { size: 2 },
  SS: { size: 2 },
  UL: { size: 4 },
  SL: { size: 4 },
  FL: { size: 4 },
  FD: { size: 8 },
  SV: { size: 8, bigint: true },
  UV: { size: 8, bigint: true },
};

/** Two upper-case ASCII letters: what an explicit VR field must look like (for sniffing). */
export function isVRLike(b0: number, b1: number): boolean {
  return b0 >= 0x41 && b0 <= 0x5a && b1 >= 0x41 && b1 <= 0x5a;
}
