import { PlaylistPlayer } from "../player/playlist-player";
import { h } from "../ui/dom";
import { icon } from "../ui/icons";
import { optionalImg } from "../ui/image";
import type { View, ViewContext } from "../view";

/**
 * The attract loop: the pack's film and its slowly drifting pictures, muted, played by
 * the playlist player (pictures carry the screen alone when the film fails), the
 * brand, and one large line inviting a touch, cycling through every language of the
 * pack. Any touch → home.
 */

const HEADLINE_MS = 3600;

export function renderAttract(ctx: ViewContext, onTouch: () => void): View {
  const base = ctx.contents.find((c) => c.locale === ctx.session.default_locale) ?? ctx.content;
  const timers: number[] = [];

  // The film and the pictures: the same gapless player as the bulletin boards,
  // muted. A film that cannot play leaves the pictures; never a black screen.
  const player = new PlaylistPlayer({ backend: ctx.backend, purpose: "attract", events: null, sound: false });
  const media = h("div", { class: "attract-media" }, player.el);
  void player.start();

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
  const unfit = fitOnOneLine(headline, ".attract-line-main");
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
      unfit();
      player.destroy();
    },
  };
}

/** Keeps each invitation on one line: one that is wider than the headline (a long
 *  language on a portrait screen) is set smaller until it fits. Re-checked when the
 *  screen changes size or the fonts arrive. */
function fitOnOneLine(headline: HTMLElement, selector: string): () => void {
  const fit = () => {
    const room = headline.clientWidth;
    if (room === 0) return;
    for (const el of Array.from(headline.querySelectorAll<HTMLElement>(selector))) {
      el.style.removeProperty("font-size");
      const st = getComputedStyle(el);
      const padding = parseFloat(st.paddingLeft) + parseFloat(st.paddingRight);
      const wide = el.scrollWidth;
      if (wide <= room) continue;
      el.style.fontSize = `${(parseFloat(st.fontSize) * (room - padding)) / (wide - padding)}px`;
    }
  };
  const ro = new ResizeObserver(() => fit());
  ro.observe(headline);
  let alive = true;
  void document.fonts?.ready.then(() => alive && fit());
  return () => {
    alive = false;
    ro.disconnect();
  };
}
