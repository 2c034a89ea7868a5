import type { Tour, TourStop } from "../backend/types";
import { button, h } from "../ui/dom";
import { icon, type IconName } from "../ui/icons";
import { picture } from "../ui/image";
import { createTourMap, type StopKind } from "../ui/tour-map";
import type { View, ViewContext } from "../view";

const KINDS: StopKind[] = ["industrial_park", "university", "research", "city_centre", "landmark"];

/**
 * The Innovation Zone tour: the map fills the screen, every stop a large marker
 * with its name. Touching a stop opens its card (name, summary, picture, a sample
 * mark, the way to its story scene). The guided tour shows the stops in order, one
 * every `seconds_per_stop`; a touch on the map pauses it where it is (the visitor
 * wants a closer look), the controls resume, step or end it.
 */
export function renderTour(ctx: ViewContext, tour: Tour, startStop: string | undefined): View {
  const { t } = ctx;
  const stops = tour.stops;
  const stepMs = Math.max(3, tour.seconds_per_stop) * 1000;

  let selected = stops.findIndex((s) => s.id === startStop);
  /** Guided mode: null when off. */
  let guide: { playing: boolean; timer: number; endsAt: number; leftMs: number } | null = null;

  const mapWindow = h("div", { class: "tour-window", attrs: { "aria-hidden": "true" } });
  const panel = h("aside", { class: "tour-panel", attrs: { "aria-live": "polite" } });
  const map = createTourMap({
    mapUrl: tour.map_url,
    stops: stops.map((s) => ({ id: s.id, kind: s.kind, x_permille: s.x_permille, y_permille: s.y_permille, name: s.name })),
    window: mapWindow,
    onStop: (id) => {
      pauseGuide();
      select(stops.findIndex((s) => s.id === id));
    },
  });
  // A touch anywhere on the map (a marker included) pauses the guided tour.
  map.el.addEventListener("pointerdown", () => pauseGuide());

  const sampleNote = h(
    "p",
    { class: "tour-map-note", dataset: { testid: "tour-map-note" } },
    icon("map"),
    h("span", { text: t("tour_map_sample") }),
  );

  const el = h(
    "section",
    { class: "screen screen-tour", dataset: { testid: "tour" } },
    map.el,
    h("div", { class: "tour-layout" }, mapWindow, panel),
    sampleNote,
  );

  // --- the panel -----------------------------------------------------------------------

  function overview(): HTMLElement {
    return h(
      "div",
      { class: "tour-overview", dataset: { testid: "tour-overview" } },
      h("p", { class: "tour-kicker" }, icon("map"), h("span", { text: t("tour_kicker") })),
      h("h1", { class: "tour-title", text: tour.title }),
      h("p", { class: "tour-intro", text: tour.intro }),
      button(
        { class: "btn btn-primary tour-guide-start", testid: "tour-guide-start" },
        () => startGuide(),
        icon("play"),
        h("span", { text: t("tour_guided") }),
      ),
      h("p", { class: "tour-hint" }, icon("touch"), h("span", { text: t("tour_hint") })),
      legend(),
    );
  }

  function legend(): HTMLElement {
    const present = KINDS.filter((k) => stops.some((s) => s.kind === k));
    return h(
      "ul",
      { class: "tour-legend", attrs: { "aria-label": t("tour_legend") } },
      ...present.map((k) =>
        h("li", { class: `tour-legend-item kind-${k}` }, h("span", { class: "tour-legend-pin" }, icon(k as IconName)), h("span", { text: t(`tour_kind_${k}`) })),
      ),
    );
  }

  function card(stop: TourStop, index: number): HTMLElement {
    const link = sceneOf(stop);
    const openScene = link
      ? button(
          { class: "btn btn-primary tour-open-scene", testid: "tour-open-scene" },
          () => {
            stopGuide();
            ctx.go({ screen: "chapter", chapterId: link.chapter, scene: link.scene });
          },
          h("span", { text: t("tour_open_story") }),
          icon("arrow"),
        )
      : null;
    const close = guide
      ? null
      : button({ class: "tour-card-close", testid: "tour-card-close", label: t("close") }, () => select(-1), icon("close"));
    return h(
      "article",
      { class: `tour-card kind-${stop.kind}`, dataset: { testid: "tour-card", stopId: stop.id } },
      h(
        "div",
        { class: "tour-card-media" },
        stop.image_url ? picture(stop.image_url, "tour-card-picture") : h("div", { class: "tour-card-emblem" }, icon(stop.kind)),
      ),
      close,
      h(
        "div",
        // Focusable, because larger text or a wordy language may make it scroll.
        { class: "tour-card-text", attrs: { tabindex: "0" } },
        h(
          "div",
          { class: "tour-card-meta" },
          h("span", { class: "tour-card-kind" }, icon(stop.kind), h("span", { text: t(`tour_kind_${stop.kind}`) })),
          h("span", { class: "tour-card-step", text: `${index + 1} / ${stops.length}` }),
        ),
        h("h2", { class: "tour-card-name", dataset: { testid: "tour-card-name" }, text: stop.name }),
        stop.sample ? h("p", { class: "tour-sample", dataset: { testid: "tour-sample" }, text: t("tour_sample") }) : null,
        h("p", { class: "tour-card-summary", text: stop.summary }),
        openScene,
      ),
    );
  }

  function guideControls(): HTMLElement {
    const g = guide!;
    const playPause = g.playing
      ? button({ class: "tour-guide-btn tour-guide-main", testid: "tour-guide-pause", label: t("pause") }, () => pauseGuide(), icon("pause"))
      : button({ class: "tour-guide-btn tour-guide-main", testid: "tour-guide-resume", label: t("play") }, () => resumeGuide(), icon("play"));
    const progress = h(
      "div",
      { class: "tour-guide-steps", attrs: { "aria-hidden": "true" } },
      ...stops.map((_, i) => {
        const step = h("span", { class: i < selected ? "tour-guide-step is-done" : i === selected ? "tour-guide-step is-current" : "tour-guide-step" });
        // The current step fills over its time (not with reduced motion: the mark alone says where the tour is).
        if (i === selected && g.playing && !ctx.reducedMotion) {
          step.append(h("span", { class: "tour-guide-fill", style: { "--fill-ms": `${g.leftMs}ms`, "--fill-from": `${1 - g.leftMs / stepMs}` } }));
        }
        return step;
      }),
    );
    return h(
      "div",
      { class: `tour-guide ${g.playing ? "is-playing" : "is-paused"}`, dataset: { testid: "tour-guide" } },
      progress,
      h(
        "div",
        { class: "tour-guide-buttons" },
        button({ class: "tour-guide-btn", testid: "tour-guide-prev", label: t("previous") }, () => step(-1), icon("prev")),
        playPause,
        button({ class: "tour-guide-btn", testid: "tour-guide-next", label: t("next") }, () => step(1), icon("next")),
        button(
          { class: "tour-guide-btn tour-guide-end", testid: "tour-guide-stop", label: t("tour_guide_end") },
          () => stopGuide(true),
          icon("stop"),
          h("span", { text: t("tour_guide_end") }),
        ),
      ),
    );
  }

  function render(): void {
    const stop = stops[selected];
    map.setActive(stop?.id ?? null);
    el.dataset.stop = stop?.id ?? "";
    el.classList.toggle("is-guided", !!guide);
    // A control of the panel keeps the focus across the new panel (pause becomes resume).
    const focused = panel.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.testid : undefined;
    panel.replaceChildren(...[stop ? card(stop, selected) : overview(), guide ? guideControls() : null].filter((x): x is HTMLElement => !!x));
    watchScroll(panel.querySelector<HTMLElement>(".tour-card-text, .tour-overview"));
    if (focused) {
      const twin = focused === "tour-guide-pause" ? "tour-guide-resume" : focused === "tour-guide-resume" ? "tour-guide-pause" : focused;
      panel.querySelector<HTMLElement>(`[data-testid="${focused}"], [data-testid="${twin}"]`)?.focus({ preventScroll: true });
    }
    ctx.replace({ screen: "tour", stopId: stop?.id });
  }

  function select(index: number): void {
    selected = index >= 0 && index < stops.length ? index : -1;
    if (guide && selected < 0) guide = null;
    render();
  }

  /** Marks the panel's words (the card's, the overview) `has-more` while some of
   *  them are below the fold. */
  const moreObserver = new ResizeObserver((entries) => entries.forEach((e) => markMore(e.target as HTMLElement)));
  function markMore(text: HTMLElement): void {
    text.classList.toggle("has-more", text.scrollTop + text.clientHeight < text.scrollHeight - 2);
  }
  function watchScroll(text: HTMLElement | null): void {
    moreObserver.disconnect();
    if (!text) return;
    moreObserver.observe(text);
    text.addEventListener("scroll", () => markMore(text), { passive: true });
  }

  // --- the guided tour -------------------------------------------------------------------

  function schedule(ms: number): void {
    if (!guide) return;
    window.clearTimeout(guide.timer);
    guide.leftMs = ms;
    guide.endsAt = performance.now() + ms;
    guide.timer = window.setTimeout(() => advance(), ms);
  }

  function advance(): void {
    if (!guide) return;
    if (selected >= stops.length - 1) {
      // The last stop has had its time: the tour is over, its overview again.
      stopGuide(true);
      return;
    }
    selected += 1;
    schedule(stepMs);
    render();
  }

  function startGuide(): void {
    guide = { playing: true, timer: 0, endsAt: 0, leftMs: stepMs };
    selected = Math.max(0, selected);
    schedule(stepMs);
    render();
  }

  function pauseGuide(): void {
    if (!guide?.playing) return;
    window.clearTimeout(guide.timer);
    guide.leftMs = Math.max(0, guide.endsAt - performance.now());
    guide.playing = false;
    render();
  }

  function resumeGuide(): void {
    if (!guide || guide.playing) return;
    guide.playing = true;
    schedule(guide.leftMs > 500 ? guide.leftMs : stepMs);
    render();
  }

  function step(by: number): void {
    if (!guide) return;
    const next = selected + by;
    if (next < 0 || next >= stops.length) return;
    selected = next;
    if (guide.playing) schedule(stepMs);
    else guide.leftMs = stepMs;
    render();
  }

  /** Ends the guided tour, on the stop shown or (`toOverview`) on the overview. */
  function stopGuide(toOverview = false): void {
    if (!guide) return;
    window.clearTimeout(guide.timer);
    guide = null;
    if (toOverview) selected = -1;
    render();
  }

  function sceneOf(stop: TourStop): { chapter: string; scene: number } | null {
    if (!stop.scene) return null;
    const chapter = ctx.content.chapters.find((c) => c.id === stop.scene!.chapter);
    const scene = chapter?.scenes.findIndex((s) => s.id === stop.scene!.scene) ?? -1;
    return chapter && scene >= 0 ? { chapter: chapter.id, scene } : null;
  }

  render();

  return {
    el,
    destroy() {
      if (guide) window.clearTimeout(guide.timer);
      guide = null;
      moreObserver.disconnect();
      map.dispose();
    },
  };
}
