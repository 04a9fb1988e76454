/**
 * Read-side latencies: WADO-RS single frames of a stored OPT volume (PS3.18 §10.4.1.1.3) and
 * QIDO-RS study searches over the filled index (§10.6). Requests are sequential, one at a time,
 * each timed from request start to its last byte, and both servers get the same request list.
 */
import { optFrameBytes, type GeneratedOpt } from '../server/dicom/opt-generator';
import { parseMultipart } from '../server/test/stow-client';
import type { TinyStudy } from './fixtures';
import { getOk, timed } from './http';
import type { Peer } from './peers';
import { latency, seededRandom, type Latency } from './stats';

const FRAME_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

/** 1-based frame numbers, the same "random" list for every server. */
export function frameNumbers(frames: number, count: number): number[] {
  const rand = seededRandom(7);
  return Array.from({ length: count }, () => 1 + Math.floor(rand() * frames));
}

function framePath(v: GeneratedOpt, frame: number): string {
  const series = `/studies/${v.studyInstanceUID}/series/${v.seriesInstanceUID}`;
  return `${series}/instances/${v.sopInstanceUID}/frames/${frame}`;
}

/**
 * Warm-up requests are checked byte for byte against the generator, so a fast wrong answer
 * cannot pass for a fast right one; timed requests only check the status.
 */
export async function frameLatency(
  peer: Peer,
  v: GeneratedOpt,
  seed: number,
  plan: { warmup: number; requests: number },
): Promise<Latency> {
  const frames = frameNumbers(v.frames, plan.warmup + plan.requests);
  for (const n of frames.slice(0, plan.warmup)) {
    const res = await getOk(peer, framePath(v, n), FRAME_ACCEPT);
    const [part] = parseMultipart(res);
    if (!part || !part.body.equals(optFrameBytes(seed, n - 1))) {
      throw new Error(`${peer.name}: frame ${n} differs from the generated frame`);
    }
  }
  const samples: number[] = [];
  for (const n of frames.slice(plan.warmup)) {
    samples.push((await timed(() => getOk(peer, framePath(v, n), FRAME_ACCEPT))).ms);
  }
  return latency(samples);
}

export type QueryKind = 'patientID' | 'patientName' | 'studyDate' | 'list';

export interface Query {
  kind: QueryKind;
  search: string;
}

/** The query mix, all with limit=25, cycling through the four kinds. */
export function queryMix(studies: TinyStudy[], count: number): Query[] {
  const rand = seededRandom(11);
  const kinds: QueryKind[] = ['patientID', 'patientName', 'studyDate', 'list'];
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length];
    return { kind, search: `${querySearch(kind, studies, rand)}limit=25` };
  });
}

function querySearch(kind: QueryKind, studies: TinyStudy[], rand: () => number): string {
  if (kind === 'patientID') {
    return `PatientID=${studies[Math.floor(rand() * studies.length)].patientID}&`;
  }
  if (kind === 'patientName') return 'PatientName=A*&';
  if (kind === 'list') return '';
  // A one-month StudyDate range somewhere in the fixtures' 2010-2024 span.
  const year = 2010 + Math.floor(rand() * 15);
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  return `StudyDate=${year}${month}01-${year}${month}31&`;
}

export interface QueryLatency extends Latency {
  byKind: Record<QueryKind, Latency & { meanResults: number }>;
}

export async function queryLatency(peer: Peer, queries: Query[], warmup: number) {
  // QIDO answers 204 when nothing matched (PS3.18 §10.6.3); Orthanc answers 200 with [].
  const get = (q: Query) =>
    getOk(peer, `/studies?${q.search}`, 'application/dicom+json', [200, 204]);
  for (const q of queries.slice(0, warmup)) await get(q);

  const samples: Array<{ kind: QueryKind; ms: number; results: number }> = [];
  for (const q of queries) {
    const { ms, value } = await timed(() => get(q));
    samples.push({ kind: q.kind, ms, results: resultCount(value.body) });
  }
  const byKind = {} as QueryLatency['byKind'];
  for (const kind of new Set(samples.map((s) => s.kind))) {
    const mine = samples.filter((s) => s.kind === kind);
    const meanResults = mine.reduce((n, s) => n + s.results, 0) / mine.length;
    byKind[kind] = { ...latency(mine.map((s) => s.ms)), meanResults };
  }
  return { ...latency(samples.map((s) => s.ms)), byKind } satisfies QueryLatency;
}

/** QIDO answers a JSON array, or an empty body (204) when nothing matched. */
function resultCount(body: Buffer): number {
  if (body.length === 0) return 0;
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  return Array.isArray(parsed) ? parsed.length : 0;
}
