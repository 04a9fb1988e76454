import assert from 'node:assert/strict';
import { test } from 'node:test';
import { showArea, showLength } from './units';

test('lengths in mm for photos, in µm for OCT, in px without a scale', () => {
  assert.equal(showLength(1.2345, 'mm', 'mm').text, '1.23 mm');
  assert.deepEqual(showLength(0.2504, 'mm', 'µm'), { value: 250.4, unit: 'µm', text: '250 µm' });
  assert.equal(showLength(12.34, 'px', 'µm').text, '12.3 px');
  assert.equal(showArea(0.0123, 'mm²', 'µm').text, '12300 µm²');
  assert.equal(showArea(0.5, 'mm²', 'mm').text, '0.500 mm²');
  assert.equal(showArea(2.5, 'mm²', 'mm').text, '2.50 mm²');
});
