"""Test fixtures for server/render: frame bytes, pixel attributes and reference pixels.

The render tests must not depend on the project's own DICOM parser, and their expected pixels
must come from a second decoder. This script uses pydicom (with Pillow for JPEG and JPEG 2000)
and, where pydicom 2.3 has no decoder, dcmtk's dcmdjpeg / dcmdjpls, to write for each named
case (plus, for the cases in RENDERED, dcmtk's dcmj2pnm rendering as <case>.rendered):

  <out>/<case>.frame   the bytes of one frame exactly as stored (fragments concatenated)
  <out>/<case>.ref     the reference decoded pixels, RGB for colour, in the dtype named
  <out>/manifest.json  attributes, transfer syntax and reference layout per case

Colour references follow what a viewer must show: YBR_FULL / YBR_FULL_422 are converted with
pydicom's convert_color_space, PALETTE COLOR goes through pydicom's apply_color_lut.

Run with /usr/bin/python3 (pydicom 2.3, numpy): fixtures.py <edge-dir> <out-dir> <case>...
"""

import base64
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.encaps import generate_pixel_data_frame
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
from pydicom.uid import ExplicitVRLittleEndian

warnings.simplefilter("ignore")

# case -> (source, frame index, how the reference is made)
CASES = {
    "mr_le": ("pydicom_MR_small_implicit.dcm", 0, "pydicom"),
    "mr_be": ("pydicom_MR_small_bigendian.dcm", 0, "pydicom"),
    "mr_rle": ("pydicom_MR_small_RLE.dcm", 0, "pydicom"),
    "emri_f4": ("pydicom_emri_small_enhanced_10frames.dcm", 4, "pydicom"),
    "grey8": ("charset_chrFren_ISO_IR_100.dcm", 0, "pydicom"),
    "rgb_odd": ("pydicom_SC_rgb_small_odd.dcm", 0, "pydicom"),
    # pydicom 2.3 mis-reads 8-bit OW in big endian: its little-endian twin is the reference.
    "rgb_odd_be": ("pydicom_SC_rgb_small_odd_big_endian.dcm", 0,
                   "twin:pydicom_SC_rgb_small_odd.dcm"),
    "rgb_ob_3x3": ("fodicom_1403-OB_3x3rgb.dcm", 0, "pydicom"),
    "rgb_rle_f0": ("pydicom_SC_rgb_rle_2frame.dcm", 0, "pydicom"),
    "rgb_rle_f1": ("pydicom_SC_rgb_rle_2frame.dcm", 1, "pydicom"),
    "jpeg_ybr_full": ("pydicom_SC_rgb_jpeg_dcmtk.dcm", 0, "pydicom"),
    "jpeg_ybr_422_f0": ("pydicom_examples_ybr_color_multiframe_jpeg.dcm", 0, "pydicom"),
    "jpeg_ybr_422_f29": ("pydicom_examples_ybr_color_multiframe_jpeg.dcm", 29, "pydicom"),
    "jpeg_ybr_422_icon": ("fodicom_JPEGwithIcon_XC.dcm", 0, "pydicom"),
    "jpeg_rgb_no_transform": ("pydicom_SC_jpeg_no_color_transform.dcm", 0, "pydicom"),
    "jpeg_12bit": ("pydicom_JPGExtended_12bit.dcm", 0, "none"),
    "jpeg_ll_sv1_rgb": ("pydicom_SC_rgb_jpeg_gdcm_lossless_sv1.dcm", 0, "dcmdjpeg"),
    "jpeg_ll_p14_ct": ("cswil_CTImage_JPEGProcess14_1.2.840.10008.1.2.4.57.dcm", 0, "dcmdjpeg"),
    "jpeg_53": ("cswil_CTImage_JPEGProcess6_8_spectral_1.2.840.10008.1.2.4.53.dcm", 0, "none"),
    "jpeg_55": ("cswil_CTImage_JPEGProcess10_12_progressive_1.2.840.10008.1.2.4.55.dcm", 0,
                "none"),
    "jls_mr": ("pydicom_MR_small_jpeg_ls_lossless.dcm", 0, "dcmdjpls"),
    "jls_rgb_ilv0": ("pydicom-data_JLSL_RGB_ILV0_nopreamble.dcm", 0, "dcmdjpls"),
    "jls_rgb_lossy_line": ("pydicom_SC_rgb_jls_lossy_line.dcm", 0, "dcmdjpls"),
    "j2k_mr": ("pydicom_MR_small_jp2klossless.dcm", 0, "pydicom"),
    "j2k_rct": ("pydicom-data_US1_J2KR_ybr_rct.dcm", 0, "pydicom"),
    "j2k_ict": ("pydicom-data_US1_J2KI_ybr_ict.dcm", 0, "pydicom"),
    "j2k_jp2_header": ("pydicom_GDCMJ2K_TextGBR_jp2header.dcm", 0, "none"),
    "j2k_pixelrep": ("pydicom_J2K_pixelrep_mismatch.dcm", 0, "pydicom"),
    "j2k_multifrag_f7": ("weasis_jpeg2000-multiframe-multifragments.dcm", 7, "pydicom"),
    "htj2k_rgb": ("pydicom-data_HTJ2K_lossless_RGB.dcm", 0, "none"),
    # Made here from the files above (see DERIVED below).
    "planar_rgb_f1": ("derived:planar_rgb", 1, "pydicom"),
    "ybr_full_native": ("derived:ybr_full", 0, "pydicom"),
    "ybr_422_native": ("derived:ybr_422", 0, "pydicom"),
    "palette8_lut16": ("derived:palette8_lut16", 0, "pydicom"),
    "palette8_lut8_first": ("derived:palette8_lut8_first", 0, "pydicom"),
    "palette16_65536": ("derived:palette16_65536", 0, "pydicom"),
    "palette_segmented": ("derived:palette_segmented", 0, "pydicom"),
    "mono1": ("derived:mono1", 0, "pydicom"),
}

# case -> dcmj2pnm VOI options: dcmtk's own rendering to 8-bit, the reference for renderFrame.
RENDERED = {
    "mr_le": ["+Wi", "1"],
    "emri_f4": ["+Wm"],
    "grey8": [],
    "jpeg_ll_p14_ct": ["+Wi", "1"],
    "mono1": ["+Wi", "1"],
}


def new_dataset(rows, columns, spp, photometric, bits):
    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = pydicom.uid.generate_uid()
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, columns, spp
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, bits, bits - 1
    ds.PixelRepresentation = 0
    if spp == 3:
        ds.PlanarConfiguration = 0
    return ds


def rgb_source(edge):
    return pydicom.dcmread(os.path.join(edge, "pydicom_SC_rgb_rle_2frame.dcm")).pixel_array


def derived_planar_rgb(edge):
    arr = rgb_source(edge)
    ds = new_dataset(100, 100, 3, "RGB", 8)
    ds.PlanarConfiguration = 1
    ds.NumberOfFrames = 2
    ds.PixelData = np.ascontiguousarray(arr.transpose(0, 3, 1, 2)).tobytes()
    return ds


def derived_ybr_full(edge):
    ybr = convert_color_space(rgb_source(edge)[0], "RGB", "YBR_FULL")
    ds = new_dataset(100, 100, 3, "YBR_FULL", 8)
    ds.PixelData = ybr.tobytes()
    return ds


def derived_ybr_422(edge):
    # PS3.3 C.7.6.3.1.2: for each pair of pixels, Y1 Y2 Cb Cr with the chroma of the pair.
    ybr = convert_color_space(rgb_source(edge)[0], "RGB", "YBR_FULL").astype(np.uint16)
    pairs = ybr.reshape(100, 50, 2, 3)
    out = np.empty((100, 50, 4), dtype=np.uint8)
    out[..., 0] = pairs[:, :, 0, 0]
    out[..., 1] = pairs[:, :, 1, 0]
    out[..., 2] = (pairs[:, :, 0, 1] + pairs[:, :, 1, 1]) // 2
    out[..., 3] = (pairs[:, :, 0, 2] + pairs[:, :, 1, 2]) // 2
    ds = new_dataset(100, 100, 3, "YBR_FULL_422", 8)
    ds.PixelData = out.tobytes()
    return ds


def index_image(edge, levels):
    mr = pydicom.dcmread(os.path.join(edge, "pydicom_MR_small_implicit.dcm")).pixel_array
    mr = mr.astype(np.float64)
    return np.round((mr - mr.min()) / (mr.max() - mr.min()) * (levels - 1))


def set_palette(ds, entries, first, bits, red, green, blue):
    dtype = "<u2" if bits == 16 else "u1"
    descriptor = [entries if entries < 65536 else 0, first, bits]
    for colour, values in (("Red", red), ("Green", green), ("Blue", blue)):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", descriptor)
        data = np.asarray(values, dtype=dtype).tobytes()
        ds.add_new(lut_data_tag(colour), "OW", data)


def lut_data_tag(colour):
    return {"Red": 0x00281201, "Green": 0x00281202, "Blue": 0x00281203}[colour]


def derived_palette8_lut16(edge):
    ds = new_dataset(64, 64, 1, "PALETTE COLOR", 8)
    ds.PixelData = index_image(edge, 256).astype(np.uint8).tobytes()
    ramp = np.arange(256)
    set_palette(ds, 256, 0, 16, ramp * 257, (255 - ramp) * 257,
                np.round((np.sin(ramp / 40) + 1) * 32767.5))
    return ds


def derived_palette8_lut8_first(edge):
    # First mapped value 10 and 200 entries: indices below 10 and above 209 clamp to the ends.
    ds = new_dataset(64, 64, 1, "PALETTE COLOR", 8)
    ds.PixelData = index_image(edge, 256).astype(np.uint8).tobytes()
    ramp = np.arange(200)
    set_palette(ds, 200, 10, 8, 55 + ramp, 254 - ramp, (ramp * 7) % 256)
    return ds


def derived_palette16_65536(edge):
    # Descriptor number of entries 0 means 65536 (PS3.3 C.7.6.3.1.5).
    ds = new_dataset(64, 64, 1, "PALETTE COLOR", 16)
    ds.PixelData = index_image(edge, 65536).astype("<u2").tobytes()
    ramp = np.arange(65536)
    set_palette(ds, 65536, 0, 16, ramp, 65535 - ramp, (ramp * 3) % 65536)
    return ds


def derived_palette_segmented(edge):
    # PS3.3 C.7.9.2: discrete (0), linear (1) and indirect (2) segments, 16-bit words.
    ds = new_dataset(64, 64, 1, "PALETTE COLOR", 8)
    ds.PixelData = index_image(edge, 256).astype(np.uint8).tobytes()
    red = [0, 2, 0, 1000, 1, 100, 30000, 1, 154, 65535]
    green = [0, 1, 65535, 1, 255, 0]
    blue = [0, 3, 0, 256, 512, 1, 60, 40000, 2, 2, 0, 0, 1, 130, 20000]
    for colour, words in (("Red", red), ("Green", green), ("Blue", blue)):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
        tag = {"Red": 0x00281221, "Green": 0x00281222, "Blue": 0x00281223}[colour]
        ds.add_new(tag, "OW", np.asarray(words, dtype="<u2").tobytes())
    return ds


def derived_mono1(edge):
    ds = pydicom.dcmread(os.path.join(edge, "pydicom_MR_small_implicit.dcm"))
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_implicit_VR = False
    ds.PhotometricInterpretation = "MONOCHROME1"
    return ds


DERIVED = {
    "mono1": derived_mono1,
    "planar_rgb": derived_planar_rgb,
    "ybr_full": derived_ybr_full,
    "ybr_422": derived_ybr_422,
    "palette8_lut16": derived_palette8_lut16,
    "palette8_lut8_first": derived_palette8_lut8_first,
    "palette16_65536": derived_palette16_65536,
    "palette_segmented": derived_palette_segmented,
}


def load(edge, out, source):
    if not source.startswith("derived:"):
        return os.path.join(edge, source)
    name = source.split(":", 1)[1]
    path = os.path.join(out, f"derived_{name}.dcm")
    if not os.path.exists(path):
        DERIVED[name](edge).save_as(path, write_like_original=False)
    return path


NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}


def frame_bytes(ds, index):
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if str(ds.file_meta.TransferSyntaxUID) not in NATIVE:
        for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, frames)):
            if i == index:
                return frame
        raise ValueError("frame not found")
    length = ds.Rows * ds.Columns * ds.SamplesPerPixel * ds.BitsAllocated // 8
    end = (index + 1) * length
    if not ds.is_little_endian:
        end += end % 2  # 8-bit OW in big endian: the last sample sits in a whole swapped word
    return ds.PixelData[index * length:end]


def decompressed(path, tool, out):
    target = os.path.join(out, "dcmtk_" + os.path.basename(path))
    if not os.path.exists(target):
        subprocess.run([tool, path, target], check=True, capture_output=True)
    return pydicom.dcmread(target)


def reference(ds, path, index, how, out):
    if how == "none":
        return None
    if how == "pydicom":
        source = ds
    elif how.startswith("twin:"):
        source = pydicom.dcmread(os.path.join(os.path.dirname(path), how[5:]))
    else:
        source = decompressed(path, how, out)
    arr = source.pixel_array
    if int(source.get("NumberOfFrames", 1) or 1) > 1:
        arr = arr[index]
    photometric = source.PhotometricInterpretation
    if photometric in ("YBR_FULL", "YBR_FULL_422"):
        arr = convert_color_space(arr, photometric, "RGB")
    if photometric == "PALETTE COLOR":
        arr = apply_color_lut(arr, source)
    return np.ascontiguousarray(arr)


def numbers(value):
    if value is None:
        return None
    if isinstance(value, (list, pydicom.multival.MultiValue)):
        return [float(v) for v in value]
    return [float(value)]


def palette(ds):
    found = {}
    for colour in ("Red", "Green", "Blue"):
        descriptor = ds.get(f"{colour}PaletteColorLookupTableDescriptor")
        if descriptor is None:
            return None
        channel = {"descriptor": [int(v) for v in descriptor]}
        data = ds.get(f"{colour}PaletteColorLookupTableData")
        segmented = ds.get(f"Segmented{colour}PaletteColorLookupTableData")
        if data is not None:
            channel["data"] = base64.b64encode(data).decode()
        if segmented is not None:
            channel["segmentedData"] = base64.b64encode(segmented).decode()
        found[colour.lower()] = channel
    return found


def attributes(ds):
    return {
        "rows": ds.Rows,
        "columns": ds.Columns,
        "samplesPerPixel": ds.SamplesPerPixel,
        "photometricInterpretation": ds.PhotometricInterpretation,
        "bitsAllocated": ds.BitsAllocated,
        "bitsStored": ds.BitsStored,
        "highBit": ds.HighBit,
        "pixelRepresentation": ds.PixelRepresentation,
        "planarConfiguration": int(ds.get("PlanarConfiguration", 0) or 0),
        "pixelDataVR": ds["PixelData"].VR,
        "windowCenter": numbers(ds.get("WindowCenter")),
        "windowWidth": numbers(ds.get("WindowWidth")),
        "rescaleSlope": numbers(ds.get("RescaleSlope")),
        "rescaleIntercept": numbers(ds.get("RescaleIntercept")),
        "palette": palette(ds),
    }


def make_case(edge, out, name):
    source, index, how = CASES[name]
    path = load(edge, out, source)
    ds = pydicom.dcmread(path, force=True)
    frame = frame_bytes(ds, index)
    with open(os.path.join(out, f"{name}.frame"), "wb") as f:
        f.write(frame)
    entry = {
        "source": source,
        "frame": index,
        "transferSyntaxUID": str(ds.file_meta.TransferSyntaxUID),
        "attributes": attributes(ds),
        "reference": None,
    }
    ref = reference(ds, path, index, how, out)
    if ref is not None:
        ref = ref.astype(ref.dtype.newbyteorder("<"))
        with open(os.path.join(out, f"{name}.ref"), "wb") as f:
            f.write(ref.tobytes())
        entry["reference"] = {"dtype": ref.dtype.str, "shape": list(ref.shape), "by": how}
    if name in RENDERED:
        entry["rendered"] = rendered(path, name, out, ds.get("NumberOfFrames"), index)
    return entry


def rendered(path, name, out, frames, index):
    """dcmj2pnm's 8-bit rendering of the frame, as raw bytes in <case>.rendered."""
    target = os.path.join(out, f"{name}.dcmtk.png")
    frame = ["+F", str(index + 1)] if frames and int(frames) > 1 else []
    subprocess.run(["dcmj2pnm", *RENDERED[name], *frame, "+on", path, target],
                   check=True, capture_output=True)
    arr = np.asarray(Image.open(target))
    with open(os.path.join(out, f"{name}.rendered"), "wb") as f:
        f.write(arr.tobytes())
    return {"shape": list(arr.shape)}


def main():
    edge, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    manifest = {name: make_case(edge, out, name) for name in names}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main()
