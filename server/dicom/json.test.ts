/**
 * DICOM JSON (PS3.18 Annex F) of every readable test file against pydicom's to_json_dict, and
 * every bulk data byte range against the value pydicom reads for the same attribute.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';

import { isAppError } from '../errors';
import { parseInstanceFile, readHeaderOnly } from './parse';
import {
  READ_DATASET,
  allDicomFiles,
  pydicomSeesPixelData,
  python,
  skipReason,
} from './pydicom-oracle';
import type { DicomJson, DicomJsonAttribute, ParsedInstance } from './types';

const skip = skipReason();

/** pydicom's DICOM JSON of each file, bulk values marked; null where pydicom cannot. */
const TO_JSON_SCRIPT = `${READ_DATASET}
out = {}
for path in sys.argv[1:]:
    try:
        ds = read(path, stop_before_pixels=True)
        out[path] = ds.to_json_dict(256, lambda element: 'bulk')
    except Exception:
        out[path] = None
print(json.dumps(out))
`;

/** SHA-256 of the raw value pydicom holds at each "GGGGEEEE[/item/GGGGEEEE...]" path. */
const VALUE_HASH_SCRIPT = `${READ_DATASET}
import hashlib
request = json.loads(sys.argv[1])
out = {}
for path, tag_paths in request.items():
    ds = read(path)
    hashes = []
    for tag_path in tag_paths:
        parts = tag_path.split('/')
        node = ds
        for i in range(0, len(parts) - 1, 2):
            node = node[int(parts[i], 16)].value[int(parts[i + 1])]
        raw = node[int(parts[-1], 16)].value
        raw = raw if isinstance(raw, bytes) else str(raw).encode()
        hashes.append(hashlib.sha256(raw).hexdigest())
    out[path] = hashes
print(json.dumps(out))
`;

type Value = unknown;

/**
 * Differences that are pydicom's choices rather than errors here: it keeps padding spaces that
 * PS3.5 calls insignificant, writes empty values as "" where PS3.18 §F.2.5 says null, and
 * knows private dictionaries (this module reads private attributes without a VR as UN).
 */
function normalise(values: Value[] | undefined): Value[] | undefined {
  if (!values) return undefined;
  const out = values.map((v) => (typeof v === 'string' ? v.replace(/ +$/, '') : v));
  const mapped = out.map((v) => (v === '' ? null : v));
  return mapped.every((v) => v === null) ? undefined : mapped;
}

function compare(ours: DicomJson, theirs: DicomJson, path: string, diffs: string[]): void {
  const tags = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
  for (const tag of tags) {
    if (tag.endsWith('0000')) continue; // group lengths: left out here on purpose
    const a = ours[tag];
    const b = theirs[tag];
    const where = `${path}${tag}`;
    if (!a || !b) {
      diffs.push(`${where}: only in ${a ? 'ours' : 'pydicom'}`);
      continue;
    }
    compareAttribute(a, b, where, diffs);
  }
}

function compareAttribute(
  a: DicomJsonAttribute,
  b: DicomJsonAttribute,
  where: string,
  diffs: string[],
): void {
  const isPrivate = parseInt(where.slice(-8, -4), 16) % 2 === 1;
  if (a.vr !== b.vr) {
    if (!(isPrivate && a.vr === 'UN')) diffs.push(`${where}: vr ${a.vr} vs ${b.vr}`);
    return;
  }
  if (a.vr === 'SQ') {
    const ai = (a.Value ?? []) as DicomJson[];
    const bi = (b.Value ?? []) as DicomJson[];
    if (ai.length !== bi.length) diffs.push(`${where}: ${ai.length} items vs ${bi.length}`);
    ai.forEach((item, i) => bi[i] && compare(item, bi[i], `${where}/${i}/`, diffs));
    return;
  }
  if (a.InlineBinary !== undefined && b.InlineBinary !== undefined) {
    if (a.InlineBinary !== b.InlineBinary) diffs.push(`${where}: InlineBinary differs`);
    return;
  }
  if (a.InlineBinary ?? a.BulkDataURI ?? b.InlineBinary ?? b.BulkDataURI) return;
  try {
    assert.deepEqual(normalise(a.Value), normalise(b.Value));
  } catch {
    diffs.push(`${where}: ${JSON.stringify(a.Value)} vs ${JSON.stringify(b.Value)}`);
  }
}

describe('DICOM JSON equals pydicom to_json_dict', { skip }, () => {
  const files = allDicomFiles();
  const reference = skip ? {} : python<Record<string, DicomJson | null>>(TO_JSON_SCRIPT, ...files);

  for (const path of files) {
    const theirs = reference[path];
    if (!theirs) continue;
    test(basename(path), async () => {
      let ours: DicomJson;
      try {
        ours = (await readHeaderOnly(path)).metadata;
      } catch (e) {
        assert.ok(isAppError(e) && e.code === 'TRUNCATED', String(e));
        return;
      }
      const diffs: string[] = [];
      compare(ours, theirs, '', diffs);
      assert.deepEqual(diffs, []);
    });
  }

  test('more than 40 files were compared', () => {
    assert.ok(Object.values(reference).filter(Boolean).length > 40);
  });
});

describe('bulk data', { skip }, () => {
  test('each BulkDataURI range holds the bytes pydicom reads for that attribute', async () => {
    const parsed = new Map<string, ParsedInstance>();
    for (const path of allDicomFiles()) {
      const result = await parseInstanceFile(path).catch(() => null);
      const comparable = result && result.bulkElements.length > 0 && !result.pixelData?.deflated;
      if (comparable && pydicomSeesPixelData(path)) {
        parsed.set(path, result);
      }
    }
    const request = Object.fromEntries(
      [...parsed].map(([path, p]) => [path, p.bulkElements.map((b) => b.tagPath)]),
    );
    const expected = python<Record<string, string[]>>(VALUE_HASH_SCRIPT, JSON.stringify(request));

    let checked = 0;
    for (const [path, result] of parsed) {
      const bytes = readFileSync(path);
      const actual = result.bulkElements.map(({ offset, length }) =>
        createHash('sha256')
          .update(bytes.subarray(offset, offset + length))
          .digest('hex'),
      );
      assert.deepEqual(actual, expected[path], basename(path));
      checked += actual.length;
    }
    assert.ok(checked > 40, `${checked} bulk values checked`);
  });

  test('Pixel Data and nested values get instance-relative BulkDataURIs', async () => {
    const path = allDicomFiles().find((f) => basename(f) === 'fodicom_JPEGwithIcon_XC.dcm')!;
    const { metadata, bulkElements } = await parseInstanceFile(path);
    assert.deepEqual(metadata['7FE00010'], { vr: 'OB', BulkDataURI: 'bulkdata/7FE00010' });

    const icon = (metadata['00880200'].Value as DicomJson[])[0];
    assert.equal(icon['7FE00010'].BulkDataURI, 'bulkdata/00880200/0/7FE00010');
    assert.ok(bulkElements.some((b) => b.tagPath === '00880200/0/7FE00010'));
    assert.equal(typeof icon['00281201'].InlineBinary, 'string'); // 256 bytes: inline
  });

  test('a sequence item with its own Specific Character Set is decoded with it', async () => {
    const path = allDicomFiles().find((f) => basename(f).includes('chrSQEncoding'))!;
    const { metadata } = await readHeaderOnly(path);
    const item = (metadata['00321064'].Value as DicomJson[])[0];
    assert.deepEqual(item['00080005'].Value, ['ISO 2022 IR 13', 'ISO 2022 IR 87']);
    assert.deepEqual(metadata['00080005'].Value, ['ISO_IR 192']);
  });
});
