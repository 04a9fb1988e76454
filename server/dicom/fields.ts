/**
 * The attributes the archive indexes, read from a parsed data set: the four identifying UIDs
 * (checked as PS3.5 §9.1 requires), and the patient, study, series and instance fields of
 * ParsedInstance. Error messages and warnings name tags only, never values.
 */
import { AppError } from '../errors';
import type { DataSet } from './dataset';
import { describeTag } from './dictionary';
import { characterSetOf } from './json';
import type { ParsedInstance } from './types';
import { elementValues, type PersonName } from './values';

const T = {
  SOPClassUID: 0x00080016, // (0008,0016)
  SOPInstanceUID: 0x00080018, // (0008,0018)
  StudyDate: 0x00080020, // (0008,0020)
  SeriesDate: 0x00080021, // (0008,0021)
  ContentDate: 0x00080023, // (0008,0023)
  StudyTime: 0x00080030, // (0008,0030)
  ContentTime: 0x00080033, // (0008,0033)
  AccessionNumber: 0x00080050, // (0008,0050)
  Modality: 0x00080060, // (0008,0060)
  Manufacturer: 0x00080070, // (0008,0070)
  ReferringPhysicianName: 0x00080090, // (0008,0090)
  StudyDescription: 0x00081030, // (0008,1030)
  SeriesDescription: 0x0008103e, // (0008,103E)
  ManufacturerModelName: 0x00081090, // (0008,1090)
  PatientName: 0x00100010, // (0010,0010)
  PatientID: 0x00100020, // (0010,0020)
  IssuerOfPatientID: 0x00100021, // (0010,0021)
  PatientBirthDate: 0x00100030, // (0010,0030)
  PatientSex: 0x00100040, // (0010,0040)
  StudyInstanceUID: 0x0020000d, // (0020,000D)
  SeriesInstanceUID: 0x0020000e, // (0020,000E)
  StudyID: 0x00200010, // (0020,0010)
  SeriesNumber: 0x00200011, // (0020,0011)
  InstanceNumber: 0x00200013, // (0020,0013)
  Laterality: 0x00200060, // (0020,0060)
  ImageLaterality: 0x00200062, // (0020,0062)
  FrameAnatomySequence: 0x00209071, // (0020,9071)
  FrameLaterality: 0x00209072, // (0020,9072)
  NumberOfFrames: 0x00280008, // (0028,0008)
  Rows: 0x00280010, // (0028,0010)
  Columns: 0x00280011, // (0028,0011)
  SharedFunctionalGroupsSequence: 0x52009229, // (5200,9229)
  PerFrameFunctionalGroupsSequence: 0x52009230, // (5200,9230)
} as const;

/** The four UIDs without which an instance cannot be placed in the archive. */
const REQUIRED_UIDS = [
  T.SOPClassUID,
  T.SOPInstanceUID,
  T.StudyInstanceUID,
  T.SeriesInstanceUID,
] as const;

/** PS3.5 §9.1: components of digits separated by periods, no empty component, at most 64. */
const UID_SYNTAX = /^[0-9]+(\.[0-9]+)*$/;

function first(dataSet: DataSet, tag: number, charset: string[] = []): unknown {
  const element = dataSet.get(tag);
  if (!element) return null;
  return elementValues(element, charset)?.[0] ?? null;
}

function text(dataSet: DataSet, tag: number, charset: string[] = []): string | null {
  const value = first(dataSet, tag, charset);
  return typeof value === 'string' && value !== '' ? value : null;
}

function integer(dataSet: DataSet, tag: number): number | null {
  const value = first(dataSet, tag);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** DICOM's "Alphabetic=Ideographic=Phonetic" form, trailing empty groups left out. */
function personName(dataSet: DataSet, tag: number, charset: string[]): string | null {
  const name = first(dataSet, tag, charset) as PersonName | null;
  if (!name) return null;
  const groups = [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? ''];
  return groups.join('=').replace(/=+$/, '') || null;
}

export interface RequiredUIDs {
  sopClassUID: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
}

/** Reads the four UIDs; MISSING_ATTRIBUTE or INVALID_ATTRIBUTE when they cannot be used. */
export function requiredUIDs(dataSet: DataSet, warnings: string[]): RequiredUIDs {
  const values = REQUIRED_UIDS.map((tag) => text(dataSet, tag));
  const missing = REQUIRED_UIDS.filter((_, i) => values[i] === null);
  if (missing.length > 0) {
    throw new AppError('MISSING_ATTRIBUTE', `Missing ${missing.map(describeTag).join(', ')}`);
  }

  REQUIRED_UIDS.forEach((tag, i) => {
    const uid = values[i]!;
    if (!UID_SYNTAX.test(uid)) {
      throw new AppError(
        'INVALID_ATTRIBUTE',
        `${describeTag(tag)} is not a valid UID (PS3.5 §9.1)`,
      );
    }
    // Over-long UIDs and leading zeros are common in the field and harm nobody; keep them.
    if (uid.length > 64) warnings.push(`${describeTag(tag)} is longer than 64 characters`);
    if (/(^|\.)0[0-9]/.test(uid)) warnings.push(`${describeTag(tag)} has a leading zero`);
  });

  const [sopClassUID, sopInstanceUID, studyInstanceUID, seriesInstanceUID] = values as string[];
  return { sopClassUID, sopInstanceUID, studyInstanceUID, seriesInstanceUID };
}

function firstItem(dataSet: DataSet | undefined, tag: number): DataSet | undefined {
  return dataSet?.get(tag)?.items?.[0];
}

function frameLaterality(group: DataSet | undefined): string | null {
  const anatomy = firstItem(group, T.FrameAnatomySequence);
  return anatomy ? text(anatomy, T.FrameLaterality) : null;
}

/**
 * ImageLaterality (0020,0062) of single-frame objects; enhanced multi-frame objects (OPT, OCT
 * en face) carry FrameLaterality (0020,9072) in Frame Anatomy (PS3.3 §C.7.6.16.2.8) instead,
 * shared by all frames or, when every frame agrees, per frame.
 */
function imageLaterality(dataSet: DataSet): string | null {
  const direct = text(dataSet, T.ImageLaterality);
  if (direct) return direct;

  const shared = frameLaterality(firstItem(dataSet, T.SharedFunctionalGroupsSequence));
  if (shared) return shared;

  const perFrame = dataSet.get(T.PerFrameFunctionalGroupsSequence)?.items ?? [];
  const values = new Set(perFrame.map(frameLaterality));
  return values.size === 1 ? [...values][0] : null;
}

type IndexedFields = Pick<ParsedInstance, 'patient' | 'study' | 'series' | 'instance'>;

/** Patient, study, series and instance attributes for the index. */
export function indexedFields(dataSet: DataSet): IndexedFields {
  const charset = characterSetOf(dataSet, []);
  return {
    patient: {
      patientID: text(dataSet, T.PatientID, charset),
      issuerOfPatientID: text(dataSet, T.IssuerOfPatientID, charset),
      patientName: personName(dataSet, T.PatientName, charset),
      patientBirthDate: text(dataSet, T.PatientBirthDate),
      patientSex: text(dataSet, T.PatientSex),
    },
    study: {
      studyDate: text(dataSet, T.StudyDate),
      studyTime: text(dataSet, T.StudyTime),
      accessionNumber: text(dataSet, T.AccessionNumber, charset),
      studyID: text(dataSet, T.StudyID, charset),
      studyDescription: text(dataSet, T.StudyDescription, charset),
      referringPhysicianName: personName(dataSet, T.ReferringPhysicianName, charset),
    },
    series: {
      modality: text(dataSet, T.Modality),
      seriesNumber: integer(dataSet, T.SeriesNumber),
      seriesDescription: text(dataSet, T.SeriesDescription, charset),
      seriesDate: text(dataSet, T.SeriesDate),
      laterality: text(dataSet, T.Laterality),
    },
    instance: {
      instanceNumber: integer(dataSet, T.InstanceNumber),
      imageLaterality: imageLaterality(dataSet),
      contentDate: text(dataSet, T.ContentDate),
      contentTime: text(dataSet, T.ContentTime),
      manufacturer: text(dataSet, T.Manufacturer, charset),
      manufacturerModelName: text(dataSet, T.ManufacturerModelName, charset),
      rows: integer(dataSet, T.Rows),
      columns: integer(dataSet, T.Columns),
      numberOfFrames: integer(dataSet, T.NumberOfFrames),
    },
  };
}

/** (0008,0005) as written, values joined by backslash; null when absent. */
export function specificCharacterSetText(dataSet: DataSet): string | null {
  if (!dataSet.has(0x00080005)) return null;
  return characterSetOf(dataSet, []).join('\\');
}
