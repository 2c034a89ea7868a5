import type { FrameClock } from "./frame-clock";
import { FrameLog } from "./frame-log";
import type { GroupTime } from "./group-time";

/**
 * Keeps a film on the group's timeline: the frame it presents should be the one
 * the group's clock says, so every screen of the group shows the same frame.
 *
 * Each presented frame is compared with where the film should be; once a
 * second, the median of the last second's differences decides. Within two
 * display frames: nothing. Further, up to a second: a small change of speed (at
 * most 5 %) that closes the difference in about two seconds, then back to
 * normal speed. Further still (a film that stalled): one seek to where the film
 * should be.
 *
 * Where the engine changes speed by seeking, as WebKitGTK does (measured here:
 * each change froze the film for 0.2 to 0.4 s, a jump worse than the difference
 * it corrected), speed is left alone: films start on their turn's first frame on
 * every screen and run on one clock, and only a stalled film is moved.
 */

/** Differences kept: about a second of a 30 fps film. */
const WINDOW = 30;
/** Frames needed before acting, and the time between actions. */
const MIN_FRAMES = 10;
const ACT_EVERY_MS = 1000;
/** Beyond this, seek; below, change speed. */
const SEEK_OVER_MS = 1000;
/** Whether this engine changes a film's speed without a seek (Chromium does;
 *  WebKitGTK's GStreamer player seeks). */
const SMOOTH_SPEED = !/AppleWebKit/.test(navigator.userAgent) || /Chrome\//.test(navigator.userAgent);
/** A difference is closed over this long. */
const CLOSE_OVER_MS = 2000;
const MAX_RATE_CHANGE = 0.05;
/** How long a seek takes to show, added to where it goes. */
const SEEK_LEAD_MS = 120;
/** Near its end a film is left alone: the next item's start is exact anyway. */
const LEAVE_LAST_MS = 1000;

export class FilmFollower {
  private differences: number[] = [];
  private lastMedia = -1;
  private lastAction: number;

  constructor(
    private readonly video: HTMLVideoElement,
    /** Where the film's start is on the group's timeline (group ms). */
    private readonly filmStart: number,
    private readonly time: GroupTime,
    private readonly frames: FrameClock,
    private readonly log: { record: FrameLog; slot: number; item: string } | null,
  ) {
    this.lastAction = performance.now();
  }

  /** At each frame the page presents. */
  onTick(ts: number): void {
    const video = this.video;
    const last = this.frames.lastFrameOf(video);
    if (!last || last.mediaTime === this.lastMedia) return;
    this.lastMedia = last.mediaTime;
    const wall = FrameLog.wall(last.presentedAt);
    this.log?.record.add({ kind: "frame", slot: this.log.slot, item: this.log.item, wall, media: last.mediaTime });
    if (video.paused || video.seeking || video.ended) return;
    // Presented at its right time, a frame's media time is up to one display
    // frame behind the timeline; half a frame centres the difference on zero.
    const due = this.time.fromPerf(last.presentedAt) - this.filmStart;
    this.differences.push(last.mediaTime * 1000 - due + this.frames.interval / 2);
    if (this.differences.length > WINDOW) this.differences.shift();
    if (ts - this.lastAction < ACT_EVERY_MS || this.differences.length < MIN_FRAMES) return;
    const ahead = median(this.differences);
    if (Number.isFinite(video.duration) && video.duration * 1000 - last.mediaTime * 1000 < LEAVE_LAST_MS) return;
    this.act(ahead, ts);
  }

  private act(ahead: number, ts: number): void {
    const video = this.video;
    let rate = 1;
    if (Math.abs(ahead) >= SEEK_OVER_MS) {
      video.currentTime = Math.max(0, (this.time.now() - this.filmStart + SEEK_LEAD_MS) / 1000);
      this.note("seek", 1, ahead);
    } else if (SMOOTH_SPEED && Math.abs(ahead) > this.frames.interval * 2) {
      const change = Math.max(-MAX_RATE_CHANGE, Math.min(MAX_RATE_CHANGE, -ahead / CLOSE_OVER_MS));
      rate = Math.round((1 + change) * 1000) / 1000;
    }
    if (Math.abs(video.playbackRate - rate) >= 0.001) {
      video.playbackRate = rate;
      this.note("rate", rate, ahead);
    } else if (rate === 1 && Math.abs(ahead) < SEEK_OVER_MS) {
      return; // in step, nothing done: keep the differences
    }
    this.differences = [];
    this.lastAction = ts;
  }

  private note(kind: "rate" | "seek", rate: number, ahead: number): void {
    if (!this.log) return;
    this.log.record.add({ kind, slot: this.log.slot, item: this.log.item, wall: FrameLog.wall(performance.now()), rate, error_ms: Math.round(ahead * 10) / 10 });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
