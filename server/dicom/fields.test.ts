/**
 * The indexed patient / study / series / instance fields against pydicom, and laterality from
 * ImageLaterality or, in enhanced multi-frame objects, from Frame Anatomy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { parseInstanceFile } from './parse';
import { READ_DATASET, allDicomFiles, python, skipReason } from './pydicom-oracle';
import type { ParsedInstance } from './types';

const skip = skipReason();

/** The same fields as pydicom reads them, in ParsedInstance's shape; null when absent. */
const FIELDS_SCRIPT = `${READ_DATASET}
def text(ds, k):
    v = ds.get(k)
    if v is None or v == '':
        return None
    return str(v[0] if isinstance(v, pydicom.multival.MultiValue) else v).strip() or None
def number(ds, k):
    try:
        return int(ds.get(k)) if ds.get(k) not in (None, '') else None
    except (TypeError, ValueError):
        return None
out = {}
for path in sys.argv[1:]:
    ds = read(path, stop_before_pixels=True)
    out[path] = {
        'patient': {'patientID': text(ds, 'PatientID'), 'patientSex': text(ds, 'PatientSex'),
                    'patientBirthDate': text(ds, 'PatientBirthDate')},
        'study': {'studyDate': text(ds, 'StudyDate'), 'studyTime': text(ds, 'StudyTime'),
                  'accessionNumber': text(ds, 'AccessionNumber'),
                  'studyDescription': text(ds, 'StudyDescription')},
        'series': {'modality': text(ds, 'Modality'), 'seriesNumber': number(ds, 'SeriesNumber'),
                   'laterality': text(ds, 'Laterality')},
        'instance': {'instanceNumber': number(ds, 'InstanceNumber'),
                     'manufacturer': text(ds, 'Manufacturer'), 'rows': number(ds, 'Rows'),
                     'columns': number(ds, 'Columns')},
    }
print(json.dumps(out))
`;

type Fields = Record<string, Record<string, string | number | null>>;

function pick(parsed: ParsedInstance, like: Fields): Fields {
  const groups = parsed as unknown as Fields;
  return Object.fromEntries(
    Object.entries(like).map(([group, keys]) => [
      group,
      Object.fromEntries(Object.keys(keys).map((k) => [k, groups[group][k]])),
    ]),
  );
}

describe('indexed fields equal pydicom', { skip }, () => {
  test('every parsed file', async () => {
    const parsed = new Map<string, ParsedInstance>();
    for (const path of allDicomFiles()) {
      const result = await parseInstanceFile(path).catch(() => null);
      if (result) parsed.set(path, result);
    }
    const expected = python<Record<string, Fields>>(FIELDS_SCRIPT, ...parsed.keys());
    for (const [path, result] of parsed) {
      assert.deepEqual(pick(result, expected[path]), expected[path], basename(path));
    }
    assert.ok(parsed.size > 30);
  });
});

describe('laterality', { skip }, () => {
  const dir = skip ? '' : mkdtempSync(join(tmpdir(), 'dicom-laterality-'));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** Sets ImageLaterality, or FrameLaterality in the shared or per-frame Frame Anatomy. */
  const WRITE_SCRIPT = `${READ_DATASET}
from pydicom.dataset import Dataset
ds = read(sys.argv[1])
where, value = sys.argv[3], sys.argv[4]
def anatomy():
    item = Dataset()
    item.FrameLaterality = value
    group = Dataset()
    group.FrameAnatomySequence = [item]
    return group
if where == 'image':
    ds.ImageLaterality = value
elif where == 'shared':
    ds.SharedFunctionalGroupsSequence[0].FrameAnatomySequence = anatomy().FrameAnatomySequence
else:
    shared = ds.SharedFunctionalGroupsSequence[0]
    if 'FrameAnatomySequence' in shared:
        del shared.FrameAnatomySequence
    for group in ds.PerFrameFunctionalGroupsSequence:
        group.FrameAnatomySequence = anatomy().FrameAnatomySequence
ds.save_as(sys.argv[2])
print('null')
`;

  for (const [where, value] of [
    ['image', 'L'],
    ['shared', 'R'],
    ['perframe', 'B'],
  ]) {
    test(`${where} -> ${value}`, async () => {
      const source = allDicomFiles().find((f) => basename(f).startsWith('weasis_'))!;
      const path = join(dir, `${where}.dcm`);
      python(WRITE_SCRIPT, source, path, where, value);
      const parsed = await parseInstanceFile(path);
      assert.equal(parsed.instance.imageLaterality, value);
    });
  }
});
