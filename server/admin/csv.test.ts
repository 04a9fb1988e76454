import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvLine } from './csv';

test('plain fields stay as they are; empty values are empty', () => {
  assert.equal(csvLine(['SIGN_IN', 'SUCCESS', null, undefined, 3]), 'SIGN_IN,SUCCESS,,,3\r\n');
});

test('commas, quotes and line breaks are quoted, quotes doubled (RFC 4180)', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
});

test('cells a spreadsheet would run as a formula get a leading apostrophe', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('-2'), "'-2");
});

test('dates are written as ISO 8601 in UTC', () => {
  assert.equal(csvField(new Date(Date.UTC(2025, 0, 2, 3, 4, 5))), '2025-01-02T03:04:05.000Z');
});
