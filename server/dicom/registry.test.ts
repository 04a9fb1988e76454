/**
 * The SOP class and transfer syntax tables against pydicom's copy of PS3.6, and the eye-care
 * classes and decodable syntaxes the archive promises.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { python, skipReason } from './pydicom-oracle';
import { allSopClasses, allTransferSyntaxes, sopClassInfo, transferSyntaxInfo } from './registry';

interface UidEntry {
  name: string;
  type: string;
  retired: boolean;
  keyword: string;
}

const UID_DICTIONARY_SCRIPT = `
from pydicom._uid_dict import UID_dictionary
print(json.dumps({uid: {'name': v[0], 'type': v[1], 'retired': v[3] == 'Retired', 'keyword': v[4]}
                  for uid, v in UID_dictionary.items()}))
`;

const skip = skipReason({ data: false });

describe('tables agree with PS3.6 as pydicom carries it', { skip }, () => {
  const dictionary = skip ? {} : python<Record<string, UidEntry>>(UID_DICTIONARY_SCRIPT);

  test('SOP classes: UID, keyword and name; "newer" only where pydicom lacks the UID', () => {
    for (const info of allSopClasses()) {
      const entry = dictionary[info.uid];
      assert.equal(entry === undefined, info.newer, `${info.uid} newer flag`);
      if (!entry) continue;
      assert.equal(entry.type, 'SOP Class', info.uid);
      assert.equal(info.keyword, entry.keyword, info.uid);
      assert.equal(info.name, entry.name, info.uid);
    }
  });

  test('transfer syntaxes: UID, keyword, name and retirement', () => {
    for (const info of allTransferSyntaxes()) {
      const entry = dictionary[info.uid];
      assert.equal(entry === undefined, info.newer, `${info.uid} newer flag`);
      if (!entry) continue;
      assert.equal(entry.type, 'Transfer Syntax', info.uid);
      assert.equal(info.keyword, entry.keyword, info.uid);
      assert.equal(info.name, entry.name, info.uid);
      assert.equal(info.retired, entry.retired, info.uid);
    }
  });
});

describe('what the archive promises', () => {
  test('every ophthalmic storage class of the field reference is known', () => {
    const root = '1.2.840.10008.5.1.4.1.1.';
    const suffixes = [
      '77.1.5.1',
      '77.1.5.2',
      '77.1.5.3',
      '77.1.5.4',
      '77.1.5.5',
      '77.1.5.6',
      '77.1.5.7',
      '77.1.5.8',
      '81.1',
      '82.1',
      '79.1',
      '80.1',
      '78.1',
      '78.2',
      '78.3',
      '78.4',
      '78.5',
      '78.6',
      '78.7',
      '78.8',
      '104.1',
      '66',
    ];
    for (const suffix of suffixes) {
      const info = sopClassInfo(root + suffix);
      assert.ok(info.known, root + suffix);
    }
    const opt = sopClassInfo(`${root}77.1.5.4`);
    assert.ok(opt.known && opt.kind === 'multiframe' && opt.ophthalmic);
  });

  test('private and unknown UIDs are { known: false }', () => {
    assert.deepEqual(sopClassInfo('1.3.46.670589.5.0.1.1'), { known: false });
    assert.deepEqual(transferSyntaxInfo('1.2.3.4'), { known: false });
  });

  test('decodable syntaxes are the ones codecs ship for; retired JPEG processes are not', () => {
    const decodable = [
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.4.51',
      '1.2.840.10008.1.2.4.57',
      '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.4.80',
      '1.2.840.10008.1.2.4.81',
      '1.2.840.10008.1.2.4.90',
      '1.2.840.10008.1.2.4.91',
      '1.2.840.10008.1.2.4.201',
      '1.2.840.10008.1.2.4.202',
      '1.2.840.10008.1.2.4.203',
      '1.2.840.10008.1.2.5',
    ];
    for (const uid of decodable) {
      const info = transferSyntaxInfo(uid);
      assert.ok(info.known && info.decodable, uid);
    }
    for (const uid of ['1.2.840.10008.1.2.4.53', '1.2.840.10008.1.2.4.55']) {
      const info = transferSyntaxInfo(uid);
      assert.ok(info.known && !info.decodable && info.encapsulated && info.retired, uid);
    }
  });
});
