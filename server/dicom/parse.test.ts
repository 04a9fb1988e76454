/**
 * parseInstanceFile against every file of the shared test data, each outcome checked against
 * pydicom (and dcmdump) reading the same file at test time.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { isAppError } from '../errors';
import { parseInstanceFile, parseInstanceSource, readHeaderOnly } from './parse';
import {
  READ_DATASET,
  allDicomFiles,
  dcmdumpValue,
  hasDcmdump,
  python,
  skipReason,
  pydicomSeesPixelData,
} from './pydicom-oracle';
import { FileSource } from './source';
import type { ParsedInstance } from './types';

const skip = skipReason();
const files = allDicomFiles();

/**
 * Files whose defect pydicom reads past (it warns and drops or keeps what it can) but that an
 * archive must refuse, with the reason from the test data's README.
 */
const EXPECTED_FAILURES: Record<string, string> = {
  'pydicom_MR_truncated.dcm': 'TRUNCATED', // Pixel Data declares 8192 bytes, 8130 present
};

interface Reference {
  uids: Record<
    'SOPClassUID' | 'SOPInstanceUID' | 'StudyInstanceUID' | 'SeriesInstanceUID',
    string | null
  >;
  /** Patient-identifying strings that must never appear in an error message. */
  private: string[];
  pixel: null | { rows: number; columns: number; bitsAllocated: number; samples: number };
}

const REFERENCE_SCRIPT = `${READ_DATASET}
out = {}
for path in sys.argv[1:]:
    ds = read(path, stop_before_pixels=True)
    uid = lambda k: (str(ds.get(k)) or None) if ds.get(k) is not None else None
    keys = ['SOPClassUID', 'SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID']
    private = [str(ds.get(k, '')) for k in ['PatientName', 'PatientID', 'PatientBirthDate']]
    full = read(path)
    pixel = None
    if 'PixelData' in full and 'Rows' in full:
        pixel = {'rows': full.Rows, 'columns': full.Columns, 'bitsAllocated': full.BitsAllocated,
                 'samples': full.get('SamplesPerPixel', 1)}
    out[path] = {'uids': {k: uid(k) for k in keys}, 'private': [p for p in private if len(p) > 2],
                 'pixel': pixel}
print(json.dumps(out))
`;

/** Per-frame SHA-256 as pydicom extracts the frames (encapsulated: its own fragment logic). */
const FRAME_HASH_SCRIPT = `${READ_DATASET}
import hashlib
from pydicom.encaps import generate_pixel_data_frame
out = {}
for path in sys.argv[1:]:
    ds = read(path)
    if 'PixelData' not in ds:
        out[path] = None
        continue
    size = ds.Rows * ds.Columns * ds.get('SamplesPerPixel', 1) * ds.BitsAllocated // 8
    try:
        n = int(ds.get('NumberOfFrames', 1) or 1)
    except ValueError:
        n = len(ds.PixelData) // size
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        frames = list(generate_pixel_data_frame(ds.PixelData, n))
    else:
        frames = [ds.PixelData[i * size:(i + 1) * size] for i in range(n)]
    out[path] = [hashlib.sha256(f).hexdigest() for f in frames]
print(json.dumps(out))
`;

function frameHashes(path: string, parsed: ParsedInstance): string[] {
  const bytes = readFileSync(path);
  return (parsed.pixelData?.frames ?? []).map((frame) => {
    const hash = createHash('sha256');
    for (const [offset, length] of frame.ranges)
      hash.update(bytes.subarray(offset, offset + length));
    return hash.digest('hex');
  });
}

async function outcome(path: string): Promise<ParsedInstance | { code: string; message: string }> {
  try {
    return await parseInstanceFile(path);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, message: e.message };
  }
}

const KEYWORD_TAGS: Record<string, string> = {
  SOPClassUID: '(0008,0016)',
  SOPInstanceUID: '(0008,0018)',
  StudyInstanceUID: '(0020,000D)',
  SeriesInstanceUID: '(0020,000E)',
};

describe('parseInstanceFile on the shared test data', { skip }, () => {
  const reference = skip ? {} : python<Record<string, Reference>>(REFERENCE_SCRIPT, ...files);

  for (const path of files) {
    test(basename(path), async () => {
      const ref = reference[path];
      const result = await outcome(path);
      const missing = Object.entries(ref.uids)
        .filter(([, v]) => v === null)
        .map(([k]) => k);
      const expectedCode =
        EXPECTED_FAILURES[basename(path)] ?? (missing.length > 0 ? 'MISSING_ATTRIBUTE' : null);

      if ('code' in result) {
        assert.equal(result.code, expectedCode, result.message);
        for (const secret of ref.private) assert.ok(!result.message.includes(secret));
        for (const keyword of expectedCode === 'MISSING_ATTRIBUTE' ? missing : []) {
          assert.ok(result.message.includes(`${keyword} ${KEYWORD_TAGS[keyword]}`), keyword);
        }
        return;
      }

      assert.equal(expectedCode, null, `expected ${expectedCode}, parsed instead`);
      assert.equal(result.sopClassUID, ref.uids.SOPClassUID);
      assert.equal(result.sopInstanceUID, ref.uids.SOPInstanceUID);
      assert.equal(result.studyInstanceUID, ref.uids.StudyInstanceUID);
      assert.equal(result.seriesInstanceUID, ref.uids.SeriesInstanceUID);
      // dcmdump prints UN-encoded values as hex, so it is a second opinion only where it can be.
      const dumped = hasDcmdump ? dcmdumpValue(path, '0008,0018') : null;
      if (dumped !== null) assert.equal(result.sopInstanceUID, dumped);

      if (!pydicomSeesPixelData(path)) {
        assert.ok(result.pixelData && result.pixelData.frames.length > 0, 'pixel data kept');
        assert.ok(result.warnings.some((w) => /Sequence Delimitation/.test(w)));
        return;
      }
      assert.equal(result.pixelData !== null, ref.pixel !== null);
      if (result.pixelData && ref.pixel) {
        assert.equal(result.pixelData.rows, ref.pixel.rows);
        assert.equal(result.pixelData.columns, ref.pixel.columns);
        assert.equal(result.pixelData.bitsAllocated, ref.pixel.bitsAllocated);
        assert.equal(result.pixelData.samplesPerPixel, ref.pixel.samples);
      }
    });
  }
});

describe('frame byte ranges', { skip }, () => {
  test('every frame of every parsed file equals pydicom frame bytes', async () => {
    const parsed = new Map<string, ParsedInstance>();
    for (const path of files) {
      const result = await outcome(path);
      const comparable = !('code' in result) && result.pixelData && !result.pixelData.deflated;
      if (comparable && pydicomSeesPixelData(path)) {
        parsed.set(path, result);
      }
    }
    const expected = python<Record<string, string[]>>(FRAME_HASH_SCRIPT, ...parsed.keys());

    let frames = 0;
    for (const [path, result] of parsed) {
      assert.deepEqual(frameHashes(path, result), expected[path], basename(path));
      frames += expected[path].length;
    }
    assert.ok(frames >= 80, `only ${frames} frames compared`);
  });

  test('multi-frame files named in the brief are located frame by frame', async () => {
    const counts: Record<string, number> = {
      'pydicom_emri_small_enhanced_10frames.dcm': 10,
      'pydicom_examples_ybr_color_multiframe_jpeg.dcm': 30,
      'weasis_jpeg2000-multiframe-multifragments.dcm': 19,
      'pydicom_SC_rgb_rle_2frame.dcm': 2,
    };
    for (const [name, count] of Object.entries(counts)) {
      const path = files.find((f) => basename(f) === name)!;
      const parsed = await parseInstanceFile(path);
      assert.equal(parsed.pixelData?.frames.length, count, name);
      assert.equal(parsed.instance.numberOfFrames, count, name);
    }
  });
});

describe('re-encapsulated and damaged copies', { skip }, () => {
  const dir = skip ? '' : mkdtempSync(join(tmpdir(), 'dicom-parse-'));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));
  const source = files.find(
    (f) => basename(f) === 'weasis_jpeg2000-multiframe-multifragments.dcm',
  )!;

  /** Writes the weasis frames again, three fragments per frame, with or without a BOT. */
  const REENCAPSULATE = `${READ_DATASET}
from pydicom.encaps import encapsulate, generate_pixel_data_frame
ds = read(sys.argv[1])
frames = list(generate_pixel_data_frame(ds.PixelData, int(ds.NumberOfFrames)))
ds.PixelData = encapsulate(frames, fragments_per_frame=3, has_bot=sys.argv[3] == 'bot')
ds.save_as(sys.argv[2])
print(json.dumps(None))
`;

  for (const bot of ['bot', 'nobot']) {
    test(`three fragments per frame (${bot}): frames equal pydicom's`, async () => {
      const path = join(dir, `multi-${bot}.dcm`);
      python(REENCAPSULATE, source, path, bot);

      const parsed = await parseInstanceFile(path);
      const expected = python<Record<string, string[]>>(FRAME_HASH_SCRIPT, path)[path];
      assert.equal(parsed.pixelData?.frames.length, 19);
      assert.ok(parsed.pixelData!.frames.every((f) => f.ranges.length === 3));
      assert.deepEqual(frameHashes(path, parsed), expected);
    });
  }

  test('files cut short inside the header or pixel data are TRUNCATED', async () => {
    const whole = readFileSync(source);
    for (const cut of [200, 1500, Math.floor(whole.length / 2), whole.length - 3]) {
      const path = join(dir, `cut-${cut}.dcm`);
      writeFileSync(path, whole.subarray(0, cut));
      await assert.rejects(parseInstanceFile(path), (e) => isAppError(e) && e.code === 'TRUNCATED');
    }
  });

  test('native pixel data shorter than Rows x Columns x Frames declare is TRUNCATED', async () => {
    const path = join(dir, 'short-native.dcm');
    python(
      `${READ_DATASET}
ds = read(sys.argv[1]); ds.PixelData = ds.PixelData[:-1000]; ds.save_as(sys.argv[2])
print('null')`,
      files.find((f) => basename(f) === 'pydicom_emri_small_enhanced_10frames.dcm')!,
      path,
    );
    await assert.rejects(parseInstanceFile(path), (e) => {
      assert.ok(isAppError(e) && e.code === 'TRUNCATED');
      assert.match(e.message, /81920 bytes expected, 80920 present/);
      return true;
    });
  });

  test('a malformed UID is INVALID_ATTRIBUTE and the message leaves the value out', async () => {
    const path = join(dir, 'bad-uid.dcm');
    python(
      `${READ_DATASET}
ds = read(sys.argv[1]); ds.SOPInstanceUID = '1.2.3.abc'; ds.save_as(sys.argv[2])
print('null')`,
      files.find((f) => basename(f) === 'pydicom_MR_small_implicit.dcm')!,
      path,
    );
    await assert.rejects(parseInstanceFile(path), (e) => {
      assert.ok(isAppError(e) && e.code === 'INVALID_ATTRIBUTE');
      assert.match(e.message, /SOPInstanceUID \(0008,0018\)/);
      assert.ok(!e.message.includes('abc'));
      return true;
    });
  });

  test('garbage, an empty file and a PNG are NOT_DICOM', async () => {
    const junk = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    const inputs: Array<[string, Uint8Array]> = [
      ['empty.dcm', new Uint8Array(0)],
      ['text.dcm', Buffer.from('hello, this is not a DICOM file at all\n'.repeat(20))],
      ['random.dcm', junk(4096)],
      ['png.dcm', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(600, 7)])],
      ['dicm-then-junk.dcm', Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), junk(512)])],
    ];
    for (const [name, bytes] of inputs) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      await assert.rejects(parseInstanceFile(path), (e) => isAppError(e) && e.code === 'NOT_DICOM');
    }
  });
});

describe('large files are read by parts', { skip }, () => {
  const dir = skip ? '' : mkdtempSync(join(tmpdir(), 'dicom-large-'));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const MAKE_LARGE = `${READ_DATASET}
import os
from pydicom.encaps import encapsulate
ds = read(sys.argv[1])
ds.NumberOfFrames = 64
ds.Rows, ds.Columns = 512, 512
frame = 512 * 512 * 2
if sys.argv[3] == 'native':
    ds.PixelData = os.urandom(64 * frame)
else:
    ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.90'
    ds.PixelData = encapsulate([b'\\xff\\x4f' + os.urandom(frame - 2) for _ in range(64)], 4, False)
    ds['PixelData'].is_undefined_length = True
ds.save_as(sys.argv[2])
print('null')
`;

  for (const kind of ['native', 'encapsulated']) {
    test(`a 32 MiB ${kind} file costs well under 1 MiB of reads`, async () => {
      const path = join(dir, `${kind}.dcm`);
      const base = allDicomFiles().find((f) => basename(f).includes('emri_small_enhanced'))!;
      python(MAKE_LARGE, base, path, kind);

      const src = await FileSource.open(path);
      try {
        const parsed = await parseInstanceSource(src);
        assert.equal(parsed.pixelData?.frames.length, 64);
        assert.ok(src.bytesRead < 1024 * 1024, `${src.bytesRead} bytes read`);
      } finally {
        await src.close();
      }
    });
  }
});

describe('header only and special encodings', { skip }, () => {
  const byName = (name: string) => files.find((f) => basename(f) === name)!;

  test('readHeaderOnly reads files that lack the identifying UIDs', async () => {
    const header = await readHeaderOnly(byName('fodicom_GH340_nopreamble_nometa_MR.dcm'));
    assert.equal(header.transferSyntaxUID, '1.2.840.10008.1.2');
    assert.deepEqual(header.metadata['00280010'], { vr: 'US', Value: [256] });
  });

  test('Deflated Explicit VR LE: frames left to the decoder, data set read', async () => {
    const parsed = await parseInstanceFile(byName('pydicom_image_dfl_deflate.dcm'));
    assert.equal(parsed.transferSyntaxUID, '1.2.840.10008.1.2.1.99');
    assert.equal(parsed.pixelData?.deflated, true);
    assert.deepEqual(parsed.pixelData?.frames, []);
    assert.equal(parsed.pixelData?.rows, 512);
    assert.ok(parsed.bulkElements.every((b) => b.inflated === true));
  });

  test('Explicit VR Big Endian without File Meta is sniffed', async () => {
    const parsed = await parseInstanceFile(byName('pydicom_ExplVR_BigEndNoMeta.dcm'));
    assert.equal(parsed.transferSyntaxUID, '1.2.840.10008.1.2.2');
    assert.equal(parsed.series.seriesNumber, 1);
    assert.equal(parsed.series.modality, 'RTPLAN');
  });

  test('private SOP class and undecodable syntax are warnings, not failures', async () => {
    const parsed = await parseInstanceFile(
      byName('cswil_CTImage_JPEGProcess6_8_spectral_1.2.840.10008.1.2.4.53.dcm'),
    );
    assert.ok(parsed.warnings.some((w) => w.includes('cannot decode')));
  });
});
