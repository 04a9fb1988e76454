/**
 * Saved annotations through the tRPC procedures against a real database: each person sees and
 * changes only their own, only on studies they may see, and refusals say why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { TRPCError } from '@trpc/server';
import { principalForUser, type Principal } from '../auth/principal';
import { imageToOphthalmicPhotography } from '../dicom/encapsulate';
import { FUNDUS_PATH } from '../dicom/opt-generator';
import { startTestArchive, type TestArchive } from '../test/harness';
import { makeUser } from '../test/identity';
import { stow } from '../test/stow-client';
import { createCaller } from '../trpc/router';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TRPCError, String(e));
    return `${e.code}: ${e.message}`;
  }
  assert.fail('expected a refusal');
}

describe('annotations procedures', () => {
  let t: TestArchive;
  let study: string;
  let sop: string;
  const people: Record<string, Principal> = {};
  const api = (who: string) => createCaller({ archive: t.archive.ctx, principal: people[who] });

  before(async () => {
    t = await startTestArchive();
    const photo = await imageToOphthalmicPhotography({
      bytes: readFileSync(FUNDUS_PATH),
      contentType: 'image/jpeg',
      patient: { patientID: 'ANN-1' },
      laterality: 'R',
    });
    const stored = await stow(t.dicomweb, [{ contentType: 'application/dicom', body: photo }]);
    assert.equal(stored.status, 200, stored.body.toString());
    const url: string = stored.json['00081199'].Value[0]['00081190'].Value[0];
    [, study, sop] = /studies\/([\d.]+)\/series\/[\d.]+\/instances\/([\d.]+)/.exec(url)!;

    const db = t.archive.ctx.db;
    people.techA = await principalForUser(db, { email: 'tech@test-a.example' }, 'session');
    for (const [key, email, site] of [
      ['otherA', 'other@test-a.example', 'TEST-A'],
      ['techB', 'tech@test-b.example', 'TEST-B'],
    ] as const) {
      const u = await makeUser(db, email, [{ role: 'SITE_TECHNICIAN', siteCode: site }]);
      people[key] = await principalForUser(db, { id: u.id }, 'session');
    }
  });

  after(async () => {
    await t?.close();
  });

  const length = () => ({
    studyInstanceUID: study,
    sopInstanceUID: sop,
    toolName: 'Length' as const,
    data: { points: [[10.5, 20.5] as [number, number], [110.5, 20.5] as [number, number]] },
    value: 2,
    unit: 'mm',
  });

  test('saved, listed, replaced and deleted by their author', async () => {
    const saved = await api('techA').annotations.save(length());
    assert.equal(saved.value, 2);
    assert.deepEqual(saved.data.points[1], [110.5, 20.5]);

    const listed = await api('techA').annotations.list({ studyInstanceUID: study });
    assert.deepEqual(
      listed.map((a) => [a.id, a.toolName, a.unit, a.frameNumber]),
      [[saved.id, 'Length', 'mm', null]],
    );

    const replaced = await api('techA').annotations.save({ ...length(), id: saved.id, value: 3 });
    assert.equal(replaced.value, 3);
    const row = await t.archive.ctx.db.annotation.findUniqueOrThrow({ where: { id: saved.id } });
    assert.equal(row.value, 3, 'stored in the database');

    await api('techA').annotations.delete({ id: saved.id });
    assert.deepEqual(await api('techA').annotations.list({ studyInstanceUID: study }), []);
  });

  test('another person at the site sees none of them and cannot change them', async () => {
    const mine = await api('techA').annotations.save(length());
    assert.deepEqual(await api('otherA').annotations.list({ studyInstanceUID: study }), []);
    assert.equal(
      await refusal(api('otherA').annotations.save({ ...length(), id: mine.id })),
      'NOT_FOUND: You have no annotation with this id.',
    );
    assert.equal(
      await refusal(api('otherA').annotations.delete({ id: mine.id })),
      'NOT_FOUND: You have no annotation with this id.',
    );
  });

  test('a study of another site is not found, whatever is asked', async () => {
    const notFound = 'NOT_FOUND: No study you may see has this Study Instance UID.';
    assert.equal(
      await refusal(api('techB').annotations.list({ studyInstanceUID: study })),
      notFound,
    );
    assert.equal(await refusal(api('techB').annotations.save(length())), notFound);
  });

  test('bad input is refused with a reason', async () => {
    assert.equal(
      await refusal(api('techA').annotations.save({ ...length(), sopInstanceUID: '1.2.3' })),
      'NOT_FOUND: This study holds no such instance.',
    );
    assert.equal(
      await refusal(api('techA').annotations.save({ ...length(), frameNumber: 2 })),
      'BAD_REQUEST: This instance has fewer frames than frameNumber.',
    );
    const badPoints = { ...length(), data: { points: [[Number.NaN, 1]] } };
    assert.match(await refusal(api('techA').annotations.save(badPoints as never)), /^BAD_REQUEST/);
    const anonymous = createCaller({ archive: t.archive.ctx, principal: null });
    assert.equal(
      await refusal(anonymous.annotations.list({ studyInstanceUID: study })),
      'UNAUTHORIZED: Sign in first.',
    );
    const readOnly = { ...people.techA, token: { id: 'x', siteId: 'y', write: false } };
    assert.equal(
      await refusal(
        createCaller({ archive: t.archive.ctx, principal: readOnly }).annotations.save(length()),
      ),
      'FORBIDDEN: This API token is read-only: it cannot save annotations.',
    );
  });
});
