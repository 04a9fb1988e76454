/**
 * ModalitiesInStudy when instances of one study arrive at the same moment: each request's
 * modality must be in the list afterwards. Reading the list and writing it back lost some of
 * them under concurrent requests; the index now appends under the row lock.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newUid, writePart10 } from '../dicom/encapsulate';
import { startTestArchive, type TestArchive } from '../test/harness';
import { request, stow } from '../test/stow-client';

const MODALITIES = ['OP', 'OPT', 'XC', 'SC', 'OT', 'DOC', 'OPV', 'OAM'];

let t: TestArchive;
before(async () => {
  t = await startTestArchive();
});
after(() => t?.close());

function instance(studyUID: string, modality: string): Buffer {
  return writePart10(
    {
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.66', // Raw Data: no pixels needed
      SOPInstanceUID: newUid(),
      StudyInstanceUID: studyUID,
      SeriesInstanceUID: newUid(),
      Modality: modality,
      PatientID: 'MOD-RACE-1',
      PatientName: 'Race^Rita',
    },
    null,
  );
}

test('concurrent uploads into one study keep every modality', async () => {
  for (let round = 0; round < 3; round++) {
    const studyUID = newUid();
    const results = await Promise.all(
      MODALITIES.map((m) =>
        stow(t.dicomweb, [{ contentType: 'application/dicom', body: instance(studyUID, m) }]),
      ),
    );
    results.forEach((r, i) => assert.equal(r.status, 200, `${MODALITIES[i]}: ${r.body}`));

    const query = `StudyInstanceUID=${studyUID}&includefield=00201206&includefield=00201208`;
    const res = await request(`${t.dicomweb}/studies?${query}`, {
      headers: { Accept: 'application/dicom+json' },
    });
    assert.equal(res.status, 200);
    const [study] = JSON.parse(res.body.toString('utf8'));
    assert.deepEqual(study['00080061'].Value, [...MODALITIES].sort(), `round ${round}`);
    assert.equal(study['00201208'].Value[0], MODALITIES.length, 'NumberOfStudyRelatedInstances');
    assert.equal(study['00201206'].Value[0], MODALITIES.length, 'NumberOfStudyRelatedSeries');
  }
});
