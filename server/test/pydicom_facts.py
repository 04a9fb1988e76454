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


def frame_count(ds):
    try:
        return int(getattr(ds, "NumberOfFrames", 1) or 1)
    except ValueError:  # e.g. "1A": a broken value is not a reason to call the file broken
        return None


def pixel_complete(ds, frames):
    """Native pixel data at least as long as Rows x Columns x samples x bits x frames."""
    if "PixelData" not in ds or "Rows" not in ds or "BitsAllocated" not in ds:
        return True
    ts = ds.file_meta.get("TransferSyntaxUID")
    try:
        compressed = ts is not None and ts.is_compressed
    except ValueError:  # a transfer syntax newer than this pydicom: encapsulated data
        compressed = True
    if compressed:
        return True
    expected = ds.Rows * ds.Columns * int(ds.get("SamplesPerPixel", 1)) * ds.BitsAllocated // 8
    return len(ds.PixelData) >= expected * (frames or 1)


def facts(path):
    out = {"path": path}
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception as e:  # noqa: BLE001 - a fact like any other
        out["error"] = f"{type(e).__name__}: {e}"
        return out
    for keyword in ("SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID"):
        out[keyword] = uid(ds, keyword)
    out["PatientName"] = str(ds.PatientName) if "PatientName" in ds else None
    out["PatientID"] = str(ds.PatientID) if "PatientID" in ds else None
    out["ImageLaterality"] = str(getattr(ds, "ImageLaterality", "")) or None
    frames = frame_count(ds)
    out["NumberOfFrames"] = frames if "PixelData" in ds else None
    out["pixelComplete"] = pixel_complete(ds, frames)
    try:
        out["framesSha256"] = frames_sha(ds)
    except Exception:  # noqa: BLE001 - no reference frames for this file
        out["framesSha256"] = None
    return out


if __name__ == "__main__":
    print(json.dumps([facts(p) for p in sys.argv[1:]]))
