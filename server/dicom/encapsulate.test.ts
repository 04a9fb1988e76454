/**
 * Camera images in, OP 8 Bit out, read back by pydicom and PIL (Debian's /usr/bin/python3), not
 * by the code that wrote them. Needs ../shared/data; skipped when it is absent.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import sharp from 'sharp';

import { isAppError, type ErrorCode } from '../errors';
import { imageToOphthalmicPhotography, inspectJpeg, newUid } from './encapsulate';

const PYTHON = '/usr/bin/python3';
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const FUNDUS_JPEG = join(DATA, 'fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg');
const BSCAN_PNG = join(DATA, 'oct/hcha3232_oct_bscan_586x879_from_dicom.png');
const DRIVE_TIFF = join(DATA, 'fundus/DRIVE_01_test.tif');
const missing = [FUNDUS_JPEG, BSCAN_PNG, PYTHON].filter((p) => !existsSync(p));
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

const PATIENT = { patientID: 'PID-1', issuerOfPatientID: 'CLINIC-A', patientName: 'Müller^Jörg' };

/** Reads a DICOM file with pydicom and, when given, decodes the source image with PIL. */
const READ = `
import sys, json, hashlib, numpy as np, pydicom
from pydicom.encaps import generate_pixel_data_frame
from PIL import Image
d = pydicom.dcmread(sys.argv[1])
ts = d.file_meta.TransferSyntaxUID
out = {k: str(d.get(k, "")) for k in ["SOPClassUID", "Modality", "ImageLaterality", "PatientID",
       "IssuerOfPatientID", "PatientName", "PhotometricInterpretation", "LossyImageCompression",
       "StudyInstanceUID", "SeriesInstanceUID", "BurnedInAnnotation"]}
out["ts"] = ts; out["imageType"] = list(d.ImageType); out["rows"] = int(d.Rows)
if ts.is_compressed:
    frag = next(generate_pixel_data_frame(d.PixelData))
    out["fragmentLength"] = len(frag); out["fragment"] = frag.hex()
else:
    a = d.pixel_array
    out["pixelSha"] = hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
    if len(sys.argv) > 2:
        im = Image.open(sys.argv[2])
        ref = np.asarray(im.convert("RGB" if d.SamplesPerPixel == 3 else "L"))
        out["pilSha"] = hashlib.sha256(np.ascontiguousarray(ref).tobytes()).hexdigest()
print(json.dumps(out))
`;

let dir = '';
async function readBack(file: Buffer, source?: string) {
  const path = join(dir, `${newUid()}.dcm`);
  await writeFile(path, file);
  const args = ['-c', READ, path, ...(source ? [source] : [])];
  return JSON.parse(execFileSync(PYTHON, args, { maxBuffer: 32 * 1024 * 1024 }).toString());
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const isCode = (code: ErrorCode) => (e: unknown) => isAppError(e) && e.code === code;

describe('imageToOphthalmicPhotography', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'op-enc-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a camera JPEG is encapsulated byte for byte as JPEG Baseline YBR_FULL_422', async () => {
    const jpeg = readFileSync(FUNDUS_JPEG);
    const op = await imageToOphthalmicPhotography({
      bytes: jpeg,
      contentType: 'image/jpeg',
      patient: PATIENT,
      laterality: 'R',
    });
    const read = await readBack(op);

    assert.equal(read.SOPClassUID, '1.2.840.10008.5.1.4.1.1.77.1.5.1');
    assert.equal(read.Modality, 'OP');
    assert.equal(read.ImageLaterality, 'R');
    assert.equal(read.PatientID, 'PID-1');
    assert.equal(read.IssuerOfPatientID, 'CLINIC-A');
    assert.equal(read.PatientName, 'Müller^Jörg');
    assert.equal(read.ts, '1.2.840.10008.1.2.4.50');
    assert.equal(read.PhotometricInterpretation, 'YBR_FULL_422');
    assert.equal(read.LossyImageCompression, '01'); // the camera's JPEG was lossy
    assert.deepEqual(read.imageType, ['ORIGINAL', 'PRIMARY', '', 'COLOR']);

    // The fragment is the original stream plus the one pad byte that makes it even.
    const fragment = Buffer.from(read.fragment, 'hex');
    assert.equal(sha256(fragment.subarray(0, jpeg.length)), sha256(jpeg));
    assert.deepEqual([...fragment.subarray(jpeg.length)], jpeg.length % 2 ? [0] : []);
  });

  test('a greyscale PNG is stored native, pixel for pixel as PIL decodes it', async () => {
    const op = await imageToOphthalmicPhotography({
      bytes: readFileSync(BSCAN_PNG),
      patient: PATIENT,
      laterality: 'L',
    });
    const read = await readBack(op, BSCAN_PNG);
    assert.equal(read.ts, '1.2.840.10008.1.2.1');
    assert.equal(read.PhotometricInterpretation, 'MONOCHROME2');
    assert.equal(read.LossyImageCompression, '00');
    assert.equal(read.pixelSha, read.pilSha);
  });

  test('a colour PNG is stored as native RGB equal to PIL decoding', async () => {
    const png = await sharp(readFileSync(FUNDUS_JPEG)).png().toBuffer();
    const pngPath = join(dir, 'colour.png');
    await writeFile(pngPath, png);

    const op = await imageToOphthalmicPhotography({
      bytes: png,
      patient: PATIENT,
      laterality: 'R',
    });
    const read = await readBack(op, pngPath);
    assert.equal(read.PhotometricInterpretation, 'RGB');
    assert.equal(read.pixelSha, read.pilSha);
  });

  test(
    'a TIFF from a screening camera is stored as native RGB equal to PIL decoding',
    {
      skip: !existsSync(DRIVE_TIFF) && 'needs DRIVE_01_test.tif',
    },
    async () => {
      const op = await imageToOphthalmicPhotography({
        bytes: readFileSync(DRIVE_TIFF),
        patient: PATIENT,
        laterality: 'L',
      });
      const read = await readBack(op, DRIVE_TIFF);
      assert.equal(read.pixelSha, read.pilSha);
    },
  );

  test('a progressive JPEG is decoded to native RGB and still marked lossy', async () => {
    const progressive = await sharp(readFileSync(FUNDUS_JPEG))
      .jpeg({ progressive: true })
      .toBuffer();
    assert.equal(inspectJpeg(progressive).process, 'progressive');

    const op = await imageToOphthalmicPhotography({
      bytes: progressive,
      patient: PATIENT,
      laterality: 'R',
    });
    const read = await readBack(op);
    assert.equal(read.ts, '1.2.840.10008.1.2.1');
    assert.equal(read.PhotometricInterpretation, 'RGB');
    assert.equal(read.LossyImageCompression, '01');
  });

  test('an EXIF-rotated JPEG is decoded upright, since DICOM readers ignore EXIF', async () => {
    const rotated = await sharp(readFileSync(FUNDUS_JPEG))
      .resize(300, 200)
      .withMetadata({ orientation: 6 }) // stored landscape, shown rotated 90 degrees clockwise
      .jpeg()
      .toBuffer();
    const op = await imageToOphthalmicPhotography({
      bytes: rotated,
      patient: PATIENT,
      laterality: 'R',
    });
    const read = await readBack(op);
    assert.equal(read.ts, '1.2.840.10008.1.2.1');
    assert.equal(read.rows, 300);
  });

  test('given study and series UIDs are kept', async () => {
    const studyInstanceUID = newUid();
    const seriesInstanceUID = newUid();
    const op = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS_JPEG),
      patient: PATIENT,
      laterality: 'L',
      studyInstanceUID,
      seriesInstanceUID,
    });
    const read = await readBack(op);
    assert.equal(read.StudyInstanceUID, studyInstanceUID);
    assert.equal(read.SeriesInstanceUID, seriesInstanceUID);
  });
});

describe('imageToOphthalmicPhotography refusals', { skip }, () => {
  const refuse = (bytes: Buffer, code: ErrorCode, contentType?: string) =>
    assert.rejects(
      imageToOphthalmicPhotography({ bytes, contentType, patient: PATIENT, laterality: 'R' }),
      isCode(code),
    );

  test('bytes that are not an image', () =>
    refuse(Buffer.from('%PDF-1.4 hello'), 'UNSUPPORTED_MEDIA_TYPE'));

  test('a non-image content type', () =>
    refuse(readFileSync(FUNDUS_JPEG), 'UNSUPPORTED_MEDIA_TYPE', 'application/pdf'));

  test('a DICOM file', () => {
    const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(64)]);
    return refuse(dicom, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a 16-bit PNG', async () => {
    const png16 = await sharp(readFileSync(BSCAN_PNG)).toColourspace('grey16').png().toBuffer();
    return refuse(png16, 'INVALID_ATTRIBUTE');
  });

  test('a 12-bit JPEG', () => {
    // SOI, then an extended-sequential frame header with 12-bit precision, then a scan header.
    const sof1 = [0xff, 0xc1, 0, 11, 12, 0, 8, 0, 8, 1, 1, 0x11, 0];
    const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0];
    return refuse(Buffer.from([0xff, 0xd8, ...sof1, ...sos, 0xff, 0xd9]), 'INVALID_ATTRIBUTE');
  });

  test('a malformed birth date', () =>
    assert.rejects(
      imageToOphthalmicPhotography({
        bytes: readFileSync(FUNDUS_JPEG),
        patient: { ...PATIENT, birthDate: '1970-01-01' },
        laterality: 'R',
      }),
      isCode('BAD_REQUEST'),
    ));
});

describe('newUid', () => {
  test('2.25 UIDs are the UUID as a decimal, and other roots are cut to 64 characters', () => {
    const uid = newUid();
    assert.match(uid, /^2\.25\.[1-9]\d{0,38}$/);
    const long = newUid('1.2.826.0.1.3680043.10.999');
    assert.ok(long.length <= 64 && long.startsWith('1.2.826.0.1.3680043.10.999.'));
    assert.notEqual(newUid(), newUid());
  });
});
