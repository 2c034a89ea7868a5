import { h } from "../ui/dom";
import { icon } from "../ui/icons";
import { optionalImg } from "../ui/image";
import { reportMediaError } from "../ui/media-errors";
import { watchVideo } from "../ui/video-watchdog";
import type { View, ViewContext } from "../view";

/**
 * The attract loop: a muted film in a loop over slowly drifting pictures (which carry
 * the screen alone when there is no film or it fails), the brand, and one large line
 * inviting a touch, cycling through every language of the pack. Any touch → home.
 */

const SLIDE_MS = 8000;
const HEADLINE_MS = 3600;

export function renderAttract(ctx: ViewContext, onTouch: () => void): View {
  const base = ctx.contents.find((c) => c.locale === ctx.session.default_locale) ?? ctx.content;
  const timers: number[] = [];

  // Pictures, drifting (Ken Burns); a failed one leaves the rotation.
  const slides = h("div", { class: "attract-slides" });
  const slideEls: HTMLElement[] = [];
  for (const url of base.attract.image_urls) {
    const img = optionalImg(url, "attract-slide", () => {
      const i = slideEls.indexOf(img as HTMLElement);
      if (i >= 0) slideEls.splice(i, 1);
    });
    if (img) {
      slideEls.push(img);
      slides.appendChild(img);
    }
  }
  let slideIndex = -1;
  const nextSlide = () => {
    if (slideEls.length === 0) return;
    slideIndex = (slideIndex + 1) % slideEls.length;
    slideEls.forEach((el, i) => {
      el.classList.toggle("is-active", i === slideIndex);
      if (i === slideIndex) {
        // Alternate the drift so consecutive pictures move differently.
        el.dataset.drift = String(slideIndex % 3);
      }
    });
  };
  nextSlide();
  timers.push(window.setInterval(nextSlide, SLIDE_MS));

  // The film, muted and looping; it fades in once it really plays.
  const media = h("div", { class: "attract-media" }, slides);
  let disposeVideo = () => {};
  const videoUrl = base.attract.video_url;
  if (videoUrl) {
    const video = h("video", { class: "attract-video", attrs: { playsinline: "", "webkit-playsinline": "", preload: "auto", "aria-hidden": "true" } });
    video.muted = true;
    video.defaultMuted = true;
    video.loop = true;
    video.autoplay = true;
    const watchdog = watchVideo(video, (reason) => {
      reportMediaError(videoUrl, reason);
      video.classList.remove("is-playing");
      video.removeAttribute("src");
      video.load();
      video.remove();
    }, { startMs: 10000, stallMs: 8000 });
    video.addEventListener("playing", () => video.classList.add("is-playing"));
    watchdog.expectPlaying(true);
    video.src = videoUrl;
    media.appendChild(video);
    const p = video.play();
    p?.catch((e: unknown) => {
      const name = e instanceof DOMException ? e.name : String(e);
      if (name !== "AbortError") console.warn("[kiosk] attract film: play() refused", name);
    });
    disposeVideo = () => {
      watchdog.dispose();
      video.pause();
      video.removeAttribute("src");
      video.load();
    };
  }

  // The invitation, in every language in turn.
  const lines = ctx.contents.map((c) => {
    const main = c.ui.touch_to_explore || "touch_to_explore";
    const sub = c.attract.headline && c.attract.headline !== main ? c.attract.headline : "";
    return { locale: c.locale, main, sub };
  });
  const headline = h("div", { class: "attract-headline", attrs: { "aria-live": "off" } });
  const lineEls = lines.map((l) =>
    h(
      "div",
      { class: "attract-line", attrs: { lang: l.locale } },
      h("div", { class: "attract-line-main", text: l.main }),
      l.sub ? h("div", { class: "attract-line-sub", text: l.sub }) : null,
    ),
  );
  headline.append(...lineEls);
  const dots = h(
    "div",
    { class: "attract-langs" },
    ...ctx.session.locales
      .filter((l) => lines.some((x) => x.locale === l.tag))
      .map((l) => h("span", { class: "attract-lang", attrs: { lang: l.tag }, dataset: { tag: l.tag }, text: l.name })),
  );
  let lineIndex = -1;
  const nextLine = () => {
    if (lineEls.length === 0) return;
    lineIndex = (lineIndex + 1) % lineEls.length;
    lineEls.forEach((el, i) => el.classList.toggle("is-active", i === lineIndex));
    const tag = lines[lineIndex].locale;
    for (const d of Array.from(dots.children) as HTMLElement[]) d.classList.toggle("is-active", d.dataset.tag === tag);
  };
  nextLine();
  if (lineEls.length > 1) timers.push(window.setInterval(nextLine, HEADLINE_MS));

  const logo = optionalImg(base.brand.logo_url, "attract-logo");
  const brandBlock = h(
    "div",
    { class: "attract-brand" },
    logo,
    h(
      "div",
      { class: "attract-brand-text" },
      h("div", { class: "attract-title", text: base.brand.title }),
      h("div", { class: "attract-tagline", text: base.brand.tagline }),
    ),
  );

  const touch = h(
    "div",
    { class: "attract-touch" },
    h("span", { class: "attract-ring" }),
    h("span", { class: "attract-ring attract-ring-2" }),
    icon("touch", "icon attract-touch-icon"),
  );
  const prompt = h("div", { class: "attract-prompt" }, headline, h("div", { class: "attract-hint" }, touch, dots));

  const el = h(
    "section",
    { class: "screen screen-attract", dataset: { testid: "attract" } },
    media,
    h("div", { class: "attract-shade" }),
    brandBlock,
    prompt,
  );
  el.addEventListener("click", (ev) => {
    ev.preventDefault();
    onTouch();
  });

  return {
    el,
    destroy() {
      timers.forEach((t) => window.clearInterval(t));
      disposeVideo();
    },
  };
}
