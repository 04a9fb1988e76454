/**
 * Peak resident memory of a server, phase by phase. The kernel keeps each process's peak
 * (VmHWM); resetting it before a phase and reading it after gives that phase's own peak. Child
 * processes are counted separately: our server should have none, but Next could start workers.
 */
import { descendants, procStatusBytes, resetPeakRss } from './proc';

export interface PhasePeak {
  phase: string;
  /** RSS when the phase began: the peak minus this is what the phase itself added. */
  rssAtStartMB: number | null;
  peakRssMB: number | null;
  /** Sum of each child's own peak: an upper bound, as the peaks need not coincide. */
  childrenPeakRssMB: number;
}

const MB = 1024 * 1024;
const toMB = (b: number | null) => (b == null ? null : Math.round(b / MB));

export class PeakMemory {
  readonly phases: PhasePeak[] = [];
  /** False when the kernel refused a reset: then every phase reports the lifetime peak. */
  resettable = true;
  private rssAtStart: number | null = null;

  constructor(private readonly pid: number) {}

  /** Runs `run` as one phase, with a peak of its own. */
  async measure<T>(phase: string, run: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await run();
    } finally {
      this.end(phase);
    }
  }

  /** Closes the start-up phase once the server answers; returns the RSS it holds then. */
  recordStartup(): number | null {
    this.end('startup');
    return toMB(procStatusBytes(this.pid, 'VmRSS'));
  }

  overallPeakMB(): number | null {
    const peaks = this.phases.map((p) => p.peakRssMB).filter((p): p is number => p != null);
    return peaks.length ? Math.max(...peaks) : null;
  }

  private begin(): void {
    const pids = [this.pid, ...descendants(this.pid)];
    for (const pid of pids) this.resettable = resetPeakRss(pid) && this.resettable;
    this.rssAtStart = toMB(procStatusBytes(this.pid, 'VmRSS'));
  }

  private end(phase: string): void {
    const children = descendants(this.pid).map((pid) => procStatusBytes(pid, 'VmHWM') ?? 0);
    this.phases.push({
      phase,
      rssAtStartMB: this.rssAtStart,
      peakRssMB: toMB(procStatusBytes(this.pid, 'VmHWM')),
      childrenPeakRssMB: toMB(children.reduce((a, b) => a + b, 0)) ?? 0,
    });
  }
}
