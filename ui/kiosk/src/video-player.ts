import { button, h } from "./ui/dom";
import { formatTime } from "./ui/format";
import { icon } from "./ui/icons";
import { picture } from "./ui/image";
import { reportMediaError } from "./ui/media-errors";
import { watchVideo } from "./ui/video-watchdog";

/** How long the controls stay up once a film plays without being touched. */
const CONTROLS_HIDE_MS = 3000;

/**
 * A scene film with big touch controls: play/pause, a progress bar you can drag, and
 * the current time and duration. The scene image is the poster and stays underneath,
 * so a film that cannot play (error or stall) leaves the picture and a short notice
 * (content.ui.video_unavailable) — never a black box.
 */

export interface VideoPlayerOptions {
  src: string;
  poster: string | null;
  t: (key: string) => string;
}

export interface VideoPlayer {
  el: HTMLElement;
  pause(): void;
  destroy(): void;
}

type State = "ready" | "playing" | "paused" | "ended" | "failed";

export function createVideoPlayer(opts: VideoPlayerOptions): VideoPlayer {
  const { src, poster, t } = opts;

  const video = h("video", {
    class: "player-video",
    dataset: { testid: "scene-video" },
    attrs: { playsinline: "", "webkit-playsinline": "", preload: "metadata", disablepictureinpicture: "", controlslist: "nodownload nofullscreen noremoteplayback" },
  });
  if (poster) video.poster = poster;

  const bigPlay = button({ class: "player-bigplay", label: t("play") }, () => toggle(), icon("play"));

  const toggleIcon = h("span", { class: "player-toggle-icon" }, icon("play"));
  const toggleBtn = button({ class: "player-toggle", testid: "video-play", label: t("play") }, () => toggle(), toggleIcon);

  const fill = h("div", { class: "player-fill" });
  const thumb = h("div", { class: "player-thumb" });
  const track = h("div", { class: "player-track" }, fill, thumb);
  const progress = h("div", { class: "player-progress", attrs: { role: "slider", "aria-label": t("video_position"), "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" } }, track);
  const timeNow = h("span", { class: "player-time-now", text: "0:00" });
  const timeTotal = h("span", { class: "player-time-total", text: "0:00" });
  const time = h("div", { class: "player-time" }, timeNow, h("span", { class: "player-time-sep", text: "/" }), timeTotal);
  const controls = h("div", { class: "player-controls" }, toggleBtn, progress, time);

  const notice = h("div", { class: "player-notice" }, icon("film"), h("span", { text: t("video_unavailable") }));

  const el = h("div", { class: "player", dataset: { state: "ready" } }, picture(poster, "player-poster"), video, bigPlay, controls, notice);

  // While the film plays, the controls step aside after a few seconds so they do not
  // cover its captions; a touch on the film brings them back.
  let hideTimer = 0;
  const showControls = () => {
    el.classList.remove("controls-hidden");
    window.clearTimeout(hideTimer);
    if (state === "playing") hideTimer = window.setTimeout(() => el.classList.add("controls-hidden"), CONTROLS_HIDE_MS);
  };
  el.addEventListener("pointerdown", (e) => {
    if (el.classList.contains("controls-hidden")) {
      e.stopPropagation();
      e.preventDefault();
    }
    showControls();
  }, { capture: true });

  let state: State = "ready";
  const setState = (s: State) => {
    state = s;
    el.dataset.state = s;
    showControls();
    const playing = s === "playing";
    toggleIcon.replaceChildren(icon(playing ? "pause" : "play"));
    toggleBtn.setAttribute("aria-label", t(playing ? "pause" : "play"));
    toggleBtn.setAttribute("aria-pressed", String(playing));
  };

  const watchdog = watchVideo(video, (reason) => {
    reportMediaError(src, reason);
    try {
      video.pause();
    } catch {
      /* already unusable */
    }
    setState("failed");
  });

  function toggle() {
    if (state === "failed") return;
    if (state === "playing") {
      video.pause();
      return;
    }
    if (state === "ended") video.currentTime = 0;
    watchdog.expectPlaying(true);
    el.classList.add("has-started");
    const p = video.play();
    if (p) {
      p.catch((e: unknown) => {
        const name = e instanceof DOMException ? e.name : "";
        if (name === "AbortError") return; // paused or re-sourced meanwhile
        watchdog.expectPlaying(false);
        if (state !== "failed") {
          reportMediaError(src, `play() refused: ${name || String(e)}`);
          setState("failed");
        }
      });
    }
  }

  const updateTime = () => {
    const d = Number.isFinite(video.duration) ? video.duration : 0;
    const c = video.currentTime;
    timeNow.textContent = formatTime(c);
    timeTotal.textContent = formatTime(d);
    const pct = d > 0 ? Math.min(100, (c / d) * 100) : 0;
    fill.style.width = `${pct}%`;
    thumb.style.left = `${pct}%`;
    progress.setAttribute("aria-valuenow", String(Math.round(pct)));
  };

  video.addEventListener("loadedmetadata", updateTime);
  video.addEventListener("durationchange", updateTime);
  video.addEventListener("timeupdate", updateTime);
  video.addEventListener("playing", () => setState("playing"));
  video.addEventListener("pause", () => {
    if (state === "failed" || video.ended) return;
    watchdog.expectPlaying(false);
    setState("paused");
  });
  video.addEventListener("ended", () => {
    watchdog.expectPlaying(false);
    setState("ended");
  });

  // Drag (or tap) along the bar to seek.
  let scrubbing = false;
  const seekTo = (clientX: number) => {
    const d = video.duration;
    if (!Number.isFinite(d) || d <= 0) return;
    const r = track.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (clientX - r.left) / r.width));
    video.currentTime = x * d;
    updateTime();
  };
  progress.addEventListener("pointerdown", (ev) => {
    if (state === "failed") return;
    scrubbing = true;
    el.classList.add("is-scrubbing");
    progress.setPointerCapture(ev.pointerId);
    seekTo(ev.clientX);
  });
  progress.addEventListener("pointermove", (ev) => {
    if (scrubbing) seekTo(ev.clientX);
  });
  const endScrub = () => {
    scrubbing = false;
    el.classList.remove("is-scrubbing");
  };
  progress.addEventListener("pointerup", endScrub);
  progress.addEventListener("pointercancel", endScrub);

  video.src = src;
  setState("ready");

  return {
    el,
    pause() {
      if (state === "playing") video.pause();
    },
    destroy() {
      window.clearTimeout(hideTimer);
      watchdog.dispose();
      video.pause();
      video.removeAttribute("src");
      video.load(); // release the decoder and the file
    },
  };
}
