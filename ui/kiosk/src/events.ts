import type { KioskBackend } from "./backend/backend";
import type { KioskEvent } from "./backend/types";

/** Events waiting longer than this are sent together. */
const FLUSH_MS = 400;
/** Kept while the app cannot store them; the oldest go first beyond this. */
const MAX_QUEUED = 2000;

/**
 * Proof of play and interaction events, sent to the app in small batches. The app
 * commits each batch before it answers; a batch it could not store is kept and sent
 * again with the next one, so nothing is lost to a busy moment.
 */
export class EventQueue {
  private queue: KioskEvent[] = [];
  private timer = 0;
  private sending = false;

  constructor(private readonly backend: KioskBackend) {}

  record(kind: KioskEvent["kind"], data: Record<string, unknown>): void {
    this.queue.push({ kind, data });
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
    if (!this.timer) this.timer = window.setTimeout(() => void this.flush(), FLUSH_MS);
  }

  async flush(): Promise<void> {
    window.clearTimeout(this.timer);
    this.timer = 0;
    if (this.sending || this.queue.length === 0) return;
    this.sending = true;
    const batch = this.queue.splice(0, this.queue.length);
    try {
      await this.backend.recordEvents(batch);
    } catch (e) {
      console.warn("[kiosk] events not stored yet; retrying", e);
      this.queue.unshift(...batch);
      this.timer = window.setTimeout(() => void this.flush(), FLUSH_MS * 5);
    } finally {
      this.sending = false;
    }
    if (this.queue.length && !this.timer) this.timer = window.setTimeout(() => void this.flush(), FLUSH_MS);
  }
}
