/**
 * Watches a <video> that should be playing and calls `onFail` once when it cannot:
 * an error event (missing file, unsupported codec, decode error) or a playback that
 * does not start / stops advancing. The caller then shows a picture instead, so a
 * screen never stays black.
 */

export interface Watchdog {
  /** Tell the watchdog whether the video is meant to be advancing right now. */
  expectPlaying(on: boolean): void;
  dispose(): void;
}

export interface WatchdogOptions {
  /** How long a requested playback may take to start. */
  startMs?: number;
  /** How long a started playback may stand still. */
  stallMs?: number;
}

const ERROR_NAMES: Record<number, string> = {
  1: "aborted",
  2: "network error",
  3: "decode error",
  4: "source not supported (missing file or codec)",
};

export function describeMediaError(video: HTMLVideoElement): string {
  const err = video.error;
  if (!err) return "error event";
  const name = ERROR_NAMES[err.code] ?? `code ${err.code}`;
  return err.message ? `${name}: ${err.message}` : name;
}

export function watchVideo(
  video: HTMLVideoElement,
  onFail: (reason: string) => void,
  opts: WatchdogOptions = {},
): Watchdog {
  const startMs = opts.startMs ?? 12000;
  const stallMs = opts.stallMs ?? 8000;
  const tick = 1000;
  let failed = false;
  let expecting = false;
  let started = false;
  let still = 0;
  let lastTime = -1;

  const fail = (reason: string) => {
    if (failed) return;
    failed = true;
    dispose();
    onFail(reason);
  };
  const onError = () => fail(describeMediaError(video));
  const onPlaying = () => {
    started = true;
  };

  video.addEventListener("error", onError);
  video.addEventListener("playing", onPlaying);
  const timer = window.setInterval(() => {
    if (!expecting || video.ended || document.hidden) {
      still = 0;
      lastTime = video.currentTime;
      return;
    }
    if (video.currentTime !== lastTime) {
      if (lastTime >= 0 && video.currentTime > lastTime) started = true;
      lastTime = video.currentTime;
      still = 0;
      return;
    }
    still += tick;
    if (still >= (started ? stallMs : startMs)) {
      fail(started ? `playback stalled for ${stallMs / 1000} s` : `playback did not start within ${startMs / 1000} s`);
    }
  }, tick);

  function dispose() {
    window.clearInterval(timer);
    video.removeEventListener("error", onError);
    video.removeEventListener("playing", onPlaying);
  }

  // An error that happened before we were attached (e.g. a 404 on preload).
  if (video.error) queueMicrotask(onError);

  return {
    expectPlaying(on) {
      expecting = on;
      still = 0;
      lastTime = video.currentTime;
    },
    dispose,
  };
}
