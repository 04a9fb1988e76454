/**
 * Writes a synthetic Ophthalmic Tomography volume and its fundus localizer for tests and
 * benchmarks:
 *
 *   npm run generate:opt -- --size 300MB --out bench/tmp/opt
 *   npm run generate:opt -- --frames 512 --out bench/tmp/opt --seed 7 --laterality L
 *
 * Prints one JSON object with the paths, UIDs, frame count and size.
 */
import { parseArgs } from 'node:util';

import { isAppError } from '../server/errors';
import { generateOpt } from '../server/dicom/opt-generator';

const USAGE =
  'usage: generate-opt --out DIR [--size 300MB | --frames N] [--seed N] [--laterality R|L]\n' +
  '       [--patient-id ID] [--issuer ISSUER] [--name Family^Given] [--study-uid UID]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      size: { type: 'string' },
      frames: { type: 'string' },
      seed: { type: 'string' },
      laterality: { type: 'string' },
      'patient-id': { type: 'string' },
      issuer: { type: 'string' },
      name: { type: 'string' },
      'study-uid': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.out) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }

  const result = await generateOpt({
    outDir: values.out,
    size: values.size,
    frames: values.frames === undefined ? undefined : Number(values.frames),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    laterality: values.laterality as 'R' | 'L' | undefined,
    patientID: values['patient-id'],
    issuerOfPatientID: values.issuer,
    patientName: values.name,
    studyInstanceUID: values['study-uid'],
  });
  console.log(JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  console.error(isAppError(e) ? `${e.code}: ${e.message}` : e);
  process.exitCode = 1;
});
