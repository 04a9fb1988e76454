/**
 * Frame location for encapsulated (PS3.5 §A.4) and bit-packed native (PS3.5 §8.1.1) pixel
 * data, on small byte streams built here so that every branch is reached, including those no
 * shared test file exercises (Extended Offset Table, marker split, 1-bit frames).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isAppError } from '../errors';
import { mapFrames, walkFragments } from './fragments';
import { describePixelData } from './pixels';
import { MemorySource } from './source';
import type { DataElement, DataSet } from './dataset';

function item(value: number[], tag = 0xe000): number[] {
  const length = value.length;
  const header = [0xfe, 0xff, tag & 0xff, tag >> 8];
  return [...header, length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, length >>> 24];
}

function uint32s(values: number[]): number[] {
  return values.flatMap((v) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]);
}

/** An encapsulated value: BOT item, fragments, Sequence Delimitation Item. */
function encapsulated(bot: number[], fragments: number[][], delimiter = true): Uint8Array {
  const bytes = [...item(bot), ...bot];
  for (const f of fragments) bytes.push(...item(f), ...f);
  if (delimiter) bytes.push(...item([], 0xe0dd));
  return Uint8Array.from(bytes);
}

const jpeg = (n: number) => [0xff, 0xd8, n, n];
const more = (n: number) => [0x11, 0x22, n, n];

async function frames(bytes: Uint8Array, count: number, eot: number[] | null = null) {
  const src = new MemorySource(bytes);
  const list = await walkFragments(src, 0);
  const mapping = await mapFrames(src, list, count, eot);
  const content = mapping.frames.map((f) =>
    f.ranges.flatMap(([offset, length]) => [...bytes.subarray(offset, offset + length)]),
  );
  return { content, warnings: mapping.warnings };
}

describe('encapsulated frames', () => {
  test('Basic Offset Table groups fragments', async () => {
    const bot = uint32s([0, 24]); // two 4-byte fragments of frame 1 take 2 x (8 + 4) bytes
    const { content } = await frames(encapsulated(bot, [jpeg(1), more(1), jpeg(2)]), 2);
    assert.deepEqual(content, [[...jpeg(1), ...more(1)], jpeg(2)]);
  });

  test('Extended Offset Table wins over the rest', async () => {
    const { content } = await frames(
      encapsulated([], [jpeg(1), more(1), more(2), jpeg(2)]),
      2,
      [0, 24],
    );
    assert.deepEqual(content, [
      [...jpeg(1), ...more(1)],
      [...more(2), ...jpeg(2)],
    ]);
  });

  test('a Basic Offset Table that does not fit is ignored with a warning', async () => {
    const bot = uint32s([0, 5]);
    const { content, warnings } = await frames(encapsulated(bot, [jpeg(1), jpeg(2)]), 2);
    assert.deepEqual(content, [jpeg(1), jpeg(2)]);
    assert.equal(warnings.length, 1);
  });

  test('without tables, more fragments than frames are split at start markers', async () => {
    const j2k = [0xff, 0x4f, 9, 9];
    const bytes = encapsulated([], [jpeg(1), more(1), more(2), j2k, more(3)]);
    const { content } = await frames(bytes, 2);
    assert.deepEqual(content, [
      [...jpeg(1), ...more(1), ...more(2)],
      [...j2k, ...more(3)],
    ]);
  });

  test('one frame takes all fragments; unmappable layouts give no frames, a warning', async () => {
    assert.deepEqual((await frames(encapsulated([], [jpeg(1), more(1)]), 1)).content, [
      [...jpeg(1), ...more(1)],
    ]);
    const unmappable = await frames(encapsulated([], [jpeg(1), more(1), more(2)]), 2);
    assert.deepEqual(unmappable.content, []);
    assert.match(unmappable.warnings[0], /cannot map 3 pixel data fragments to 2 frames/);
  });

  test('a missing final delimiter is noted; a cut fragment is TRUNCATED; a stray tag is NOT_DICOM', async () => {
    const code = (e: unknown) => (isAppError(e) ? e.code : String(e));
    const noDelimiter = encapsulated([], [jpeg(1)], false);
    const kept = await walkFragments(new MemorySource(noDelimiter), 0);
    assert.equal(kept.fragments.length, 1);
    assert.equal(kept.missingDelimiter, true);
    const cut = encapsulated([], [jpeg(1), jpeg(2)]).subarray(0, 30);
    await assert.rejects(walkFragments(new MemorySource(cut), 0), (e) => code(e) === 'TRUNCATED');
    const stray = Uint8Array.from([...item([]), 0x08, 0x00, 0x18, 0x00, 0, 0, 0, 0]);
    await assert.rejects(walkFragments(new MemorySource(stray), 0), (e) => code(e) === 'NOT_DICOM');
  });
});

function us(tag: number, value: number): [number, DataElement] {
  const bytes = Uint8Array.from([value & 0xff, value >> 8]);
  return [tag, { tag, vr: 'US', offset: 0, length: 2, littleEndian: true, bytes }];
}

describe('native 1-bit frames', () => {
  test('frames packed across byte boundaries carry their bit offset', async () => {
    const pixelData: DataElement = {
      tag: 0x7fe00010,
      vr: 'OW',
      offset: 100,
      length: 4,
      littleEndian: true,
    };
    const nf = Uint8Array.from(Buffer.from('3 '));
    const dataSet: DataSet = new Map([
      us(0x00280010, 3), // Rows (0028,0010)
      us(0x00280011, 3), // Columns (0028,0011)
      us(0x00280100, 1), // BitsAllocated (0028,0100)
      [
        0x00280008,
        { tag: 0x00280008, vr: 'IS', offset: 0, length: 2, littleEndian: true, bytes: nf },
      ],
      [0x7fe00010, pixelData],
    ]);

    const { pixelData: info } = await describePixelData(
      new MemorySource(new Uint8Array(0)),
      dataSet,
      {
        deflated: false,
      },
    );
    // 9 bits per frame: frame 2 starts at bit 9 (byte 1, bit 1), frame 3 at bit 18.
    assert.deepEqual(info?.frames, [
      { ranges: [[100, 2]] },
      { ranges: [[101, 2]], bitOffset: 1 },
      { ranges: [[102, 2]], bitOffset: 2 },
    ]);
  });
});
