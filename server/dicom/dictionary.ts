/**
 * Data dictionary look-ups (PS3.6 §6), used where a file does not carry VRs itself (Implicit VR
 * Little Endian) or carries UN for a standard attribute, and to name tags in error messages.
 * The dictionary itself is dcmjs's packed copy of PS3.6, including repeating groups (50xx, 60xx).
 */
import { createRequire } from 'node:module';

interface DcmjsEntry {
  vr: string;
  name: string;
}

interface DcmjsModule {
  data: { DicomMetaDictionary: { dictionary: Record<string, DcmjsEntry | undefined> } };
}

// dcmjs ships no type declarations; loading it through require keeps its shape local to here.
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsModule;
const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;

/** "GGGGEEEE", upper case, as DICOM JSON keys are written (PS3.18 §F.2.1.1). */
export function tagHex(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** "(GGGG,EEEE)", as the standard writes tags in prose. */
export function tagLabel(tag: number): string {
  const hex = tagHex(tag);
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

export function isPrivateTag(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1;
}

/** PS3.5 §7.8.1: (gggg,0010-00FF) in a private group reserves a block and is always LO. */
function isPrivateCreator(tag: number): boolean {
  const element = tag & 0xffff;
  return isPrivateTag(tag) && element >= 0x0010 && element <= 0x00ff;
}

function standardEntry(tag: number): DcmjsEntry | undefined {
  if (isPrivateTag(tag)) return undefined;
  return dictionary[tagHex(tag)];
}

/** Keyword of a standard attribute ("PatientName"), or the tag label when not in PS3.6. */
export function keywordOf(tag: number): string {
  const name = standardEntry(tag)?.name;
  if (!name) return tagLabel(tag);
  return name.replace(/^RETIRED_/, '');
}

/** "SOPClassUID (0008,0016)": how error messages and warnings name an attribute. */
export function describeTag(tag: number): string {
  const keyword = keywordOf(tag);
  const label = tagLabel(tag);
  return keyword === label ? label : `${keyword} ${label}`;
}

/**
 * VR of an attribute whose encoding does not state it. Ambiguous dictionary VRs are resolved as
 * PS3.5 Annex A asks of Implicit VR: "US or SS" by Pixel Representation, "OB or OW" (Pixel Data,
 * overlays) and LUT Data as OW. Private and unknown attributes are UN.
 */
export function dictionaryVR(tag: number, pixelRepresentation = 0): string {
  if ((tag & 0xffff) === 0) return 'UL'; // group length (PS3.5 §7.2)
  if (isPrivateCreator(tag)) return 'LO';

  const vr = standardEntry(tag)?.vr;
  switch (vr) {
    case undefined:
    case 'na':
      return 'UN';
    case 'xs':
      return pixelRepresentation === 1 ? 'SS' : 'US';
    case 'ox':
    case 'lt':
      return 'OW';
    case 'up':
      return 'UL';
    default:
      return vr;
  }
}

/** Whether the standard dictionary knows the attribute, so a UN encoding of it can be undone. */
export function hasStandardVR(tag: number): boolean {
  return dictionaryVR(tag) !== 'UN';
}
