/**
 * Specific Character Set decoding, checked against pydicom's decoding of the same bytes: the
 * charset_* files of the shared data, and samples pydicom encodes at test time for the sets the
 * shared data lacks (Korean IR 149, JIS X 0212, half-width katakana, Thai, escaped Cyrillic).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { decodeText, normalizeTerm, splitEncoded, unknownCharacterSets } from './charset';
import { readHeaderOnly } from './parse';
import { READ_DATASET, allDicomFiles, python, skipReason } from './pydicom-oracle';
import type { PersonName } from './values';

const skip = skipReason();

interface PydicomName {
  charset: string[];
  text: string;
  groups: PersonName;
}

/** pydicom's decoding of (0010,0010), group by group. */
const NAMES_SCRIPT = `${READ_DATASET}
out = {}
for path in sys.argv[1:]:
    ds = read(path, stop_before_pixels=True)
    if 'PatientName' not in ds or not ds.PatientName:
        continue
    pn = ds.PatientName
    cs = ds.get('SpecificCharacterSet', [])
    parts = list(pn.components) + ['', '', '']
    groups = {'Alphabetic': parts[0], 'Ideographic': parts[1], 'Phonetic': parts[2]}
    out[path] = {'charset': [cs] if isinstance(cs, str) else list(cs), 'text': str(pn),
                 'groups': {k: v for k, v in groups.items() if v}}
print(json.dumps(out))
`;

/** Writes one file per sample with pydicom's own encoder; argv: template, dir, samples JSON. */
const WRITE_SAMPLES_SCRIPT = `${READ_DATASET}
ds = read(sys.argv[1], stop_before_pixels=True)
paths = []
for i, (charset, name) in enumerate(json.loads(sys.argv[3])):
    ds.SpecificCharacterSet = charset
    ds.PatientName = name
    ds.StudyDescription = name.split('=')[-1].replace('^', ' ')
    path = '%s/sample-%d.dcm' % (sys.argv[2], i)
    ds.save_as(path)
    paths.append(path)
print(json.dumps(paths))
`;

const GENERATED_SAMPLES: Array<[string[], string]> = [
  [['', 'ISO 2022 IR 149'], 'Hong^Gildong=洪^吉洞=홍^길동'],
  [['ISO 2022 IR 13', 'ISO 2022 IR 87'], 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう'],
  [['', 'ISO 2022 IR 87', 'ISO 2022 IR 159'], 'Test^丂=鄧'],
  [['ISO 2022 IR 6', 'ISO 2022 IR 144'], 'Люксембург'],
  [['ISO_IR 166'], 'ภาษาไทย'],
  [['ISO_IR 13'], 'ﾔﾏﾀﾞ^ﾀﾛｳ'],
];

async function ourName(path: string): Promise<PersonName | undefined> {
  const { metadata } = await readHeaderOnly(path);
  return metadata['00100010']?.Value?.[0] as PersonName | undefined;
}

describe('person names of the shared data equal pydicom, group by group', { skip }, () => {
  const files = allDicomFiles();
  const names = skip ? {} : python<Record<string, PydicomName>>(NAMES_SCRIPT, ...files);

  for (const [path, expected] of Object.entries(names)) {
    test(`${basename(path)} (${expected.charset.join('\\') || 'default'})`, async () => {
      assert.deepEqual(await ourName(path), expected.groups);
    });
  }

  test('every charset_* file with a name is covered', () => {
    const covered = Object.keys(names).filter((p) => basename(p).startsWith('charset_'));
    assert.ok(covered.length >= 9, `${covered.length} files`);
  });
});

describe('samples encoded by pydicom at test time', { skip }, () => {
  const dir = skip ? '' : mkdtempSync(join(tmpdir(), 'dicom-charset-'));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('IR 149, IR 13, IR 159, escaped IR 144, IR 166, ISO_IR 13 decode as pydicom', async () => {
    const template = allDicomFiles().find((f) => basename(f) === 'pydicom_MR_small_implicit.dcm')!;
    const paths = python<string[]>(
      WRITE_SAMPLES_SCRIPT,
      template,
      dir,
      JSON.stringify(GENERATED_SAMPLES),
    );
    const expected = python<Record<string, PydicomName>>(NAMES_SCRIPT, ...paths);

    for (const [i, path] of paths.entries()) {
      const name = await ourName(path);
      assert.deepEqual(name, expected[path].groups, GENERATED_SAMPLES[i][0].join('\\'));
      assert.equal(
        [name?.Alphabetic, name?.Ideographic, name?.Phonetic].filter(Boolean).join('='),
        GENERATED_SAMPLES[i][1],
      );
    }
  });
});

describe('decodeText and splitEncoded', () => {
  const bytes = (...parts: Array<string | number[]>) =>
    Uint8Array.from(
      parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)),
    );

  test('GB 2312 in G1 (ISO 2022 IR 58) after ESC $ ) A', () => {
    // 张 = D5 C5, 小 = D0 A1, 东 = B6 AB in GB 2312 (EUC-CN form).
    const value = bytes('\x1b$)A', [0xd5, 0xc5], '^\x1b$)A', [0xd0, 0xa1, 0xb6, 0xab]);
    assert.equal(decodeText(value, ['', 'ISO 2022 IR 58']), '张^小东');
  });

  test('a backslash byte inside a JIS X 0208 character does not split values', () => {
    const kanji = [0x5c, 0x21];
    const value = bytes('\x1b$B', kanji, '\x1b(B\\A');
    const parts = splitEncoded(value, ['', 'ISO 2022 IR 87'], 0x5c);
    assert.equal(parts.length, 2);
    const eucJp = new TextDecoder('euc-jp').decode(Uint8Array.from(kanji.map((b) => b | 0x80)));
    assert.equal(decodeText(parts[0], ['', 'ISO 2022 IR 87']), eucJp);
    assert.equal(decodeText(parts[1], ['', 'ISO 2022 IR 87']), 'A');
  });

  test('a GBK trail byte 0x5C does not split values', () => {
    const value = bytes([0x81, 0x5c], '\\B');
    const parts = splitEncoded(value, ['GBK'], 0x5c);
    assert.deepEqual(
      parts.map((p) => p.length),
      [2, 1],
    );
    assert.equal(decodeText(parts[0], ['GBK']), new TextDecoder('gbk').decode(parts[0]));
  });

  test('defined terms are normalised and unknown ones reported', () => {
    assert.equal(normalizeTerm('ISO-IR 100'), 'ISO_IR 100');
    assert.equal(normalizeTerm('iso 2022 ir 87 '), 'ISO 2022 IR 87');
    assert.equal(normalizeTerm('UTF-8'), 'ISO_IR 192');
    assert.deepEqual(unknownCharacterSets(['', 'ISO 2022 IR 87', 'KOI8-R']), ['KOI8-R']);
  });

  test('no Specific Character Set: bytes above 0x7F kept as Latin-1', () => {
    assert.equal(decodeText(bytes([0x4a, 0xe9]), []), 'Jé');
  });
});
