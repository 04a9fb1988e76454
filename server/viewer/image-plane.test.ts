import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DicomJson } from './dicom-json';
import { imagePlane, imageToWorld, physicalDistance, pixelSpacing } from './image-plane';

const ds = (spacing?: unknown[], extra: DicomJson = {}): DicomJson => ({
  '00280010': { vr: 'US', Value: [400] },
  '00280011': { vr: 'US', Value: [600] },
  ...(spacing ? { '00280030': { vr: 'DS', Value: spacing } } : {}),
  ...extra,
});

describe('pixel spacing', () => {
  test('plausible values are used, as numbers or as strings', () => {
    assert.deepEqual(pixelSpacing(ds([0.01, 0.02])), {
      status: 'ok',
      rowSpacing: 0.01,
      columnSpacing: 0.02,
      source: 'image',
    });
    const s = pixelSpacing(ds(['0.005', '0.005']));
    assert.equal(s.status, 'ok');
  });

  test('absurd values are refused with a reason', () => {
    const big = pixelSpacing(ds([250, 250]));
    assert.equal(big.status, 'refused');
    assert.match(big.status === 'refused' ? big.reason : '', /250 mm per pixel is not plausible/);
    for (const bad of [[0, 0.01], [-0.01, 0.01], [0.01], [0.01, 11]]) {
      assert.equal(pixelSpacing(ds(bad)).status, 'refused', JSON.stringify(bad));
    }
    assert.equal(pixelSpacing(ds()).status, 'absent');
  });

  test('a frame\u2019s own Pixel Measures win over the shared ones', () => {
    const measures = (v: number) => ({
      vr: 'SQ',
      Value: [{ '00280030': { vr: 'DS', Value: [v, v] } }],
    });
    const multi = ds([5, 5], {
      '52009229': { vr: 'SQ', Value: [{ '00289110': measures(0.02) }] },
      '52009230': { vr: 'SQ', Value: [{}, { '00289110': measures(0.03) }] },
    });
    const first = pixelSpacing(multi, 1);
    const second = pixelSpacing(multi, 2);
    assert.equal(first.status === 'ok' && [first.source, first.rowSpacing].join(), 'shared,0.02');
    assert.equal(
      second.status === 'ok' && [second.source, second.rowSpacing].join(),
      'per-frame,0.03',
    );
  });

  test('geometry falls back to one unit per pixel without a usable spacing', () => {
    const plane = imagePlane(ds([900, 900]));
    assert.equal(plane.spacing.status, 'refused');
    assert.deepEqual([plane.rowSpacing, plane.columnSpacing], [1, 1]);
    assert.deepEqual(imageToWorld(plane, [10.5, 20.5]), [10, 20, 0]);
    assert.equal(physicalDistance(plane.spacing, [0, 0], [3, 4]), null);
  });

  test('anisotropic pixels: columns run along x at the column spacing', () => {
    const plane = imagePlane(ds([0.004, 0.007]));
    assert.deepEqual(imageToWorld(plane, [100.5, 0.5]), [0.7000000000000001, 0, 0]);
    const d = physicalDistance(plane.spacing, [0, 0], [300, 400]);
    assert.ok(d !== null && Math.abs(d - Math.hypot(300 * 0.007, 400 * 0.004)) < 1e-12);
  });
});
