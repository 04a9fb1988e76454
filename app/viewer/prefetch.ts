/**
 * Fetches the frames of a stack in the background, nearest to the frame on screen first
 * (server/viewer/fetch-order.ts), a few at a time, and reports how many are in. Moving to
 * another frame reorders what is left. Frames land in Cornerstone's image cache, so scrolling
 * to them later draws at once.
 */
import { imageLoader } from '@cornerstonejs/core';
import { nextToFetch } from '@/server/viewer/fetch-order';

export interface Progress {
  loaded: number;
  failed: number;
  total: number;
}

export class FramePrefetcher {
  private current = 0;
  private stopped = false;
  private readonly done = new Set<number>();
  private readonly busy = new Set<number>();
  private failed = 0;

  constructor(
    private readonly imageIds: string[],
    private readonly onProgress: (p: Progress) => void,
    private readonly concurrency = 3,
  ) {}

  start(current: number): void {
    this.current = current;
    for (let i = 0; i < this.concurrency; i++) void this.work();
  }

  setCurrent(index: number): void {
    this.current = index;
  }

  stop(): void {
    this.stopped = true;
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const i = nextToFetch(
        this.current,
        this.imageIds.length,
        (k) => this.done.has(k) || this.busy.has(k),
      );
      if (i === undefined) return;
      this.busy.add(i);
      try {
        await imageLoader.loadAndCacheImage(this.imageIds[i]);
      } catch {
        this.failed += 1;
      }
      this.busy.delete(i);
      this.done.add(i);
      if (!this.stopped) {
        this.onProgress({
          loaded: this.done.size - this.failed,
          failed: this.failed,
          total: this.imageIds.length,
        });
      }
    }
  }
}
