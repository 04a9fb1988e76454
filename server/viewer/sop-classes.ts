/**
 * Which view an instance gets, decided from its WADO-RS metadata alone: SOP Class UID
 * (PS3.4 Annex B), whether it holds Pixel Data, and how many frames.
 */
import { num, str, TAG, type DicomJson } from './dicom-json';

export const OPT_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.77.1.5.4';
export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

/** Names of the storage SOP classes an eye archive meets (PS3.6 Annex A). */
export const SOP_CLASS_NAMES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.77.1.5.1': 'Ophthalmic Photography 8 Bit Image',
  '1.2.840.10008.5.1.4.1.1.77.1.5.2': 'Ophthalmic Photography 16 Bit Image',
  '1.2.840.10008.5.1.4.1.1.77.1.5.3': 'Stereometric Relationship',
  [OPT_SOP_CLASS]: 'Ophthalmic Tomography Image',
  '1.2.840.10008.5.1.4.1.1.77.1.5.5': 'Wide Field Ophthalmic Photography Stereographic Projection',
  '1.2.840.10008.5.1.4.1.1.77.1.5.6': 'Wide Field Ophthalmic Photography 3D Coordinates',
  '1.2.840.10008.5.1.4.1.1.77.1.5.7': 'Ophthalmic Optical Coherence Tomography En Face Image',
  '1.2.840.10008.5.1.4.1.1.77.1.5.8':
    'Ophthalmic Optical Coherence Tomography B-scan Volume Analysis',
  '1.2.840.10008.5.1.4.1.1.81.1': 'Ophthalmic Thickness Map',
  '1.2.840.10008.5.1.4.1.1.82.1': 'Corneal Topography Map',
  '1.2.840.10008.5.1.4.1.1.79.1': 'Macular Grid Thickness and Volume Report',
  '1.2.840.10008.5.1.4.1.1.80.1': 'Ophthalmic Visual Field Static Perimetry Measurements',
  '1.2.840.10008.5.1.4.1.1.78.1': 'Lensometry Measurements',
  '1.2.840.10008.5.1.4.1.1.78.2': 'Autorefraction Measurements',
  '1.2.840.10008.5.1.4.1.1.78.3': 'Keratometry Measurements',
  '1.2.840.10008.5.1.4.1.1.78.4': 'Subjective Refraction Measurements',
  '1.2.840.10008.5.1.4.1.1.78.5': 'Visual Acuity Measurements',
  '1.2.840.10008.5.1.4.1.1.78.6': 'Spectacle Prescription Report',
  '1.2.840.10008.5.1.4.1.1.78.7': 'Ophthalmic Axial Measurements',
  '1.2.840.10008.5.1.4.1.1.78.8': 'Intraocular Lens Calculations',
  [ENCAPSULATED_PDF_SOP_CLASS]: 'Encapsulated PDF',
  '1.2.840.10008.5.1.4.1.1.66': 'Raw Data',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.4': 'Multi-frame True Color Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.77.1.4': 'VL Photographic Image',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
};

export function sopClassName(uid: string | undefined): string {
  if (!uid) return 'unknown SOP class';
  return SOP_CLASS_NAMES[uid] ?? `SOP class ${uid}`;
}

export type ViewerKind = 'photo' | 'oct' | 'cine' | 'pdf' | 'none';

export interface ViewerChoice {
  kind: ViewerKind;
  frames: number;
  /** For 'none': why there is nothing to draw, in words for the reader. */
  reason?: string;
}

/**
 * - Encapsulated PDF: shown inline.
 * - No Pixel Data (Raw Data, structured reports, measurements): a "not viewable" panel.
 * - Ophthalmic Tomography: B-scans beside their localizer.
 * - Any other multi-frame image (angiography sequences): a cine.
 * - A single frame: a photo view.
 */
export function viewerKind(ds: DicomJson): ViewerChoice {
  const sopClassUID = str(ds, TAG.SOPClassUID);
  const frames = Math.max(1, num(ds, TAG.NumberOfFrames) ?? 1);
  if (sopClassUID === ENCAPSULATED_PDF_SOP_CLASS) return { kind: 'pdf', frames: 0 };

  if (ds[TAG.FloatPixelData] || ds[TAG.DoubleFloatPixelData]) {
    return { kind: 'none', frames, reason: 'Float pixel data is not displayed by this viewer.' };
  }
  if (!ds[TAG.PixelData]) {
    return { kind: 'none', frames: 0, reason: 'This object holds no image (no Pixel Data).' };
  }
  if (sopClassUID === OPT_SOP_CLASS) return { kind: 'oct', frames };
  return { kind: frames > 1 ? 'cine' : 'photo', frames };
}
