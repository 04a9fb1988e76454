"""Writes the same fundus photo three ways for the viewer's colour test, with pydicom:

  rgb.dcm      RGB, native, colour-by-pixel (Planar Configuration 0)
  planar.dcm   RGB, native, colour-by-plane (Planar Configuration 1)
  palette.dcm  PALETTE COLOR: 8-bit indices into 256-entry, 16-bit red/green/blue tables

All Secondary Capture, one study, right eye. Usage: colour-fixtures.py FUNDUS.jpg OUT_DIR STUDY_UID
Prints JSON: per file its name, SOP Instance UID and photometric.
"""
import json
import os
import sys

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

SC = "1.2.840.10008.5.1.4.1.1.7"
src, out_dir, study_uid = sys.argv[1], sys.argv[2], sys.argv[3]
image = Image.open(src).convert("RGB")
rgb = np.asarray(image, dtype=np.uint8)
rows, columns = rgb.shape[:2]


def base(number):
    ds = Dataset()
    ds.SOPClassUID = SC
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientID = "COLOUR-1"
    ds.IssuerOfPatientID = "TEST-A"
    ds.PatientName = "Colour^Carla"
    ds.StudyDate = "20250301"
    ds.Modality = "OT"
    ds.ConversionType = "WSD"
    ds.SeriesNumber = number
    ds.InstanceNumber = 1
    ds.ImageLaterality = "R"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    return ds


def save(ds, name):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    path = os.path.join(out_dir, name)
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.preamble = b"\0" * 128
    ds.save_as(path, write_like_original=False)
    return {"file": path, "sop": ds.SOPInstanceUID, "photometric": ds.PhotometricInterpretation}


written = []
ds = base(1)
ds.SamplesPerPixel = 3
ds.PhotometricInterpretation = "RGB"
ds.PlanarConfiguration = 0
ds.PixelData = rgb.tobytes()
written.append(save(ds, "rgb.dcm"))

ds = base(2)
ds.SamplesPerPixel = 3
ds.PhotometricInterpretation = "RGB"
ds.PlanarConfiguration = 1
ds.PixelData = np.ascontiguousarray(rgb.transpose(2, 0, 1)).tobytes()
written.append(save(ds, "planar.dcm"))

quantized = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
indices = np.asarray(quantized, dtype=np.uint8)
table = np.array(quantized.getpalette()[: 256 * 3], dtype=np.uint16).reshape(-1, 3)
table = np.vstack([table, np.zeros((256 - len(table), 3), dtype=np.uint16)]) * 257
ds = base(3)
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "PALETTE COLOR"
for channel, k in (("Red", 0), ("Green", 1), ("Blue", 2)):
    setattr(ds, f"{channel}PaletteColorLookupTableDescriptor", [256, 0, 16])
    setattr(ds, f"{channel}PaletteColorLookupTableData", table[:, k].astype("<u2").tobytes())
ds.PixelData = indices.tobytes()
written.append(save(ds, "palette.dcm"))

print(json.dumps(written))
