/**
 * OCT geometry against a generated 64-frame volume: the metadata goes through the archive's
 * own DICOM JSON builder (what WADO-RS serves), and the expected values are read from the file
 * by pydicom (Debian's /usr/bin/python3), not by the code under test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseInstanceFile } from '../dicom/parse';
import { BSCAN_PATH, FUNDUS_PATH, generateOpt, type GeneratedOpt } from '../dicom/opt-generator';
import type { DicomJson } from './dicom-json';
import { imagePlane, imageToWorld, pixelSpacing, worldToImage } from './image-plane';
import { distanceToPath, nearestFrame, octGeometry, type RowColumn } from './oct-geometry';

const PYTHON = '/usr/bin/python3';
const missing = [BSCAN_PATH, FUNDUS_PATH, PYTHON].filter((p) => !existsSync(p));
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

const READ = `
import sys, json, pydicom
d = pydicom.dcmread(sys.argv[1], stop_before_pixels=True)
loc = pydicom.dcmread(sys.argv[2], stop_before_pixels=True)
pf = d.PerFrameFunctionalGroupsSequence
print(json.dumps({
  "localizer": loc.SOPInstanceUID,
  "coords": [[float(x) for x in f.OphthalmicFrameLocationSequence[0].ReferenceCoordinates]
             for f in pf],
  "refs": [f.OphthalmicFrameLocationSequence[0].ReferencedSOPInstanceUID for f in pf],
  "spacing": [float(x) for x in
              d.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing],
  "ipp": [[float(x) for x in f.PlanePositionSequence[0].ImagePositionPatient] for f in pf],
}))
`;

interface Facts {
  localizer: string;
  coords: number[][];
  refs: string[];
  spacing: number[];
  ipp: number[][];
}

describe('OCT geometry from a generated volume', { skip }, () => {
  let dir: string;
  const volumes: Record<'R' | 'L', { opt: GeneratedOpt; metadata: DicomJson; facts: Facts }> =
    {} as never;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oct-geometry-'));
    for (const laterality of ['R', 'L'] as const) {
      const opt = await generateOpt({ outDir: join(dir, laterality), frames: 64, laterality });
      const { metadata } = await parseInstanceFile(opt.optPath);
      const facts = JSON.parse(
        execFileSync(PYTHON, ['-c', READ, opt.optPath, opt.localizerPath]).toString(),
      ) as Facts;
      volumes[laterality] = { opt, metadata, facts };
    }
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('names the localizer and gives every B-scan its line', () => {
    const { metadata, facts } = volumes.R;
    const g = octGeometry(metadata);
    assert.equal(g.frames, 64);
    assert.equal(g.localizer?.sopInstanceUID, facts.localizer);
    assert.equal(g.localizer?.sopClassUID, '1.2.840.10008.5.1.4.1.1.77.1.5.1');
    assert.deepEqual(new Set(facts.refs), new Set([facts.localizer]));
    assert.equal(g.lines.length, 64);
    g.lines.forEach((line, i) => {
      const [r0, c0, r1, c1] = facts.coords[i];
      assert.deepEqual(line, [
        [r0, c0],
        [r1, c1],
      ]);
    });
  });

  test('the nearest B-scan to a localizer point', () => {
    const { metadata, facts } = volumes.R;
    const g = octGeometry(metadata);
    const mid = (i: number): RowColumn => [
      (facts.coords[i][0] + facts.coords[i][2]) / 2,
      (facts.coords[i][1] + facts.coords[i][3]) / 2,
    ];
    for (const i of [0, 1, 31, 62, 63]) assert.equal(nearestFrame(g, mid(i)), i);

    // Between two lines, a little nearer the second one.
    const [a, b] = [mid(10), mid(11)];
    assert.equal(nearestFrame(g, [a[0] + 0.6 * (b[0] - a[0]), a[1]]), 11);
    assert.equal(nearestFrame(g, [a[0] + 0.4 * (b[0] - a[0]), a[1]]), 10);
    // Far above and below the scanned square: the first and last B-scans.
    assert.equal(nearestFrame(g, [0, 300]), 0);
    assert.equal(nearestFrame(g, [599, 300]), 63);
    // Beside a line's end, the distance is to the end point, not to the infinite line.
    const line = g.lines[5]!;
    const beyond: RowColumn = [line[1][0], line[1][1] + 30];
    assert.ok(Math.abs(distanceToPath(beyond, line) - 30) < 1e-9);
  });

  test('a left eye runs its lines the other way across the localizer', () => {
    const { metadata, facts } = volumes.L;
    const g = octGeometry(metadata);
    const [start, end] = g.lines[0]!;
    assert.ok(start[1] > end[1], 'the first column is temporal: right side of a left eye');
    assert.equal(g.localizer?.sopInstanceUID, facts.localizer);
  });

  test('pixel spacing and plane come from the functional groups', () => {
    const { metadata, facts } = volumes.R;
    for (const frame of [1, 64]) {
      const s = pixelSpacing(metadata, frame);
      assert.equal(s.status, 'ok');
      if (s.status !== 'ok') return;
      assert.equal(s.source, 'shared');
      assert.deepEqual([s.rowSpacing, s.columnSpacing], facts.spacing);

      const plane = imagePlane(metadata, frame);
      // The centre of the first pixel is the frame's Image Position (Patient).
      const first = imageToWorld(plane, [0.5, 0.5]);
      facts.ipp[frame - 1].forEach((v, k) => assert.ok(Math.abs(first[k] - v) < 1e-9));
      const back = worldToImage(plane, imageToWorld(plane, [100.25, 40.5]));
      assert.ok(Math.abs(back[0] - 100.25) < 1e-9 && Math.abs(back[1] - 40.5) < 1e-9);
    }
  });
});
