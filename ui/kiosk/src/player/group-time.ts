import type { KioskBackend } from "../backend/backend";
import type { GroupClockView } from "../backend/types";

/**
 * The sync group's clock in the webview's own time (performance.now()).
 *
 * The app keeps the group clock (`kiosk_lockstep`); this asks it once a second,
 * three times in a row, and keeps the answer that came back quickest: its
 * reading is then known to within half that round trip. A slow answer (the
 * main thread busy) does not replace a quicker one from the second before.
 */

/** How often the app is asked. */
const POLL_MS = 1000;
/** Readings per poll; the quickest counts. */
const READINGS = 3;
/** How long a screen starting waits to be in step before it plays anyway. */
const SETTLE_WITHIN_MS = 4000;
/** A reading this far from the last means the group's clock jumped (this
 *  screen joined a leader, or the leader changed): the player plans again. */
const JUMP_MS = 250;

interface Reading {
  /** Group time minus performance.now(), in ms. */
  offset: number;
  roundTrip: number;
  at: number;
}

export class GroupTime {
  private reading: Reading | null = null;
  private timer = 0;
  private stopped = false;
  /** The app's last view of the group. */
  view: GroupClockView | null = null;
  /** Called when the group's clock jumped. */
  onJump: () => void = () => {};

  private constructor(private readonly backend: KioskBackend) {}

  /** The group's clock, or null when this screen is in no sync group. Waits
   *  (a few seconds at most) until this screen leads or is in step with the
   *  leader, so that it does not start on a clock about to jump. */
  static async join(backend: KioskBackend): Promise<GroupTime | null> {
    const time = new GroupTime(backend);
    const first = await time.poll().catch(() => false);
    if (!first) return null;
    const until = performance.now() + SETTLE_WITHIN_MS;
    while (!time.settled() && performance.now() < until) {
      await new Promise((resolve) => window.setTimeout(resolve, 200));
      await time.poll().catch(() => true);
    }
    time.schedule();
    return time;
  }

  private settled(): boolean {
    const view = this.view;
    return !!view && view.role !== "joining" && (view.role === "leader" || view.in_step);
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
  }

  /** The group's time at performance.now() time `perf`. */
  fromPerf(perf: number): number {
    return perf + (this.reading?.offset ?? 0);
  }

  /** The performance.now() time at which the group's clock reads `group`. */
  toPerf(group: number): number {
    return group - (this.reading?.offset ?? 0);
  }

  now(): number {
    return this.fromPerf(performance.now());
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = window.setTimeout(() => {
      this.poll()
        .catch(() => true)
        .finally(() => this.schedule());
    }, POLL_MS);
  }

  /** Reads the group clock; false when there is none. */
  private async poll(): Promise<boolean> {
    let best: Reading | null = null;
    for (let i = 0; i < READINGS; i++) {
      const sent = performance.now();
      const view = await this.backend.groupClock();
      const received = performance.now();
      if (!view) return false;
      this.view = view;
      const reading = { offset: view.clock_ms - (sent + received) / 2, roundTrip: received - sent, at: received };
      if (!best || reading.roundTrip < best.roundTrip) best = reading;
    }
    if (best && this.accepts(best)) {
      const jumped = this.reading && Math.abs(best.offset - this.reading.offset) > JUMP_MS;
      this.reading = best;
      if (jumped) this.onJump();
    }
    return true;
  }

  /** A reading replaces the last unless it is much slower and the last is fresh
   *  (the group clock may slew 5 ms a second; a 2 s old reading is still good). */
  private accepts(r: Reading): boolean {
    const last = this.reading;
    if (!last) return true;
    const fresh = r.at - last.at < 2 * POLL_MS + 500;
    return !(fresh && r.roundTrip > Math.max(2, last.roundTrip * 3));
  }
}
