/**
 * Calls `onIdle` when nobody has touched the kiosk for `timeoutSecs`. Only input
 * counts as activity: a film left playing by a visitor who walked away does not
 * keep the kiosk from returning to its attract loop.
 */

const ACTIVITY_EVENTS = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel"] as const;

export class IdleTimer {
  private timer = 0;
  private running = false;
  private readonly onActivity = () => this.reset();

  constructor(
    private timeoutSecs: number,
    private readonly onIdle: () => void,
  ) {
    for (const type of ACTIVITY_EVENTS) {
      window.addEventListener(type, this.onActivity, { capture: true, passive: true });
    }
  }

  setTimeout(secs: number): void {
    this.timeoutSecs = secs;
    if (this.running) this.reset();
  }

  /** Start counting (after the attract loop is left). */
  start(): void {
    this.running = true;
    this.reset();
  }

  /** Stop counting (while the attract loop shows). */
  stop(): void {
    this.running = false;
    window.clearTimeout(this.timer);
  }

  reset(): void {
    window.clearTimeout(this.timer);
    if (!this.running) return;
    const ms = Math.max(5, this.timeoutSecs) * 1000;
    this.timer = window.setTimeout(() => {
      this.running = false;
      this.onIdle();
    }, ms);
  }
}
