/**
 * What one benchmark run does: the full run (the numbers BENCHMARKS.md reports) or `--quick`, a
 * smaller run that checks the script end to end in a minute or two.
 */
import { z } from 'zod';
import { checkLoopbackUrl } from './postgres';

export interface BenchPlan {
  quick: boolean;
  /** Keep bench/tmp/<run> (generated files, server data) for inspection afterwards. */
  keep: boolean;
  /** Target size of each ingest volume, as generateOpt reads it. */
  optSize: string;
  ingestRepeats: number;
  photos: number;
  /** Concurrent requests when sending photos and filling the index. */
  concurrency: number;
  wadoFrames: number;
  wadoWarmup: number;
  wadoRequests: number;
  studies: number;
  /** When the first server filled would need longer than this, both get `fallbackStudies`. */
  fillBudgetS: number;
  fallbackStudies: number;
  qidoWarmup: number;
  qidoQueries: number;
  ceilingBytes: number;
  /** Servers to measure; `--only ours` skips Orthanc. */
  peers: Array<'ours' | 'orthanc'>;
  /** Run our server without Next.js (bench/server.ts), to see what the web app costs. */
  dicomwebOnly: boolean;
  /** Admin URL of a loopback PostgreSQL for our server; absent: embedded PGlite. */
  postgres: string | null;
}

const FULL: BenchPlan = {
  quick: false,
  keep: false,
  optSize: '300MB',
  ingestRepeats: 3,
  photos: 200,
  concurrency: 4,
  wadoFrames: 512,
  wadoWarmup: 10,
  wadoRequests: 200,
  studies: 10_000,
  fillBudgetS: 600,
  fallbackStudies: 2_000,
  qidoWarmup: 5,
  qidoQueries: 100,
  ceilingBytes: 1024 ** 3,
  peers: ['ours', 'orthanc'],
  dicomwebOnly: false,
  postgres: null,
};

const QUICK: Partial<BenchPlan> = {
  quick: true,
  optSize: '50MB',
  photos: 20,
  wadoFrames: 64,
  wadoRequests: 50,
  studies: 1_000,
  fallbackStudies: 500,
  qidoQueries: 40,
  ceilingBytes: 256 * 1024 ** 2,
};

const FLAGS = ['--quick', '--keep', '--studies', '--only', '--dicomweb-only', '--postgres'];

const ZArgs = z.object({
  quick: z.boolean(),
  keep: z.boolean(),
  dicomwebOnly: z.boolean(),
  studies: z.coerce.number().int().min(100).max(100_000).optional(),
  only: z.enum(['ours', 'orthanc']).optional(),
  postgres: z.string().url().optional(),
});

/**
 * Reads `--quick`, `--keep`, `--studies N`, `--only ours|orthanc`, `--dicomweb-only` and
 * `--postgres URL`.
 */
export function parsePlan(argv: string[]): BenchPlan {
  const valueOf = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const unknown = argv.filter((a) => a.startsWith('--') && !FLAGS.includes(a));
  if (unknown.length) throw new Error(`Unknown option(s): ${unknown.join(', ')}`);

  const args = ZArgs.parse({
    quick: argv.includes('--quick'),
    keep: argv.includes('--keep'),
    dicomwebOnly: argv.includes('--dicomweb-only'),
    studies: valueOf('--studies'),
    only: valueOf('--only'),
    postgres: valueOf('--postgres'),
  });
  const plan: BenchPlan = {
    ...FULL,
    ...(args.quick ? QUICK : {}),
    keep: args.keep,
    dicomwebOnly: args.dicomwebOnly,
    postgres: args.postgres ? checkLoopbackUrl(args.postgres) : null,
  };
  if (args.studies) plan.studies = args.studies;
  if (args.only) plan.peers = [args.only];
  return plan;
}
