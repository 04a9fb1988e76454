import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DicomJson } from './dicom-json';
import { paletteBulkDataUris, withPaletteValues } from './palette-lut';

const u16 = (values: number[]) => Buffer.from(Uint16Array.from(values).buffer);
const b64 = (bytes: Buffer) => bytes.toString('base64');

function palette(tables: Record<string, unknown>, descriptor = [4, 0, 16]): DicomJson {
  const ds: Record<string, unknown> = {
    '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
    '00281101': { vr: 'US', Value: descriptor },
    '00281102': { vr: 'US', Value: descriptor },
    '00281103': { vr: 'US', Value: descriptor },
    ...tables,
  };
  return ds as DicomJson;
}

const valuesOf = (ds: DicomJson, tag: string) => (ds[tag] as { Value: number[] }).Value;

describe('palette tables for the WADO-RS image loader', () => {
  test('16-bit InlineBinary tables become their high bytes as Value', () => {
    const ds = palette({
      '00281201': { vr: 'OW', InlineBinary: b64(u16([0x0000, 0x4040, 0x8080, 0xffff])) },
      '00281202': { vr: 'OW', InlineBinary: b64(u16([0xff00, 0x7f10, 0x0100, 0x00ff])) },
      '00281203': { vr: 'OW', InlineBinary: b64(u16([0x1234, 0x5678, 0x9abc, 0xdef0])) },
    });
    const out = withPaletteValues(ds);
    assert.deepEqual(valuesOf(out, '00281201'), [0x00, 0x40, 0x80, 0xff]);
    assert.deepEqual(valuesOf(out, '00281202'), [0xff, 0x7f, 0x01, 0x00]);
    assert.deepEqual(valuesOf(out, '00281203'), [0x12, 0x56, 0x9a, 0xde]);
    // The input is left as it was.
    assert.equal((ds['00281201'] as { Value?: unknown }).Value, undefined);
  });

  test('8-bit entries, packed or one per word, keep their value', () => {
    const packed = Buffer.from([10, 20, 30, 40]);
    const perWord = u16([10, 20, 30, 40]);
    const ds = palette(
      {
        '00281201': { vr: 'OW', InlineBinary: b64(packed) },
        '00281202': { vr: 'OW', InlineBinary: b64(perWord) },
        '00281203': { vr: 'OW', InlineBinary: b64(perWord) },
      },
      [4, 0, 8],
    );
    const out = withPaletteValues(ds);
    for (const tag of ['00281201', '00281202', '00281203']) {
      assert.deepEqual(valuesOf(out, tag), [10, 20, 30, 40], tag);
    }
  });

  test('bulk data tables are named for fetching, then read from what was fetched', () => {
    const uri = (c: string) => `http://127.0.0.1/dicomweb/studies/1/bulkdata/${c}`;
    const ds = palette({
      '00281201': { vr: 'OW', BulkDataURI: uri('00281201') },
      '00281202': { vr: 'OW', BulkDataURI: uri('00281202') },
      '00281203': { vr: 'OW', InlineBinary: b64(u16([0, 0, 0, 0])) },
    });
    assert.deepEqual(paletteBulkDataUris(ds), [uri('00281201'), uri('00281202')]);
    assert.throws(() => withPaletteValues(ds), /was not fetched/);
    const bulk = new Map([
      [uri('00281201'), u16([0x0100, 0x0200, 0x0300, 0x0400])],
      [uri('00281202'), u16([0xff00, 0xfe00, 0xfd00, 0xfc00])],
    ]);
    const out = withPaletteValues(ds, bulk);
    assert.deepEqual(valuesOf(out, '00281201'), [1, 2, 3, 4]);
    assert.deepEqual(valuesOf(out, '00281202'), [255, 254, 253, 252]);
  });

  test('a segmented table is expanded into plain entries', () => {
    // Discrete 0x0000, then a linear ramp of 4 steps to 0x8000 (PS3.3 C.7.9.2).
    const segments = b64(u16([0, 1, 0x0000, 1, 4, 0x8000]));
    const ds = palette(
      {
        '00281221': { vr: 'OW', InlineBinary: segments },
        '00281222': { vr: 'OW', InlineBinary: segments },
        '00281223': { vr: 'OW', InlineBinary: segments },
      },
      [5, 0, 16],
    );
    const out = withPaletteValues(ds);
    assert.deepEqual(valuesOf(out, '00281201'), [0x00, 0x20, 0x40, 0x60, 0x80]);
    assert.equal(out['00281221'], undefined);
  });

  test('other images pass unchanged; a palette without tables is refused by name', () => {
    const rgb = { '00280004': { vr: 'CS', Value: ['RGB'] } } as DicomJson;
    assert.equal(withPaletteValues(rgb), rgb);
    assert.deepEqual(paletteBulkDataUris(rgb), []);
    assert.throws(() => withPaletteValues(palette({})), /without table data \(00281201\)/);
    const noDescriptor = palette({});
    delete noDescriptor['00281101'];
    assert.throws(() => withPaletteValues(noDescriptor), /valid descriptor \(00281101\)/);
  });
});
