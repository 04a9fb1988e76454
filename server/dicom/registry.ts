/**
 * Tables of the storage SOP classes (PS3.4 Annex B, Table B.5-1; UIDs from PS3.6 Annex A) and
 * transfer syntaxes (PS3.5 §10 and Annex A; PS3.6 Table A-1) the archive knows, and what it can
 * do with each. Unknown SOP classes are stored like any other (an archive must not refuse the
 * newer eye-care classes); the table only decides how they are shown and indexed.
 *
 * Verification: registry.test.ts checks every UID, keyword and name below against pydicom's
 * PS3.6 dictionary at test time. Entries newer than that dictionary are marked "newer" in their
 * table row and were cross-checked against several toolkits' generated PS3.6 dictionaries
 * instead: Label Map / Height Map Segmentation, HTJ2K, JPEG XL, Deflated Image Frame Compression.
 */

/**
 * What a SOP class holds, for the viewer and the index:
 * image (one picture per instance, or a few frames), multiframe (a volume, cine or enhanced
 * object with functional groups), document (an encapsulated file such as a PDF), measurement
 * (ophthalmic measurements without pixels), sr (a structured report), raw (anything kept
 * byte-exact and not displayed: raw data, presentation states, registrations, waveforms, plans).
 */
export type SopClassKind = 'image' | 'multiframe' | 'document' | 'measurement' | 'raw' | 'sr';

export interface SopClassInfo {
  known: true;
  uid: string;
  keyword: string;
  name: string;
  kind: SopClassKind;
  /** Ophthalmic SOP classes (PS3.3 A.39-A.87 family) get eye-care specific handling. */
  ophthalmic: boolean;
  /** Added to PS3.6 after pydicom 2.3's dictionary; see the module comment. */
  newer: boolean;
}

export interface TransferSyntaxInfo {
  known: true;
  uid: string;
  keyword: string;
  name: string;
  /** Pixel Data is a sequence of fragments (PS3.5 §A.4), not a plain value. */
  encapsulated: boolean;
  /** This server can decode its pixel data to render frames. */
  decodable: boolean;
  retired: boolean;
  newer: boolean;
}

const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';

/**
 * Each class is two lines: "UID-suffix kind keyword [ophthalmic] [newer]", then its name.
 * The suffix follows 1.2.840.10008.5.1.4.1.1. (all storage classes share that root).
 */
const SOP_CLASS_TABLE = `
77.1.5.1 image OphthalmicPhotography8BitImageStorage ophthalmic
  Ophthalmic Photography 8 Bit Image Storage
77.1.5.2 image OphthalmicPhotography16BitImageStorage ophthalmic
  Ophthalmic Photography 16 Bit Image Storage
77.1.5.3 raw StereometricRelationshipStorage ophthalmic
  Stereometric Relationship Storage
77.1.5.4 multiframe OphthalmicTomographyImageStorage ophthalmic
  Ophthalmic Tomography Image Storage
77.1.5.5 image WideFieldOphthalmicPhotographyStereographicProjectionImageStorage ophthalmic
  Wide Field Ophthalmic Photography Stereographic Projection Image Storage
77.1.5.6 image WideFieldOphthalmicPhotography3DCoordinatesImageStorage ophthalmic
  Wide Field Ophthalmic Photography 3D Coordinates Image Storage
77.1.5.7 image OphthalmicOpticalCoherenceTomographyEnFaceImageStorage ophthalmic
  Ophthalmic Optical Coherence Tomography En Face Image Storage
77.1.5.8 multiframe OphthalmicOpticalCoherenceTomographyBscanVolumeAnalysisStorage ophthalmic
  Ophthalmic Optical Coherence Tomography B-scan Volume Analysis Storage
78.1 measurement LensometryMeasurementsStorage ophthalmic
  Lensometry Measurements Storage
78.2 measurement AutorefractionMeasurementsStorage ophthalmic
  Autorefraction Measurements Storage
78.3 measurement KeratometryMeasurementsStorage ophthalmic
  Keratometry Measurements Storage
78.4 measurement SubjectiveRefractionMeasurementsStorage ophthalmic
  Subjective Refraction Measurements Storage
78.5 measurement VisualAcuityMeasurementsStorage ophthalmic
  Visual Acuity Measurements Storage
78.6 measurement SpectaclePrescriptionReportStorage ophthalmic
  Spectacle Prescription Report Storage
78.7 measurement OphthalmicAxialMeasurementsStorage ophthalmic
  Ophthalmic Axial Measurements Storage
78.8 measurement IntraocularLensCalculationsStorage ophthalmic
  Intraocular Lens Calculations Storage
79.1 sr MacularGridThicknessAndVolumeReportStorage ophthalmic
  Macular Grid Thickness and Volume Report Storage
80.1 measurement OphthalmicVisualFieldStaticPerimetryMeasurementsStorage ophthalmic
  Ophthalmic Visual Field Static Perimetry Measurements Storage
81.1 image OphthalmicThicknessMapStorage ophthalmic
  Ophthalmic Thickness Map Storage
82.1 image CornealTopographyMapStorage ophthalmic
  Corneal Topography Map Storage
66.8 multiframe HeightMapSegmentationStorage ophthalmic newer
  Height Map Segmentation Storage
104.1 document EncapsulatedPDFStorage
  Encapsulated PDF Storage
104.2 document EncapsulatedCDAStorage
  Encapsulated CDA Storage
104.3 document EncapsulatedSTLStorage
  Encapsulated STL Storage
104.4 document EncapsulatedOBJStorage
  Encapsulated OBJ Storage
104.5 document EncapsulatedMTLStorage
  Encapsulated MTL Storage
66 raw RawDataStorage
  Raw Data Storage
66.1 raw SpatialRegistrationStorage
  Spatial Registration Storage
66.2 raw SpatialFiducialsStorage
  Spatial Fiducials Storage
66.3 raw DeformableSpatialRegistrationStorage
  Deformable Spatial Registration Storage
66.4 multiframe SegmentationStorage
  Segmentation Storage
66.5 raw SurfaceSegmentationStorage
  Surface Segmentation Storage
66.6 raw TractographyResultsStorage
  Tractography Results Storage
66.7 multiframe LabelMapSegmentationStorage newer
  Label Map Segmentation Storage
67 raw RealWorldValueMappingStorage
  Real World Value Mapping Storage
68.1 raw SurfaceScanMeshStorage
  Surface Scan Mesh Storage
68.2 raw SurfaceScanPointCloudStorage
  Surface Scan Point Cloud Storage
7 image SecondaryCaptureImageStorage
  Secondary Capture Image Storage
7.1 multiframe MultiFrameSingleBitSecondaryCaptureImageStorage
  Multi-frame Single Bit Secondary Capture Image Storage
7.2 multiframe MultiFrameGrayscaleByteSecondaryCaptureImageStorage
  Multi-frame Grayscale Byte Secondary Capture Image Storage
7.3 multiframe MultiFrameGrayscaleWordSecondaryCaptureImageStorage
  Multi-frame Grayscale Word Secondary Capture Image Storage
7.4 multiframe MultiFrameTrueColorSecondaryCaptureImageStorage
  Multi-frame True Color Secondary Capture Image Storage
77.1.1 image VLEndoscopicImageStorage
  VL Endoscopic Image Storage
77.1.1.1 multiframe VideoEndoscopicImageStorage
  Video Endoscopic Image Storage
77.1.2 image VLMicroscopicImageStorage
  VL Microscopic Image Storage
77.1.2.1 multiframe VideoMicroscopicImageStorage
  Video Microscopic Image Storage
77.1.3 image VLSlideCoordinatesMicroscopicImageStorage
  VL Slide-Coordinates Microscopic Image Storage
77.1.4 image VLPhotographicImageStorage
  VL Photographic Image Storage
77.1.4.1 multiframe VideoPhotographicImageStorage
  Video Photographic Image Storage
77.1.6 multiframe VLWholeSlideMicroscopyImageStorage
  VL Whole Slide Microscopy Image Storage
77.1.7 image DermoscopicPhotographyImageStorage
  Dermoscopic Photography Image Storage
1 image ComputedRadiographyImageStorage
  Computed Radiography Image Storage
1.1 image DigitalXRayImageStorageForPresentation
  Digital X-Ray Image Storage - For Presentation
1.1.1 image DigitalXRayImageStorageForProcessing
  Digital X-Ray Image Storage - For Processing
1.2 image DigitalMammographyXRayImageStorageForPresentation
  Digital Mammography X-Ray Image Storage - For Presentation
1.2.1 image DigitalMammographyXRayImageStorageForProcessing
  Digital Mammography X-Ray Image Storage - For Processing
1.3 image DigitalIntraOralXRayImageStorageForPresentation
  Digital Intra-Oral X-Ray Image Storage - For Presentation
1.3.1 image DigitalIntraOralXRayImageStorageForProcessing
  Digital Intra-Oral X-Ray Image Storage - For Processing
2 image CTImageStorage
  CT Image Storage
2.1 multiframe EnhancedCTImageStorage
  Enhanced CT Image Storage
2.2 multiframe LegacyConvertedEnhancedCTImageStorage
  Legacy Converted Enhanced CT Image Storage
3.1 multiframe UltrasoundMultiFrameImageStorage
  Ultrasound Multi-frame Image Storage
4 image MRImageStorage
  MR Image Storage
4.1 multiframe EnhancedMRImageStorage
  Enhanced MR Image Storage
4.2 raw MRSpectroscopyStorage
  MR Spectroscopy Storage
4.3 multiframe EnhancedMRColorImageStorage
  Enhanced MR Color Image Storage
4.4 multiframe LegacyConvertedEnhancedMRImageStorage
  Legacy Converted Enhanced MR Image Storage
6.1 image UltrasoundImageStorage
  Ultrasound Image Storage
6.2 multiframe EnhancedUSVolumeStorage
  Enhanced US Volume Storage
12.1 multiframe XRayAngiographicImageStorage
  X-Ray Angiographic Image Storage
12.1.1 multiframe EnhancedXAImageStorage
  Enhanced XA Image Storage
12.2 multiframe XRayRadiofluoroscopicImageStorage
  X-Ray Radiofluoroscopic Image Storage
12.2.1 multiframe EnhancedXRFImageStorage
  Enhanced XRF Image Storage
13.1.1 multiframe XRay3DAngiographicImageStorage
  X-Ray 3D Angiographic Image Storage
13.1.2 multiframe XRay3DCraniofacialImageStorage
  X-Ray 3D Craniofacial Image Storage
13.1.3 multiframe BreastTomosynthesisImageStorage
  Breast Tomosynthesis Image Storage
14.1 multiframe IntravascularOpticalCoherenceTomographyImageStorageForPresentation
  Intravascular Optical Coherence Tomography Image Storage - For Presentation
14.2 multiframe IntravascularOpticalCoherenceTomographyImageStorageForProcessing
  Intravascular Optical Coherence Tomography Image Storage - For Processing
20 multiframe NuclearMedicineImageStorage
  Nuclear Medicine Image Storage
30 multiframe ParametricMapStorage
  Parametric Map Storage
128 image PositronEmissionTomographyImageStorage
  Positron Emission Tomography Image Storage
128.1 multiframe LegacyConvertedEnhancedPETImageStorage
  Legacy Converted Enhanced PET Image Storage
130 multiframe EnhancedPETImageStorage
  Enhanced PET Image Storage
481.1 image RTImageStorage
  RT Image Storage
481.2 multiframe RTDoseStorage
  RT Dose Storage
481.3 raw RTStructureSetStorage
  RT Structure Set Storage
481.4 raw RTBeamsTreatmentRecordStorage
  RT Beams Treatment Record Storage
481.5 raw RTPlanStorage
  RT Plan Storage
481.6 raw RTBrachyTreatmentRecordStorage
  RT Brachy Treatment Record Storage
481.7 raw RTTreatmentSummaryRecordStorage
  RT Treatment Summary Record Storage
481.8 raw RTIonPlanStorage
  RT Ion Plan Storage
481.9 raw RTIonBeamsTreatmentRecordStorage
  RT Ion Beams Treatment Record Storage
11.1 raw GrayscaleSoftcopyPresentationStateStorage
  Grayscale Softcopy Presentation State Storage
11.2 raw ColorSoftcopyPresentationStateStorage
  Color Softcopy Presentation State Storage
11.3 raw PseudoColorSoftcopyPresentationStateStorage
  Pseudo-Color Softcopy Presentation State Storage
11.4 raw BlendingSoftcopyPresentationStateStorage
  Blending Softcopy Presentation State Storage
11.5 raw XAXRFGrayscaleSoftcopyPresentationStateStorage
  XA/XRF Grayscale Softcopy Presentation State Storage
9.1.1 raw TwelveLeadECGWaveformStorage
  12-lead ECG Waveform Storage
9.1.2 raw GeneralECGWaveformStorage
  General ECG Waveform Storage
9.4.1 raw BasicVoiceAudioWaveformStorage
  Basic Voice Audio Waveform Storage
9.4.2 raw GeneralAudioWaveformStorage
  General Audio Waveform Storage
9.7.3 raw ElectrooculogramWaveformStorage
  Electrooculogram Waveform Storage
88.11 sr BasicTextSRStorage
  Basic Text SR Storage
88.22 sr EnhancedSRStorage
  Enhanced SR Storage
88.33 sr ComprehensiveSRStorage
  Comprehensive SR Storage
88.34 sr Comprehensive3DSRStorage
  Comprehensive 3D SR Storage
88.35 sr ExtensibleSRStorage
  Extensible SR Storage
88.40 sr ProcedureLogStorage
  Procedure Log Storage
88.59 sr KeyObjectSelectionDocumentStorage
  Key Object Selection Document Storage
88.67 sr XRayRadiationDoseSRStorage
  X-Ray Radiation Dose SR Storage
88.71 sr AcquisitionContextSRStorage
  Acquisition Context SR Storage
90.1 raw ContentAssessmentResultsStorage
  Content Assessment Results Storage
131 raw BasicStructuredDisplayStorage
  Basic Structured Display Storage
3 multiframe UltrasoundMultiFrameImageStorageRetired
  Ultrasound Multi-frame Image Storage
5 multiframe NuclearMedicineImageStorageRetired
  Nuclear Medicine Image Storage
6 image UltrasoundImageStorageRetired
  Ultrasound Image Storage
`;

/**
 * Each syntax is two lines: "UID keyword flags", then its name. Flags: E encapsulated (else
 * native), D decodable here, R retired, N newer. Decodable means a codec ships with the server:
 * native data; JPEG baseline, extended and lossless (libjpeg-turbo, jpeg-lossless-decoder-js);
 * JPEG-LS (CharLS); JPEG 2000 (OpenJPEG); HTJ2K (OpenJPH); RLE (PS3.5 Annex G, decoded here).
 */
const TRANSFER_SYNTAX_TABLE = `
1.2.840.10008.1.2 ImplicitVRLittleEndian D
  Implicit VR Little Endian
1.2.840.10008.1.2.1 ExplicitVRLittleEndian D
  Explicit VR Little Endian
1.2.840.10008.1.2.1.98 EncapsulatedUncompressedExplicitVRLittleEndian ED
  Encapsulated Uncompressed Explicit VR Little Endian
1.2.840.10008.1.2.1.99 DeflatedExplicitVRLittleEndian D
  Deflated Explicit VR Little Endian
1.2.840.10008.1.2.2 ExplicitVRBigEndian DR
  Explicit VR Big Endian
1.2.840.10008.1.2.4.50 JPEGBaseline8Bit ED
  JPEG Baseline (Process 1)
1.2.840.10008.1.2.4.51 JPEGExtended12Bit ED
  JPEG Extended (Process 2 and 4)
1.2.840.10008.1.2.4.52 JPEGExtended35 ER
  JPEG Extended (Process 3 and 5)
1.2.840.10008.1.2.4.53 JPEGSpectralSelectionNonHierarchical68 ER
  JPEG Spectral Selection, Non-Hierarchical (Process 6 and 8)
1.2.840.10008.1.2.4.54 JPEGSpectralSelectionNonHierarchical79 ER
  JPEG Spectral Selection, Non-Hierarchical (Process 7 and 9)
1.2.840.10008.1.2.4.55 JPEGFullProgressionNonHierarchical1012 ER
  JPEG Full Progression, Non-Hierarchical (Process 10 and 12)
1.2.840.10008.1.2.4.56 JPEGFullProgressionNonHierarchical1113 ER
  JPEG Full Progression, Non-Hierarchical (Process 11 and 13)
1.2.840.10008.1.2.4.57 JPEGLossless ED
  JPEG Lossless, Non-Hierarchical (Process 14)
1.2.840.10008.1.2.4.58 JPEGLosslessNonHierarchical15 ER
  JPEG Lossless, Non-Hierarchical (Process 15)
1.2.840.10008.1.2.4.59 JPEGExtendedHierarchical1618 ER
  JPEG Extended, Hierarchical (Process 16 and 18)
1.2.840.10008.1.2.4.60 JPEGExtendedHierarchical1719 ER
  JPEG Extended, Hierarchical (Process 17 and 19)
1.2.840.10008.1.2.4.61 JPEGSpectralSelectionHierarchical2022 ER
  JPEG Spectral Selection, Hierarchical (Process 20 and 22)
1.2.840.10008.1.2.4.62 JPEGSpectralSelectionHierarchical2123 ER
  JPEG Spectral Selection, Hierarchical (Process 21 and 23)
1.2.840.10008.1.2.4.63 JPEGFullProgressionHierarchical2426 ER
  JPEG Full Progression, Hierarchical (Process 24 and 26)
1.2.840.10008.1.2.4.64 JPEGFullProgressionHierarchical2527 ER
  JPEG Full Progression, Hierarchical (Process 25 and 27)
1.2.840.10008.1.2.4.65 JPEGLosslessHierarchical28 ER
  JPEG Lossless, Hierarchical (Process 28)
1.2.840.10008.1.2.4.66 JPEGLosslessHierarchical29 ER
  JPEG Lossless, Hierarchical (Process 29)
1.2.840.10008.1.2.4.70 JPEGLosslessSV1 ED
  JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])
1.2.840.10008.1.2.4.80 JPEGLSLossless ED
  JPEG-LS Lossless Image Compression
1.2.840.10008.1.2.4.81 JPEGLSNearLossless ED
  JPEG-LS Lossy (Near-Lossless) Image Compression
1.2.840.10008.1.2.4.90 JPEG2000Lossless ED
  JPEG 2000 Image Compression (Lossless Only)
1.2.840.10008.1.2.4.91 JPEG2000 ED
  JPEG 2000 Image Compression
1.2.840.10008.1.2.4.92 JPEG2000MCLossless E
  JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)
1.2.840.10008.1.2.4.93 JPEG2000MC E
  JPEG 2000 Part 2 Multi-component Image Compression
1.2.840.10008.1.2.4.94 JPIPReferenced
  JPIP Referenced
1.2.840.10008.1.2.4.95 JPIPReferencedDeflate
  JPIP Referenced Deflate
1.2.840.10008.1.2.4.100 MPEG2MPML E
  MPEG2 Main Profile / Main Level
1.2.840.10008.1.2.4.101 MPEG2MPHL E
  MPEG2 Main Profile / High Level
1.2.840.10008.1.2.4.102 MPEG4HP41 E
  MPEG-4 AVC/H.264 High Profile / Level 4.1
1.2.840.10008.1.2.4.103 MPEG4HP41BD E
  MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1
1.2.840.10008.1.2.4.104 MPEG4HP422D E
  MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video
1.2.840.10008.1.2.4.105 MPEG4HP423D E
  MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video
1.2.840.10008.1.2.4.106 MPEG4HP42STEREO E
  MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2
1.2.840.10008.1.2.4.107 HEVCMP51 E
  HEVC/H.265 Main Profile / Level 5.1
1.2.840.10008.1.2.4.108 HEVCM10P51 E
  HEVC/H.265 Main 10 Profile / Level 5.1
1.2.840.10008.1.2.4.110 JPEGXLLossless EN
  JPEG XL Lossless
1.2.840.10008.1.2.4.111 JPEGXLJPEGRecompression EN
  JPEG XL JPEG Recompression
1.2.840.10008.1.2.4.112 JPEGXL EN
  JPEG XL
1.2.840.10008.1.2.4.201 HTJ2KLossless EDN
  High-Throughput JPEG 2000 Image Compression (Lossless Only)
1.2.840.10008.1.2.4.202 HTJ2KLosslessRPCL EDN
  High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)
1.2.840.10008.1.2.4.203 HTJ2K EDN
  High-Throughput JPEG 2000 Image Compression
1.2.840.10008.1.2.5 RLELossless ED
  RLE Lossless
1.2.840.10008.1.2.8.1 DeflatedImageFrameCompression EN
  Deflated Image Frame Compression
`;

/** Pairs the "header" and "name" lines of a two-line table. */
function tableRows(table: string): Array<{ fields: string[]; name: string }> {
  const lines = table.split('\n').filter((line) => line.trim() !== '');
  const rows: Array<{ fields: string[]; name: string }> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    rows.push({ fields: lines[i].trim().split(/\s+/), name: lines[i + 1].trim() });
  }
  return rows;
}

const SOP_CLASSES = new Map<string, SopClassInfo>(
  tableRows(SOP_CLASS_TABLE).map(({ fields: [suffix, kind, keyword, ...flags], name }) => {
    const uid = STORAGE_ROOT + suffix;
    const info: SopClassInfo = {
      known: true,
      uid,
      keyword,
      name,
      kind: kind as SopClassKind,
      ophthalmic: flags.includes('ophthalmic'),
      newer: flags.includes('newer'),
    };
    return [uid, info];
  }),
);

const TRANSFER_SYNTAXES = new Map<string, TransferSyntaxInfo>(
  tableRows(TRANSFER_SYNTAX_TABLE).map(({ fields: [uid, keyword, flags = ''], name }) => {
    const info: TransferSyntaxInfo = {
      known: true,
      uid,
      keyword,
      name,
      encapsulated: flags.includes('E'),
      decodable: flags.includes('D'),
      retired: flags.includes('R'),
      newer: flags.includes('N'),
    };
    return [uid, info];
  }),
);

/** What the archive knows of a SOP class; `{ known: false }` for private or unknown ones. */
export function sopClassInfo(uid: string): SopClassInfo | { known: false } {
  return SOP_CLASSES.get(uid) ?? { known: false };
}

/** What the archive knows of a transfer syntax; `{ known: false }` for private or unknown. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | { known: false } {
  return TRANSFER_SYNTAXES.get(uid) ?? { known: false };
}

/** Every SOP class in the table (for accept-lists and conformance statements). */
export function allSopClasses(): SopClassInfo[] {
  return [...SOP_CLASSES.values()];
}

/** Every transfer syntax in the table. */
export function allTransferSyntaxes(): TransferSyntaxInfo[] {
  return [...TRANSFER_SYNTAXES.values()];
}
