/**
 * npm run ingest -- [options] PATH...
 *
 * Imports DICOM files and folders into the archive, with a progress bar and a summary; exits
 * non-zero when anything was refused. Photos without DICOM (JPEG, PNG, TIFF) are imported as
 * Ophthalmic Photography when --patient-id and --eye are given.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { openArchive } from '../app';
import { isAppError } from '../errors';
import type { UploadSite } from '../archive/context';
import { importFile, listFiles, type PhotoIdentity } from '../archive/import-files';
import { uploadSiteFor } from '../archive/sites';
import { audit } from '../auth/audit';
import { principalForUser, type Principal } from '../auth/principal';

const USAGE =
  'Usage: npm run ingest -- --user EMAIL [--site CODE] ' +
  '[--patient-id ID --eye R|L [--issuer I] [--patient-name N]] PATH...';

const ZPhoto = z.object({
  patientID: z.string().min(1),
  issuerOfPatientID: z.string().optional(),
  patientName: z.string().optional(),
  laterality: z.enum(['R', 'L']),
});

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'patient-id': { type: 'string' },
      issuer: { type: 'string' },
      'patient-name': { type: 'string' },
      eye: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      user: { type: 'string', default: process.env.ARCHIVE_USER },
      site: { type: 'string' },
    },
  });
  if (!positionals.length || !values.user) {
    if (!values.user) console.error('Name who is importing: --user EMAIL (or ARCHIVE_USER).');
    console.error(USAGE);
    return 2;
  }
  let photo: PhotoIdentity | undefined;
  if (values['patient-id'] || values.eye) {
    const parsed = ZPhoto.safeParse({
      patientID: values['patient-id'],
      issuerOfPatientID: values.issuer,
      patientName: values['patient-name'],
      laterality: values.eye?.toUpperCase(),
    });
    if (!parsed.success) {
      console.error(
        `Photo options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      console.error(USAGE);
      return 2;
    }
    photo = parsed.data;
  }

  const files = await listFiles(positionals);
  const archive = await openArchive();
  let site: UploadSite;
  let principal: Principal;
  try {
    principal = await principalForUser(archive.ctx.db, { email: values.user }, 'cli');
    site = await uploadSiteFor(archive.ctx.db, principal, values.site);
  } catch (e) {
    await archive.close();
    throw e;
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        'ingest [{bar}] {value}/{total} files | {stored} stored, {dup} already there, {refused} refused',
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { stored: 0, dup: 0, refused: 0 };
  const refused: Array<{ file: string; reason: string }> = [];
  if (!values.quiet) bar.start(files.length, 0, counts);
  try {
    for (const file of files) {
      try {
        const r = await importFile(archive.ctx, site, file, photo);
        if (r.status === 'stored') counts.stored++;
        else counts.dup++;
        await audit(archive.ctx.db, archive.ctx.log, {
          action: 'UPLOAD',
          outcome: 'SUCCESS',
          principal,
          origin: { userAgent: 'ingest-cli' },
          siteId: site.id,
          patientId: r.patientId,
          studyInstanceUID: r.studyInstanceUID,
          resource: 'ingest',
          detail: { sopInstanceUID: r.sopInstanceUID, status: r.status },
        });
      } catch (e) {
        counts.refused++;
        refused.push({ file, reason: isAppError(e) ? e.message : String(e) });
      }
      if (!values.quiet) bar.increment(1, counts);
    }
  } finally {
    if (!values.quiet) bar.stop();
    await archive.close();
  }

  console.log(
    `\n${files.length} file(s): ${counts.stored} stored, ${counts.dup} already there, ${counts.refused} refused`,
  );
  for (const r of refused) console.log(`  refused ${r.file}: ${r.reason}`);
  return counts.refused ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(isAppError(e) ? e.message : e);
    process.exit(2);
  },
);
