import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DicomJson } from './dicom-json';
import { sopClassName, viewerKind } from './sop-classes';

const inst = (sop: string, extra: DicomJson = {}): DicomJson => ({
  '00080016': { vr: 'UI', Value: [sop] },
  ...extra,
});
const pixels = { '7FE00010': { vr: 'OB', BulkDataURI: 'bulkdata/7FE00010' } };
const frames = (n: number) => ({ '00280008': { vr: 'IS', Value: [n] } });

test('each kind of object gets its view', () => {
  const OP = '1.2.840.10008.5.1.4.1.1.77.1.5.1';
  assert.equal(viewerKind(inst(OP, pixels)).kind, 'photo');
  assert.equal(viewerKind(inst(OP, { ...pixels, ...frames(24) })).kind, 'cine');
  assert.equal(
    viewerKind(inst('1.2.840.10008.5.1.4.1.1.77.1.5.4', { ...pixels, ...frames(64) })).kind,
    'oct',
  );
  assert.equal(viewerKind(inst('1.2.840.10008.5.1.4.1.1.104.1')).kind, 'pdf');
  const raw = viewerKind(inst('1.2.840.10008.5.1.4.1.1.66'));
  assert.equal(raw.kind, 'none');
  assert.match(raw.reason ?? '', /no Pixel Data/);
  assert.equal(sopClassName('1.2.840.10008.5.1.4.1.1.66'), 'Raw Data');
  assert.equal(sopClassName('1.2.3.4'), 'SOP class 1.2.3.4');
});
