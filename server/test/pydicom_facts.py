"""Independent facts about DICOM files, read with pydicom, for tests to compare against.

Usage: /usr/bin/python3 pydicom_facts.py FILE...  -> one JSON object per file on stdout.
"""
import hashlib
import json
import sys

import pydicom
from pydicom.encaps import generate_pixel_data_frame


def uid(ds, keyword):
    value = getattr(ds, keyword, None)
    return str(value) if value else None


def frames_sha(ds):
    if "PixelData" not in ds:
        return None
    n = int(getattr(ds, "NumberOfFrames", 1) or 1)
    ts = ds.file_meta.TransferSyntaxUID if "TransferSyntaxUID" in ds.file_meta else None
    if ts is not None and ts.is_compressed:
        try:
            return [hashlib.sha256(f).hexdigest() for f in generate_pixel_data_frame(ds.PixelData, n)]
        except Exception:
            return None
    size = ds.Rows * ds.Columns * ds.SamplesPerPixel * ds.BitsAllocated // 8
    data = ds.PixelData
    return [hashlib.sha256(data[i * size:(i + 1) * size]).hexdigest() for i in range(n)]


def facts(path):
    out = {"path": path}
    try:
        ds = pydicom.dcmread(path, force=True)
        out["SOPClassUID"] = uid(ds, "SOPClassUID")
        out["SOPInstanceUID"] = uid(ds, "SOPInstanceUID")
        out["StudyInstanceUID"] = uid(ds, "StudyInstanceUID")
        out["SeriesInstanceUID"] = uid(ds, "SeriesInstanceUID")
        out["PatientName"] = str(ds.PatientName) if "PatientName" in ds else None
        out["PatientID"] = str(ds.PatientID) if "PatientID" in ds else None
        out["ImageLaterality"] = str(getattr(ds, "ImageLaterality", "")) or None
        out["NumberOfFrames"] = int(getattr(ds, "NumberOfFrames", 1) or 1) if "PixelData" in ds else None
        expected = None
        if "PixelData" in ds and "Rows" in ds and "BitsAllocated" in ds:
            ts = ds.file_meta.get("TransferSyntaxUID")
            if ts is None or not ts.is_compressed:
                expected = ds.Rows * ds.Columns * int(ds.get("SamplesPerPixel", 1)) * ds.BitsAllocated // 8
                expected *= out["NumberOfFrames"] or 1
        out["pixelComplete"] = expected is None or len(ds.PixelData) >= expected
        try:
            out["framesSha256"] = frames_sha(ds)
        except Exception:
            out["framesSha256"] = None
    except Exception as e:  # noqa: BLE001 - a fact like any other
        out["error"] = f"{type(e).__name__}: {e}"
    return out


if __name__ == "__main__":
    print(json.dumps([facts(p) for p in sys.argv[1:]]))
