/**
 * The run's results as a Markdown table on stdout (pasteable into BENCHMARKS.md) and as JSON in
 * bench/results/. Targets are shown beside the numbers; nothing here fails a run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ceiling } from './disk';
import type { Machine } from './machine';
import type { PeerResult } from './measure-peer';
import type { PhasePeak } from './memory';
import type { BenchPlan } from './options';
import { ratio } from './stats';

export interface RunReport {
  date: string;
  plan: BenchPlan;
  machine: Machine;
  ceiling: Ceiling;
  oursNote: string;
  fixtures: { optBytes: number; wadoFrames: number; photoBytes: number; photoSources: string[] };
  peers: { ours?: PeerResult; orthanc?: PeerResult };
  ratios: Record<string, number | null>;
}

type Num = number | null | undefined;
interface Row {
  measure: string;
  ours: Num;
  orthanc: Num;
  ceiling?: boolean;
  target?: string;
  met?: boolean | null;
}

export function ratios(r: Omit<RunReport, 'ratios'>): Record<string, number | null> {
  const { ours, orthanc } = r.peers;
  return {
    optIngestOursOverOrthanc: ratio(ours?.volumes?.medianMBps, orthanc?.volumes?.medianMBps),
    optIngestOursOverCeiling: ratio(ours?.volumes?.medianMBps, r.ceiling.nodeMBps),
    optIngestOrthancOverCeiling: ratio(orthanc?.volumes?.medianMBps, r.ceiling.nodeMBps),
    photosOursOverOrthanc: ratio(ours?.photos?.perS, orthanc?.photos?.perS),
    fillOursOverOrthanc: ratio(ours?.fill?.perS, orthanc?.fill?.perS),
    frameP50OursOverOrthanc: ratio(ours?.frames?.p50Ms, orthanc?.frames?.p50Ms),
    qidoP95OursOverOrthanc: ratio(ours?.queries?.p95Ms, orthanc?.queries?.p95Ms),
    peakRssOursOverOrthanc: ratio(ours?.peakRssMB, orthanc?.peakRssMB),
  };
}

function rows(r: RunReport): Row[] {
  const { ours, orthanc } = r.peers;
  const x = r.ratios;
  const ingestMet =
    x.optIngestOursOverCeiling == null
      ? null
      : x.optIngestOursOverCeiling >= 0.8 && (x.optIngestOursOverOrthanc ?? 0) >= 3;
  const phase = (p: PeerResult | undefined, name: string) =>
    p?.memory.find((m) => m.phase === name)?.peakRssMB;
  const studies = ours?.fill?.count ?? orthanc?.fill?.count;
  const oursRestartPeak = restartPeak(ours);
  return [
    {
      measure: `STOW-RS ${r.plan.optSize} OPT, MB/s (median of ${r.plan.ingestRepeats})`,
      ours: ours?.volumes?.medianMBps,
      orthanc: orthanc?.volumes?.medianMBps,
      ceiling: true,
      target: '>= 0.8 x ceiling and >= 3 x Orthanc',
      met: ingestMet,
    },
    {
      measure: `STOW-RS ${r.plan.photos} photos, photos/s`,
      ours: ours?.photos?.perS,
      orthanc: orthanc?.photos?.perS,
    },
    {
      measure: `STOW-RS ${r.plan.photos} photos, MB/s`,
      ours: ours?.photos?.mbps,
      orthanc: orthanc?.photos?.mbps,
      ceiling: true,
    },
    {
      measure: `Index fill, ${studies} tiny studies, instances/s`,
      ours: ours?.fill?.perS,
      orthanc: orthanc?.fill?.perS,
    },
    {
      measure: `WADO-RS one frame p50, ms (${r.fixtures.wadoFrames}-frame OPT)`,
      ours: ours?.frames?.p50Ms,
      orthanc: orthanc?.frames?.p50Ms,
      target: '< 15 ms',
      met: ours?.frames ? ours.frames.p50Ms < 15 : null,
    },
    {
      measure: 'WADO-RS one frame p95, ms',
      ours: ours?.frames?.p95Ms,
      orthanc: orthanc?.frames?.p95Ms,
    },
    {
      measure: `QIDO-RS p50, ms (${studies} studies)`,
      ours: ours?.queries?.p50Ms,
      orthanc: orthanc?.queries?.p50Ms,
    },
    { measure: 'QIDO-RS p95, ms', ours: ours?.queries?.p95Ms, orthanc: orthanc?.queries?.p95Ms },
    {
      measure: 'Peak RSS, all phases, MB',
      ours: ours?.peakRssMB,
      orthanc: orthanc?.peakRssMB,
      target: '< 250 MB',
      met: ours?.peakRssMB == null ? null : ours.peakRssMB < 250,
    },
    {
      measure: `Peak RSS during ${r.plan.optSize} STOW, MB`,
      ours: phase(ours, 'stow-opt'),
      orthanc: phase(orthanc, 'stow-opt'),
    },
    {
      measure: 'RSS once ready, before any request, MB',
      ours: ours?.rssAtReadyMB,
      orthanc: orthanc?.rssAtReadyMB,
    },
    { measure: 'Start-up until it answers, s', ours: ours?.startupS, orthanc: orthanc?.startupS },
    {
      measure: 'After a restart on that data: RSS once ready, MB',
      ours: ours?.restart?.rssAtReadyMB,
      orthanc: orthanc?.restart?.rssAtReadyMB,
    },
    {
      measure: `After a restart: peak RSS during one more ${r.plan.optSize} STOW, MB`,
      ours: oursRestartPeak,
      orthanc: restartPeak(orthanc),
      target: '< 250 MB',
      met: oursRestartPeak == null ? null : oursRestartPeak < 250,
    },
    {
      measure: `After a restart: STOW-RS ${r.plan.optSize} OPT, MB/s`,
      ours: ours?.restart?.volume?.medianMBps,
      orthanc: orthanc?.restart?.volume?.medianMBps,
      ceiling: true,
    },
  ];
}

function restartPeak(p: PeerResult | undefined): number | null | undefined {
  return p?.restart?.memory.find((m) => m.phase === 'restart-stow-opt')?.peakRssMB;
}

const show = (n: Num) => (n == null ? '-' : String(n));

export function renderTable(r: RunReport): string {
  const head = '| Measure | Ours | Orthanc | Ours / Orthanc | Ours / ceiling | Target |';
  const lines = [head, '|---|--:|--:|--:|--:|---|'];
  for (const row of rows(r)) {
    const vsCeiling = row.ceiling ? show(ratio(row.ours, r.ceiling.nodeMBps)) : '';
    const met = row.met == null ? '' : row.met ? ' (met)' : ' (not met)';
    const cells = [
      row.measure,
      show(row.ours),
      show(row.orthanc),
      show(ratio(row.ours, row.orthanc)),
      vsCeiling,
      row.target ? `${row.target}${met}` : '',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const c = r.ceiling;
  const dd = c.ddMBps == null ? 'dd failed' : `dd conv=fsync ${c.ddMBps} (${c.ddRuns.join(', ')})`;
  const size = `${Math.round(c.bytes / 1024 ** 2)} MiB`;
  lines.push(
    '',
    `Ceiling: ${c.nodeMBps} MB/s, median of fsync'd ${size} sequential writes to new files ` +
      `(${c.nodeRuns.join(', ')}); ${dd} MB/s. Into a file deleted just before (page cache ` +
      `reused): ${c.reuseMBps} MB/s (${c.reuseRuns.join(', ')}).`,
  );
  return lines.join('\n');
}

/** Peak RSS phase by phase, with the RSS each phase began at (the peak less that is its own). */
export function renderMemory(r: RunReport): string {
  const lines = [
    '| Phase | Ours: RSS at start -> peak, MB | Orthanc: RSS at start -> peak, MB |',
    '|---|--:|--:|',
  ];
  const phasesOf = (p?: PeerResult) => [
    ...(p?.memory ?? []),
    ...(p?.restart?.memory ?? []).map((m) => ({ ...m, phase: `restart: ${m.phase}` })),
  ];
  const ours = phasesOf(r.peers.ours);
  const orthanc = phasesOf(r.peers.orthanc);
  for (const { phase } of ours.length ? ours : orthanc) {
    const cell = (list: PhasePeak[]) => {
      const m = list.find((x) => x.phase === phase);
      return m ? `${show(m.rssAtStartMB)} -> ${show(m.peakRssMB)}` : '-';
    };
    lines.push(`| ${phase} | ${cell(ours)} | ${cell(orthanc)} |`);
  }
  return lines.join('\n');
}

export async function writeJson(r: RunReport, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = r.date.replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `${stamp}${r.plan.quick ? '-quick' : ''}.json`);
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
