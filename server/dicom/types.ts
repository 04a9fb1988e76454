/**
 * What the archive learns from one DICOM Part 10 instance at ingest. Everything the index,
 * QIDO, WADO and later the AI workers and grading queues need is here, so that no request
 * ever has to re-parse the file to answer.
 */

/** DICOM JSON model (PS3.18 Annex F): tag "GGGGEEEE" -> attribute. */
export type DicomJson = Record<string, DicomJsonAttribute>;

export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

/** Byte range of one frame inside the stored file (or, for encapsulated data, its fragments). */
export interface FrameLocation {
  /** Byte ranges [offset, length] in the stored file, in order; concatenated they are the frame. */
  ranges: Array<[number, number]>;
  /**
   * Native 1-bit data only: frames are packed bit after bit (PS3.5 §8.1.1), so a frame can start
   * inside a byte. This many low-order bits of the first byte belong to the previous frame.
   */
  bitOffset?: number;
}

export interface PixelDataInfo {
  /** Offset in the file of the first byte of the Pixel Data value (after the element header). */
  valueOffset: number;
  /** Length of the value; -1 for undefined length (encapsulated). */
  valueLength: number;
  encapsulated: boolean;
  /** One entry per frame; empty when frames cannot be located without decoding (deflate). */
  frames: FrameLocation[];
  /**
   * Deflated transfer syntax (1.2.840.10008.1.2.1.99): `frames` is empty and `valueOffset`
   * counts bytes of the inflated data set; frames are read by inflating the stored file.
   */
  deflated?: boolean;
  rows: number;
  columns: number;
  numberOfFrames: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  planarConfiguration: number;
}

export interface ParsedInstance {
  transferSyntaxUID: string;
  sopClassUID: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** SpecificCharacterSet (0008,0005) as written, values joined by "\\". */
  specificCharacterSet: string | null;

  patient: {
    patientID: string | null;
    issuerOfPatientID: string | null;
    /** PN, decoded to Unicode, in DICOM's "Alphabetic=Ideographic=Phonetic" form. */
    patientName: string | null;
    patientBirthDate: string | null;
    patientSex: string | null;
  };
  study: {
    studyDate: string | null;
    studyTime: string | null;
    accessionNumber: string | null;
    studyID: string | null;
    studyDescription: string | null;
    referringPhysicianName: string | null;
  };
  series: {
    modality: string | null;
    seriesNumber: number | null;
    seriesDescription: string | null;
    seriesDate: string | null;
    /** Laterality (0020,0060) of the series, if any. */
    laterality: string | null;
  };
  instance: {
    instanceNumber: number | null;
    /** ImageLaterality (0020,0062), falling back to per-frame FrameLaterality when shared. */
    imageLaterality: string | null;
    contentDate: string | null;
    contentTime: string | null;
    manufacturer: string | null;
    manufacturerModelName: string | null;
    rows: number | null;
    columns: number | null;
    numberOfFrames: number | null;
  };

  /** Null when the instance has no Pixel Data (7FE0,0010). */
  pixelData: PixelDataInfo | null;
  /**
   * The whole data set minus Pixel Data and other large binary values, as DICOM JSON. Large
   * binary values carry `BulkDataURI` set to a path relative to the instance, e.g.
   * "bulkdata/7FE00010" or "bulkdata/00091010" (see `bulkElements`).
   */
  metadata: DicomJson;
  /** Large binary elements not inlined in `metadata`, by tag path, with their file byte range. */
  bulkElements: Array<{
    tagPath: string;
    offset: number;
    length: number;
    /** Deflated files: offset and length count bytes of the inflated data set, not the file. */
    inflated?: boolean;
  }>;
  /** Things a human should know (e.g. "unknown SOP class", "vendor private pixel data"). */
  warnings: string[];
}
