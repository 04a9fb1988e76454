"""Reference pixels of one frame as a viewer must show them, read by pydicom.

Usage: pixels.py FILE FRAME ROW,COL [ROW,COL ...] -> JSON list of [r, g, b] (or [v]) values.
YBR photometrics are converted to RGB and PALETTE COLOR goes through its lookup table.
"""
import json
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space

warnings.simplefilter("ignore")
ds = pydicom.dcmread(sys.argv[1])
frame = int(sys.argv[2])
arr = ds.pixel_array
if int(getattr(ds, "NumberOfFrames", 1) or 1) > 1:
    arr = arr[frame]
pi = ds.PhotometricInterpretation
if pi.startswith("YBR"):
    arr = convert_color_space(arr, pi, "RGB")
elif pi == "PALETTE COLOR":
    arr = apply_color_lut(arr, ds)
    arr = (arr / 257).round().astype(np.uint8) if arr.dtype != np.uint8 else arr
out = []
for spec in sys.argv[3:]:
    r, c = (int(x) for x in spec.split(","))
    v = arr[r, c]
    out.append([int(x) for x in np.atleast_1d(v)])
print(json.dumps(out))
