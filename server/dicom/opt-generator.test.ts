/**
 * The generated OPT is checked by other tools than the one that wrote it: pydicom (Debian's
 * /usr/bin/python3) and dcmtk's dcmdump. Needs ../shared/data; skipped when it is absent.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isAppError } from '../errors';
import {
  BSCAN_PATH,
  FUNDUS_PATH,
  framesForSize,
  generateOpt,
  loadBscan,
  OPT_SOP_CLASS_UID,
  optFrameBytes,
  type GeneratedOpt,
} from './opt-generator';

const PYTHON = '/usr/bin/python3';
const missing = [BSCAN_PATH, FUNDUS_PATH, PYTHON].filter((p) => !existsSync(p));
const skip = missing.length ? `needs ${missing.join(', ')}` : false;
const OP_8BIT = '1.2.840.10008.5.1.4.1.1.77.1.5.1';
const SEED = 42;

const READ_OPT = `
import sys, json, hashlib, pydicom
d = pydicom.dcmread(sys.argv[1]); loc = pydicom.dcmread(sys.argv[2])
pf = d.PerFrameFunctionalGroupsSequence
refs = [f.OphthalmicFrameLocationSequence[0] for f in pf]
print(json.dumps({
  "sopClass": d.SOPClassUID, "frames": int(d.NumberOfFrames), "perFrame": len(pf),
  "shape": list(d.pixel_array.shape),
  "sha": [hashlib.sha256(d.pixel_array[k].tobytes()).hexdigest() for k in range(len(pf))],
  "refInstances": sorted({r.ReferencedSOPInstanceUID for r in refs}),
  "refClasses": sorted({r.ReferencedSOPClassUID for r in refs}),
  "coords": [list(map(float, r.ReferenceCoordinates)) for r in refs],
  "orientation": sorted({r.OphthalmicImageOrientation for r in refs}),
  "dimIndex": [list(f.FrameContentSequence[0].DimensionIndexValues) for f in pf],
  "pixelSpacing": list(map(float, d.SharedFunctionalGroupsSequence[0]
                          .PixelMeasuresSequence[0].PixelSpacing)),
  "sharedRef": d.SharedFunctionalGroupsSequence[0].ReferencedImageSequence[0]
                 .ReferencedSOPInstanceUID,
  "laterality": d.ImageLaterality, "modality": d.Modality,
  "patientID": d.PatientID, "issuer": d.IssuerOfPatientID,
  "study": d.StudyInstanceUID, "series": d.SeriesInstanceUID, "sop": d.SOPInstanceUID,
  "loc": {"sopClass": loc.SOPClassUID, "sop": loc.SOPInstanceUID, "study": loc.StudyInstanceUID,
          "laterality": loc.ImageLaterality, "ts": loc.file_meta.TransferSyntaxUID,
          "sync": loc.SynchronizationFrameOfReferenceUID},
  "sync": d.SynchronizationFrameOfReferenceUID,
}))
`;

function readWithPydicom(gen: GeneratedOpt) {
  const out = execFileSync(PYTHON, ['-c', READ_OPT, gen.optPath, gen.localizerPath], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString());
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('generateOpt', { skip }, () => {
  let dir = '';
  let gen: GeneratedOpt;
  let read: ReturnType<typeof readWithPydicom>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opt-gen-'));
    gen = await generateOpt({
      outDir: dir,
      size: '10MB',
      seed: SEED,
      patientID: 'PID-77',
      issuerOfPatientID: 'CLINIC-A',
    });
    read = readWithPydicom(gen);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a 10 MB request gives 19 frames of 879 x 586, one per-frame item each', () => {
    assert.equal(gen.frames, 19);
    assert.equal(read.sopClass, OPT_SOP_CLASS_UID);
    assert.equal(read.modality, 'OPT');
    assert.equal(read.frames, 19);
    assert.equal(read.perFrame, 19);
    assert.deepEqual(read.shape, [19, 586, 879]);
    assert.ok(gen.bytes > 19 * 586 * 879 && gen.bytes < 10_000_000 + 100_000);
  });

  test('every frame read by pydicom matches optFrameBytes(seed, k), and all differ', () => {
    const expected = Array.from({ length: gen.frames }, (_, k) => sha256(optFrameBytes(SEED, k)));
    assert.deepEqual(read.sha, expected);
    assert.equal(new Set(read.sha).size, gen.frames);
  });

  test('each frame is located on the localizer, which is an OP image in the same study', () => {
    assert.deepEqual(read.refInstances, [read.loc.sop]);
    assert.deepEqual(read.refClasses, [OP_8BIT]);
    assert.equal(read.sharedRef, read.loc.sop);
    assert.equal(read.loc.sopClass, OP_8BIT);
    assert.equal(read.loc.study, read.study);
    assert.equal(read.loc.sync, read.sync);
    assert.equal(read.loc.ts, '1.2.840.10008.1.2.4.50');
    assert.deepEqual(read.orientation, ['LINEAR']);

    // Scan lines run top to bottom, temporal (left of a right eye photo) to nasal, inside 600 px.
    const rows = read.coords.map((c: number[]) => c[0]);
    assert.deepEqual(
      [...rows].sort((a, b) => a - b),
      rows,
    );
    for (const [r0, c0, r1, c1] of read.coords) {
      assert.equal(r0, r1);
      assert.ok(c0 < c1 && c0 >= 0 && c1 <= 600 && r0 >= 0 && r0 <= 600);
    }
  });

  test('identity, UIDs, dimensions and pixel measures are as asked', () => {
    assert.equal(read.patientID, 'PID-77');
    assert.equal(read.issuer, 'CLINIC-A');
    assert.equal(read.laterality, 'R');
    assert.equal(read.study, gen.studyInstanceUID);
    assert.equal(read.series, gen.seriesInstanceUID);
    assert.equal(read.sop, gen.sopInstanceUID);
    assert.deepEqual(read.dimIndex[0], [1, 1]);
    assert.deepEqual(read.dimIndex[18], [1, 19]);
    assert.equal(read.pixelSpacing.length, 2);
  });

  test('dcmdump reads the file and shows one (0022,0031) per frame', () => {
    const res = spawnSync('dcmdump', ['+P', '0022,0031', gen.optPath], { encoding: 'utf8' });
    if (res.error) return; // dcmtk not installed here
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.match(/^\(0022,0031\) SQ/gm)?.length, gen.frames);
  });
});

describe('generateOpt options', { skip }, () => {
  test('a left eye gets a mirrored localizer and scan lines from right to left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opt-gen-l-'));
    try {
      const gen = await generateOpt({ outDir: dir, frames: 2, laterality: 'L', seed: 3 });
      const read = readWithPydicom(gen);
      assert.equal(read.laterality, 'L');
      assert.equal(read.loc.laterality, 'L');
      assert.equal(read.loc.ts, '1.2.840.10008.1.2.4.50'); // mirrored, re-encoded baseline
      for (const [, c0, , c1] of read.coords) assert.ok(c0 > c1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('frames and size together are refused', async () => {
    await assert.rejects(
      generateOpt({ outDir: tmpdir(), frames: 2, size: '10MB' }),
      (e) => isAppError(e) && e.code === 'BAD_REQUEST',
    );
  });
});

describe('optFrameBytes and framesForSize', { skip }, () => {
  before(() => loadBscan());

  test('frame bytes depend on seed and index only', () => {
    assert.equal(sha256(optFrameBytes(9, 5)), sha256(optFrameBytes(9, 5)));
    assert.notEqual(sha256(optFrameBytes(9, 5)), sha256(optFrameBytes(10, 5)));
    assert.notEqual(sha256(optFrameBytes(9, 5)), sha256(optFrameBytes(9, 6)));
    assert.equal(optFrameBytes(1, 0).length, 879 * 586);
  });

  test('sizes are decimal or binary units over 515094-byte frames', () => {
    assert.equal(framesForSize('300MB', 515094), 582);
    assert.equal(framesForSize('256 MiB', 515094), 521);
    assert.equal(framesForSize(1000, 515094), 1);
    assert.throws(
      () => framesForSize('lots', 515094),
      (e) => isAppError(e) && e.code === 'BAD_REQUEST',
    );
  });
});
