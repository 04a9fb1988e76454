/**
 * STOW "metadata + bulk data" to Part 10, read back by pydicom (Debian's /usr/bin/python3).
 * The JPEG case needs ../shared/data; skipped when it is absent.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isAppError, type ErrorCode } from '../errors';
import { newUid } from './encapsulate';
import { buildPart10FromJson, type BulkPart } from './json-bulk';

const PYTHON = '/usr/bin/python3';
const FUNDUS_JPEG = new URL(
  '../../../shared/data/fundus/wikimedia_Haggstrom_fundus_normal_right_eye_600px.jpg',
  import.meta.url,
).pathname;
const noPython = !existsSync(PYTHON) && `needs ${PYTHON}`;
const noJpeg = !existsSync(FUNDUS_JPEG) && 'needs ../shared/data';

const READ = `
import sys, json, hashlib, numpy as np, pydicom
from pydicom.encaps import generate_pixel_data_frame
d = pydicom.dcmread(sys.argv[1])
ts = d.file_meta.TransferSyntaxUID
out = {"ts": ts, "sopClass": d.SOPClassUID, "sop": d.SOPInstanceUID,
       "mediaSop": d.file_meta.MediaStorageSOPInstanceUID, "name": str(d.PatientName),
       "ideographic": d.PatientName.ideographic, "pi": d.get("PhotometricInterpretation"),
       "fip": str(d.get("FrameIncrementPointer", "")),
       "refs": [r.ReferencedSOPInstanceUID for r in d.get("ReferencedImageSequence", [])],
       "icc": hashlib.sha256(d.ICCProfile).hexdigest() if "ICCProfile" in d else None}
if ts.is_compressed:
    out["fragmentSha"] = hashlib.sha256(next(generate_pixel_data_frame(d.PixelData))).hexdigest()
else:
    out["pixels"] = d.pixel_array.flatten().tolist()
print(json.dumps(out))
`;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const isCode = (code: ErrorCode) => (e: unknown) => isAppError(e) && e.code === code;

/** A DICOM JSON data set (PS3.18 Annex F) for an image with the given geometry. */
function metadata(o: { rows: number; columns: number; spp: number; pi: string; uri: string }) {
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.77.1.5.1'] },
    '00080018': { vr: 'UI', Value: [newUid()] },
    '00080060': { vr: 'CS', Value: ['OP'] },
    '00081140': {
      vr: 'SQ',
      Value: [
        {
          '00081150': { vr: 'UI', Value: ['1.2.3'] },
          '00081155': { vr: 'UI', Value: ['1.2.3.4'] },
        },
      ],
    },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }] },
    '00100020': { vr: 'LO', Value: ['PID-9'] },
    '00100030': { vr: 'DA' },
    '0020000D': { vr: 'UI', Value: [newUid()] },
    '0020000E': { vr: 'UI', Value: [newUid()] },
    '00280002': { vr: 'US', Value: [o.spp] },
    '00280004': { vr: 'CS', Value: [o.pi] },
    '00280008': { vr: 'IS', Value: [1] },
    '00280009': { vr: 'AT', Value: ['00181063'] },
    '00280010': { vr: 'US', Value: [o.rows] },
    '00280011': { vr: 'US', Value: [o.columns] },
    '00280100': { vr: 'US', Value: [8] },
    '00280101': { vr: 'US', Value: [8] },
    '00280102': { vr: 'US', Value: [7] },
    '00280103': { vr: 'US', Value: [0] },
    '7FE00010': { vr: 'OB', BulkDataURI: o.uri },
  } as Record<string, any>;
}

describe('buildPart10FromJson', { skip: noPython }, () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'json-bulk-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function readBack(file: Buffer) {
    const path = join(dir, `${newUid()}.dcm`);
    await writeFile(path, file);
    return JSON.parse(execFileSync(PYTHON, ['-c', READ, path]).toString());
  }

  test(
    'JSON + JPEG part gives encapsulated JPEG Baseline with the stream unchanged',
    { skip: noJpeg },
    async () => {
      const jpeg = readFileSync(FUNDUS_JPEG);
      const uri = 'https://pacs.example/bulk/abc';
      const meta = metadata({ rows: 600, columns: 600, spp: 3, pi: 'YBR_FULL_422', uri });
      const bulk = new Map<string, BulkPart>([[uri, { contentType: 'image/jpeg', bytes: jpeg }]]);

      const read = await readBack(buildPart10FromJson(meta, bulk));
      assert.equal(read.ts, '1.2.840.10008.1.2.4.50');
      assert.equal(read.sop, meta['00080018'].Value[0]);
      assert.equal(read.mediaSop, read.sop);
      assert.equal(read.name, 'Yamada^Tarou=山田^太郎');
      assert.equal(read.fip, '(0018, 1063)');
      assert.deepEqual(read.refs, ['1.2.3.4']);
      // The fragment is the stream plus, when its length is odd, one pad byte (PS3.5 A.4).
      const padded = Buffer.concat([jpeg, Buffer.alloc(jpeg.length % 2)]);
      assert.equal(read.fragmentSha, sha256(padded));
    },
  );

  test('JSON + octet-stream part gives native pixels, and InlineBinary is decoded', async () => {
    const pixels = Buffer.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
    const icc = Buffer.alloc(26, 0x2a); // even length, so no pad byte
    const meta = metadata({ rows: 3, columns: 4, spp: 1, pi: 'MONOCHROME2', uri: 'cid:px' });
    meta['00282000'] = { vr: 'OB', InlineBinary: icc.toString('base64') };
    meta['00020010'] = { vr: 'UI', Value: ['1.2.840.10008.1.2.4.50'] }; // ignored: ours to set
    const bulk = new Map([['cid:px', { contentType: 'application/octet-stream', bytes: pixels }]]);

    const read = await readBack(buildPart10FromJson(meta, bulk));
    assert.equal(read.ts, '1.2.840.10008.1.2.1');
    assert.deepEqual(read.pixels, [...pixels]);
    assert.equal(read.icc, sha256(icc));
  });
});

describe('buildPart10FromJson refusals', () => {
  const px = Buffer.alloc(12);
  const base = () => metadata({ rows: 3, columns: 4, spp: 1, pi: 'MONOCHROME2', uri: 'cid:px' });
  const octet = (bytes = px) =>
    new Map([['cid:px', { contentType: 'application/octet-stream', bytes }]]);

  for (const tag of ['00080016', '00080018', '0020000D', '0020000E']) {
    test(`missing ${tag}`, () => {
      const meta = base();
      delete meta[tag];
      assert.throws(() => buildPart10FromJson(meta, octet()), isCode('BAD_REQUEST'));
    });
  }

  test('a BulkDataURI with no matching part', () => {
    assert.throws(() => buildPart10FromJson(base(), new Map()), isCode('BAD_REQUEST'));
  });

  test('native pixels of the wrong length', () => {
    assert.throws(
      () => buildPart10FromJson(base(), octet(Buffer.alloc(10))),
      isCode('BAD_REQUEST'),
    );
  });

  test('a JPEG whose size disagrees with Rows / Columns', { skip: noJpeg }, () => {
    const bulk = new Map([
      ['cid:px', { contentType: 'image/jpeg', bytes: readFileSync(FUNDUS_JPEG) }],
    ]);
    assert.throws(() => buildPart10FromJson(base(), bulk), isCode('BAD_REQUEST'));
  });

  test('a declared transfer-syntax that the JPEG stream contradicts', { skip: noJpeg }, () => {
    const meta = metadata({ rows: 600, columns: 600, spp: 3, pi: 'YBR_FULL_422', uri: 'cid:j' });
    const contentType = 'image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70';
    const bulk = new Map([['cid:j', { contentType, bytes: readFileSync(FUNDUS_JPEG) }]]);
    assert.throws(() => buildPart10FromJson(meta, bulk), isCode('BAD_REQUEST'));
  });

  test('a pixel part of an unknown media type', () => {
    const bulk = new Map([['cid:px', { contentType: 'image/jp2', bytes: px }]]);
    assert.throws(() => buildPart10FromJson(base(), bulk), isCode('UNSUPPORTED_MEDIA_TYPE'));
  });

  test('metadata that is not an object, or keys that are not tags', () => {
    assert.throws(() => buildPart10FromJson([] as any, octet()), isCode('BAD_REQUEST'));
    assert.throws(
      () => buildPart10FromJson({ ...base(), PatientID: { vr: 'LO' } }, octet()),
      isCode('BAD_REQUEST'),
    );
  });
});
