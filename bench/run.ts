/**
 * `npm run bench [-- --quick] [--keep] [--studies N] [--only ours|orthanc] [--dicomweb-only]
 * [--postgres URL]`: our archive against Orthanc + DICOMweb on the same generated files, both
 * started here on loopback.
 * Prints a Markdown table and writes bench/results/<date>.json. See BENCHMARKS.md.
 *
 * Orthanc goes first so that its index fill decides the study count for both (a fill projected
 * past the time budget drops to a smaller count, and ours then stores the same number).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { measureCeiling } from './disk';
import { makePhotos, makeTinyStudies, makeVolumes } from './fixtures';
import { describeMachine } from './machine';
import { measurePeer, type PeerInput, type PeerResult } from './measure-peer';
import { parsePlan, type BenchPlan } from './options';
import { createRunDatabase, withoutPassword } from './postgres';
import { provisionAccess } from './access';
import { prepareOurs, REPO, type OursLaunch } from './build';
import { oursDataDir, startOrthanc, startOurs } from './peers';
import { ratios, renderMemory, renderTable, writeJson, type RunReport } from './report';
import { round } from './stats';

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const date = new Date().toISOString();
  const runDir = path.join(REPO, 'bench', 'tmp', date.replace(/[:.]/g, '-'));
  await mkdir(runDir, { recursive: true });
  const began = performance.now();
  console.log(`Benchmark${plan.quick ? ' (quick)' : ''}; working in ${runDir}`);

  try {
    const report = await measureAll(plan, date, runDir);
    console.log(`\n${renderTable(report)}\n\n${renderMemory(report)}\n`);
    const file = await writeJson(report, path.join(REPO, 'bench', 'results'));
    console.log(`Results: ${path.relative(REPO, file)}`);
  } finally {
    if (!plan.keep) await rm(runDir, { recursive: true, force: true });
    console.log(`Total ${round((performance.now() - began) / 1000, 0)} s`);
  }
}

async function measureAll(plan: BenchPlan, date: string, runDir: string): Promise<RunReport> {
  const machine = describeMachine(runDir);
  const { input, photoSources } = await makeFixtures(plan, runDir);

  console.log(`Disk ceiling: ${plan.ceilingBytes / 1024 ** 2} MiB, fsync'd`);
  const ceiling = await measureCeiling(runDir, plan.ceilingBytes);

  const prepared = plan.peers.includes('ours')
    ? prepareOursOrSay(plan, runDir)
    : { launch: null, note: 'not run' };
  const ours = prepared.launch;
  const peers: RunReport['peers'] = {};
  if (plan.peers.includes('orthanc')) {
    console.log('Orthanc');
    peers.orthanc = await measurePeer(() => startOrthanc(runDir), input);
    input.studyTarget = sharedStudyCount(peers.orthanc, input.studyTarget);
  }
  if (ours) {
    console.log(`Ours (${ours.mode}: ${ours.note})`);
    peers.ours = await measureOurs(plan, input, runDir, ours);
  }

  const fixtures = {
    optBytes: input.ingestVolumes[0].bytes,
    wadoFrames: input.wadoVolume.frames,
    photoBytes: input.photos.bytes,
    photoSources,
  };
  const partial = {
    date,
    plan: { ...plan, postgres: plan.postgres && withoutPassword(plan.postgres) },
    machine,
    ceiling,
    oursNote: prepared.note,
    fixtures,
    peers,
  };
  return { ...partial, ratios: ratios(partial) };
}

async function makeFixtures(plan: BenchPlan, runDir: string) {
  const t = performance.now();
  console.log('Generating files');
  const volumes = await makeVolumes(plan, path.join(runDir, 'files'));
  const photos = await makePhotos(plan.photos, path.join(runDir, 'files', 'photos'));
  const studies = makeTinyStudies(plan.studies + 1);
  const [warmupStudy] = studies.splice(plan.studies, 1);
  console.log(`  done in ${round((performance.now() - t) / 1000, 1)} s`);
  const input: PeerInput = {
    plan,
    ...volumes,
    photos,
    studies,
    warmupStudy,
    studyTarget: plan.studies,
  };
  return { input, photoSources: photos.sources };
}

/**
 * Our server, on a database of its own when --postgres is given (dropped afterwards), with a
 * site, user and API token made before its first start.
 */
async function measureOurs(plan: BenchPlan, input: PeerInput, runDir: string, launch: OursLaunch) {
  const db = plan.postgres ? await createRunDatabase(plan.postgres) : null;
  try {
    const databaseUrl = db?.url ?? null;
    const access = await provisionAccess(oursDataDir(runDir), databaseUrl);
    return await measurePeer(() => startOurs(runDir, { launch, databaseUrl, access }), input);
  } finally {
    await db?.drop();
  }
}

/** A failed build skips our server but keeps Orthanc's measurements. */
function prepareOursOrSay(plan: BenchPlan, runDir: string) {
  try {
    const launch = prepareOurs({ dicomwebOnly: plan.dicomwebOnly, logDir: runDir });
    return { launch, note: `${launch.mode}: ${launch.note}` };
  } catch (e) {
    const note = `not run: ${e instanceof Error ? e.message : String(e)}`;
    console.error(`Ours ${note}`);
    return { launch: null, note };
  }
}

/** When the first server's fill was cut short, the second stores the same smaller number. */
function sharedStudyCount(first: PeerResult, target: number): number {
  return first.fill?.cappedFrom != null ? first.fill.count : target;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
