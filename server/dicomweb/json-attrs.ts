/**
 * Building DICOM JSON attributes (PS3.18 Annex F) from index columns.
 */
import type { DicomJsonAttribute } from '../dicom/types';

export function str(vr: string, value: string | null | undefined): DicomJsonAttribute {
  return value == null || value === '' ? { vr } : { vr, Value: [value] };
}

export function strs(vr: string, values: string[]): DicomJsonAttribute {
  return values.length ? { vr, Value: values } : { vr };
}

export function num(vr: string, value: number | null | undefined): DicomJsonAttribute {
  return value == null ? { vr } : { vr, Value: [value] };
}

/** PN from our "Alphabetic=Ideographic=Phonetic" string form to the JSON object form (F.2.2). */
export function pn(value: string | null | undefined): DicomJsonAttribute {
  if (!value) return { vr: 'PN' };
  const [Alphabetic, Ideographic, Phonetic] = value.split('=');
  const name: Record<string, string> = {};
  if (Alphabetic) name.Alphabetic = Alphabetic;
  if (Ideographic) name.Ideographic = Ideographic;
  if (Phonetic) name.Phonetic = Phonetic;
  return { vr: 'PN', Value: [name] };
}
