/**
 * Time as the screen sees it: one callback per presented frame (requestAnimationFrame),
 * the frame interval, and for each film the last frame it presented
 * (requestVideoFrameCallback where the webview has it, otherwise a change of
 * currentTime seen at a frame).
 */

export interface PresentedFrame {
  /** When it was presented (performance.now() time base). */
  presentedAt: number;
  /** Its position in the film, in seconds. */
  mediaTime: number;
  /** How long it stays, in milliseconds (the film's frame length). */
  duration: number;
}

interface FrameCallbackMetadata {
  expectedDisplayTime: number;
  mediaTime: number;
  presentedFrames: number;
}

type VideoWithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?(cb: (now: number, meta: FrameCallbackMetadata) => void): number;
};

const DEFAULT_FILM_FRAME_MS = 1000 / 30;

/** How a film's frames reached the screen while it was watched. */
export interface FilmFrames {
  /** Frames presented. */
  presented: number;
  /** Frames the film has over the same stretch (its frame length from the shortest step seen). */
  expected: number;
}

interface FilmTally {
  presented: number;
  firstMedia: number;
  lastMedia: number;
  shortestStep: number;
}

export class FrameClock {
  private raf = 0;
  private last = 0;
  private readonly deltas: number[] = [];
  private onFrame: (ts: number) => void = () => {};
  private waiting: ((ts: number) => void)[] = [];
  private readonly films = new WeakMap<HTMLVideoElement, PresentedFrame>();
  private readonly polled = new Set<HTMLVideoElement>();
  private readonly tallies = new WeakMap<HTMLVideoElement, FilmTally>();

  start(onFrame: (ts: number) => void): void {
    this.onFrame = onFrame;
    const loop = (ts: number) => {
      if (this.last) {
        this.deltas.push(ts - this.last);
        if (this.deltas.length > 60) this.deltas.shift();
      }
      this.last = ts;
      const waiting = this.waiting;
      this.waiting = [];
      waiting.forEach((cb) => cb(ts));
      this.pollFilms(ts);
      this.onFrame(ts);
      this.raf = requestAnimationFrame(loop);
    };
    this.raf = requestAnimationFrame(loop);
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
    this.waiting = [];
    this.polled.clear();
  }

  /** The usual time between presented frames (median of the last second). */
  get interval(): number {
    if (this.deltas.length < 5) return 1000 / 60;
    const sorted = [...this.deltas].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  /** Calls `cb` at the next presented frame: the first that shows a change made now. */
  afterNextFrame(cb: (ts: number) => void): void {
    this.waiting.push(cb);
  }

  /** How films are timed here. */
  method(video: HTMLVideoElement | null): "video-frame-callback" | "animation-frame" {
    return video && (video as VideoWithFrames).requestVideoFrameCallback ? "video-frame-callback" : "animation-frame";
  }

  /** The last frame `video` presented; starts watching it on first use. */
  lastFrameOf(video: HTMLVideoElement): PresentedFrame | undefined {
    if (!this.films.has(video) && !this.polled.has(video)) this.watch(video);
    return this.films.get(video);
  }

  /** Frames presented against frames expected, for a watched film. */
  framesOf(video: HTMLVideoElement): FilmFrames | null {
    const t = this.tallies.get(video);
    if (!t || t.presented < 2 || !Number.isFinite(t.shortestStep)) return null;
    const expected = Math.round((t.lastMedia - t.firstMedia) / t.shortestStep) + 1;
    return { presented: t.presented, expected: Math.max(expected, t.presented) };
  }

  private tally(video: HTMLVideoElement, mediaTime: number): void {
    const t = this.tallies.get(video);
    if (!t) {
      this.tallies.set(video, { presented: 1, firstMedia: mediaTime, lastMedia: mediaTime, shortestStep: Infinity });
      return;
    }
    const step = mediaTime - t.lastMedia;
    if (step > 0.001) t.shortestStep = Math.min(t.shortestStep, step);
    if (step > 0) t.presented += 1;
    t.lastMedia = Math.max(t.lastMedia, mediaTime);
  }

  private watch(video: HTMLVideoElement): void {
    const v = video as VideoWithFrames;
    if (!v.requestVideoFrameCallback) {
      this.polled.add(video);
      return;
    }
    let previous: { mediaTime: number; presentedFrames: number } | null = null;
    const onVideoFrame = (now: number, meta: FrameCallbackMetadata) => {
      const known = this.films.get(video);
      let duration = known?.duration ?? DEFAULT_FILM_FRAME_MS;
      if (previous && meta.presentedFrames === previous.presentedFrames + 1 && meta.mediaTime > previous.mediaTime) {
        duration = (meta.mediaTime - previous.mediaTime) * 1000;
      }
      previous = { mediaTime: meta.mediaTime, presentedFrames: meta.presentedFrames };
      this.tally(video, meta.mediaTime);
      this.films.set(video, { presentedAt: meta.expectedDisplayTime || now, mediaTime: meta.mediaTime, duration });
      if (video.isConnected) v.requestVideoFrameCallback!(onVideoFrame);
    };
    v.requestVideoFrameCallback(onVideoFrame);
    this.films.set(video, { presentedAt: performance.now(), mediaTime: video.currentTime, duration: DEFAULT_FILM_FRAME_MS });
  }

  private pollFilms(ts: number): void {
    for (const video of this.polled) {
      if (!video.isConnected) {
        this.polled.delete(video);
        continue;
      }
      const known = this.films.get(video);
      if (!known || known.mediaTime !== video.currentTime) {
        const duration =
          known && video.currentTime > known.mediaTime ? Math.min(100, (video.currentTime - known.mediaTime) * 1000) : DEFAULT_FILM_FRAME_MS;
        this.films.set(video, { presentedAt: ts, mediaTime: video.currentTime, duration });
        this.tally(video, video.currentTime);
      }
    }
  }
}
