import type { KioskBackend, PresentedFrameRecord } from "../backend/backend";

/**
 * The frames the player presented, sent to the app once a second for its
 * `--frame-log` (how closely the screens of a sync group agree is measured
 * from it). Stops for good when the app keeps no log, or refuses them.
 */
export class FrameLog {
  private batch: PresentedFrameRecord[] = [];
  private timer = 0;
  private off = false;

  constructor(private readonly backend: KioskBackend) {
    this.timer = window.setInterval(() => this.flush(), 1000);
  }

  add(record: PresentedFrameRecord): void {
    if (!this.off && this.batch.length < 1000) this.batch.push(record);
  }

  /** The wall-clock time of a performance.now() time. */
  static wall(perf: number): number {
    return Math.round((performance.timeOrigin + perf) * 1000) / 1000;
  }

  flush(): void {
    if (this.off || this.batch.length === 0) return;
    const frames = this.batch;
    this.batch = [];
    this.backend.logFrames(frames).then(
      (kept) => {
        if (!kept) this.stop();
      },
      () => this.stop(),
    );
  }

  stop(): void {
    this.flush();
    this.off = true;
    this.batch = [];
    window.clearInterval(this.timer);
  }
}
