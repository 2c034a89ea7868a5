import type { PlayerItem } from "../backend/types";
import { h } from "../ui/dom";
import { describeMediaError } from "../ui/video-watchdog";
import { tourSlide } from "./tour-slide";

/** How long an item may take to become ready before it is skipped. */
const READY_TIMEOUT_MS = 10000;
/** How long a playing film may stand still before it is given up. */
const STALL_MS = 4000;

/**
 * One playlist item on screen: a film, a picture or a card. A slide is built ahead
 * of its turn and is `ready` once its first frame is decoded (a film paused on its
 * first frame, a decoded picture), so showing it costs no more than a repaint.
 */
export interface Slide {
  item: PlayerItem;
  el: HTMLElement;
  /** Resolves when it can be shown; rejects with the reason it cannot. */
  ready: Promise<void>;
  /** The film, for films. */
  video: HTMLVideoElement | null;
  /** Starts playing (films) once it is on screen. */
  start(): void;
  /** A reason once a started film fails or stalls; null while it is fine. */
  failure(): string | null;
  dispose(): void;
}

export interface SlideOptions {
  /** Films with sound play it (signage with sound on); otherwise all are muted. */
  sound: boolean;
  /** A film starts this far in (a screen joining its sync group mid-film); default 0. */
  startAtMs?: number;
}

export function buildSlide(item: PlayerItem, opts: SlideOptions): Slide {
  switch (item.kind) {
    case "video":
      return videoSlide(item, opts);
    case "image":
      return imageSlide(item);
    case "tour":
      return item.tour ? tourSlide(item, item.tour) : cardSlide(item);
    default:
      return cardSlide(item);
  }
}

function withTimeout(p: Promise<void>, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = window.setTimeout(() => reject(new Error(`${what} did not load within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    p.then(
      () => {
        window.clearTimeout(t);
        resolve();
      },
      (e) => {
        window.clearTimeout(t);
        reject(e);
      },
    );
  });
}

function videoSlide(item: PlayerItem, opts: SlideOptions): Slide {
  const video = h("video", {
    class: "slide-video",
    attrs: { playsinline: "", "webkit-playsinline": "", preload: "auto", disablepictureinpicture: "", "aria-hidden": "true" },
  });
  video.muted = !(opts.sound && item.has_audio);
  video.defaultMuted = video.muted;
  const el = h("div", { class: "slide slide-film", dataset: { kind: "video", item: item.id } }, video);

  let failed: string | null = null;
  let lastTime = -1;
  let lastProgressAt = 0;
  let started = false;
  const onError = () => {
    failed ??= describeMediaError(video);
  };
  video.addEventListener("error", onError);

  const startAt = Math.max(0, opts.startAtMs ?? 0) / 1000;
  let atStart = startAt === 0;
  const ready = withTimeout(
    new Promise<void>((resolve, reject) => {
      const done = () => (video.readyState >= 2 && atStart ? resolve() : undefined);
      video.addEventListener("loadeddata", done);
      video.addEventListener("canplay", done);
      if (!atStart) {
        // Decoded where it starts, so that showing it is still one repaint.
        video.addEventListener("loadedmetadata", () => {
          video.currentTime = Math.min(startAt, Math.max(0, video.duration - 0.1));
        }, { once: true });
        video.addEventListener("seeked", () => {
          atStart = true;
          done();
        }, { once: true });
      }
      video.addEventListener("error", () => reject(new Error(describeMediaError(video))), { once: true });
    }),
    "the film",
  );
  video.src = item.url ?? "";
  video.load();

  return {
    item,
    el,
    ready,
    video,
    start() {
      started = true;
      lastProgressAt = performance.now();
      const p = video.play();
      p?.catch((e: unknown) => {
        const name = e instanceof DOMException ? e.name : String(e);
        if (name !== "AbortError") failed ??= `play() refused: ${name}`;
      });
    },
    failure() {
      if (failed || !started || video.ended || video.paused) return failed;
      const now = performance.now();
      if (video.currentTime !== lastTime) {
        lastTime = video.currentTime;
        lastProgressAt = now;
      } else if (now - lastProgressAt > STALL_MS) {
        failed = `stalled: no progress for ${STALL_MS / 1000} s at ${video.currentTime.toFixed(1)} s`;
      }
      return failed;
    },
    dispose() {
      video.removeEventListener("error", onError);
      video.pause();
      video.removeAttribute("src");
      video.load(); // release the decoder and the file
      el.remove();
    },
  };
}

/** The backdrop's size: drawn this small and shown enlarged, it is a soft blur
 *  that costs nothing per frame (a CSS blur filter costs a full-screen pass). */
const BACKDROP_WIDTH = 48;

function imageSlide(item: PlayerItem): Slide {
  const url = item.url ?? "";
  // The picture whole, over a soft enlarged copy of itself: any aspect ratio fills
  // the screen without cropping what matters.
  const back = h("canvas", { class: "slide-image-back", attrs: { "aria-hidden": "true" } });
  const img = h("img", { class: "slide-image", attrs: { alt: "", draggable: "false" } });
  img.src = url;
  const el = h("div", { class: "slide slide-picture", dataset: { kind: "image", item: item.id } }, back, img);
  const ready = withTimeout(
    img.decode().then(
      () => drawBackdrop(back, img),
      () => {
        throw new Error("the picture could not be loaded or decoded");
      },
    ),
    "the picture",
  );
  return { item, el, ready, video: null, start() {}, failure: () => null, dispose: () => el.remove() };
}

function drawBackdrop(canvas: HTMLCanvasElement, img: HTMLImageElement): void {
  const screenRatio = window.innerHeight / Math.max(1, window.innerWidth);
  canvas.width = BACKDROP_WIDTH;
  canvas.height = Math.max(1, Math.round(BACKDROP_WIDTH * screenRatio));
  const g = canvas.getContext("2d");
  if (!g) return;
  const [w, h2] = [img.naturalWidth || canvas.width, img.naturalHeight || canvas.height];
  const scale = Math.max(canvas.width / w, canvas.height / h2);
  g.drawImage(img, (canvas.width - w * scale) / 2, (canvas.height - h2 * scale) / 2, w * scale, h2 * scale);
  g.fillStyle = "rgba(5, 15, 36, 0.45)";
  g.fillRect(0, 0, canvas.width, canvas.height);
}

function cardSlide(item: PlayerItem): Slide {
  const [first, ...others] = item.texts;
  const picture = item.image_url ? h("img", { class: "card-picture", attrs: { alt: "", draggable: "false" } }) : null;
  const text = (t: { locale: string; title: string; kicker: string; body: string; highlights: string[] } | undefined, main: boolean) =>
    t
      ? h(
          "div",
          { class: main ? "card-text card-text-main" : "card-text card-text-second", attrs: { lang: t.locale } },
          t.kicker ? h("div", { class: "card-kicker", text: t.kicker }) : null,
          h("div", { class: "card-title", text: t.title }),
          t.body ? h("p", { class: "card-body", text: t.body }) : null,
          main && t.highlights.length
            ? h("div", { class: "card-chips" }, ...t.highlights.slice(0, 4).map((c) => h("span", { class: "card-chip", text: c })))
            : null,
        )
      : null;
  const qr = item.qr_svg ? h("div", { class: "card-qr" }) : null;
  if (qr && item.qr_svg) qr.innerHTML = item.qr_svg; // an SVG made by the app from its own URL
  const words = h("div", { class: "card-words" }, text(first, true), ...others.map((t) => text(t, false)));
  const el = h(
    "div",
    { class: `slide slide-card card-${item.kind}`, dataset: { kind: item.kind, item: item.id } },
    picture ? h("div", { class: "card-media" }, picture) : null,
    words,
    qr ? h("div", { class: "card-qr-frame" }, qr, h("div", { class: "card-qr-url", text: item.download_url ?? "" })) : null,
  );
  let ready: Promise<void> = Promise.resolve();
  if (picture && item.image_url) {
    picture.src = item.image_url;
    // A card shows without its picture rather than not at all.
    ready = withTimeout(
      picture.decode().catch(() => {
        picture.remove();
      }),
      "the card's picture",
    ).catch(() => picture.remove());
  }
  return { item, el, ready, video: null, start() {}, failure: () => null, dispose: () => el.remove() };
}
