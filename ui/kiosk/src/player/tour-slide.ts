import type { CardText, PlayerItem, PlayerTour } from "../backend/types";
import { append, h } from "../ui/dom";
import { icon } from "../ui/icons";
import { createTourMap } from "../ui/tour-map";
import type { Slide } from "./slide";

/**
 * The tour on a board: the map fills the screen, and each stop in turn, for
 * `stop_ms`, is highlighted on it while its card (name and summary in the screen's
 * languages) stands beside. After the last stop the first comes again, for as long
 * as the item is planned. The tour's title and introduction (which says the map is
 * a sample) head the card column throughout.
 */
export function tourSlide(item: PlayerItem, tour: PlayerTour): Slide {
  const [main] = item.texts;
  const mapWindow = h("div", { class: "tour-slide-window" });
  const map = createTourMap({
    mapUrl: tour.map_url,
    stops: tour.stops.map((s) => ({
      id: s.id,
      kind: s.kind,
      x_permille: s.x_permille,
      y_permille: s.y_permille,
      name: s.texts[0]?.title ?? "",
      lang: s.texts[0]?.locale,
    })),
    window: mapWindow,
  });
  const card = h("div", { class: "tour-slide-card" });
  const el = h(
    "div",
    { class: "slide slide-tour", dataset: { kind: "tour", item: item.id } },
    map.el,
    h(
      "div",
      { class: "tour-slide-layout" },
      mapWindow,
      h(
        "div",
        { class: "tour-slide-side" },
        main
          ? h(
              "header",
              { class: "tour-slide-head", attrs: { lang: main.locale } },
              h("div", { class: "tour-slide-title" }, icon("map"), h("span", { text: main.title })),
              h("p", { class: "tour-slide-intro", text: main.body }),
            )
          : null,
        card,
      ),
    ),
  );

  let index = 0;
  let timer = 0;
  function show(i: number): void {
    index = i % Math.max(1, tour.stops.length);
    const stop = tour.stops[index];
    if (!stop) return;
    map.setActive(stop.id);
    el.dataset.stop = stop.id;
    const [first, ...others] = stop.texts;
    card.replaceChildren();
    append(card, [
      h(
        "div",
        { class: `tour-slide-meta kind-${stop.kind}` },
        h("span", { class: "tour-slide-pin" }, icon(stop.kind)),
        h("span", { class: "tour-slide-step", text: `${index + 1} / ${tour.stops.length}` }),
      ),
      words(first, true),
      ...others.map((t) => words(t, false)),
    ]);
  }

  show(0);
  return {
    item,
    el,
    // The map first: a tour without its map is skipped like a broken picture.
    ready: map.ready.then(() => map.layout()),
    video: null,
    start() {
      const next = () => {
        show(index + 1);
        timer = window.setTimeout(next, tour.stop_ms);
      };
      timer = window.setTimeout(next, tour.stop_ms);
    },
    failure: () => null,
    dispose() {
      window.clearTimeout(timer);
      map.dispose();
      el.remove();
    },
  };
}

function words(t: CardText | undefined, main: boolean): HTMLElement | null {
  if (!t) return null;
  return h(
    "div",
    { class: main ? "tour-slide-words is-main" : "tour-slide-words", attrs: { lang: t.locale } },
    // A sample stop's kicker says so.
    t.kicker ? h("div", { class: "tour-slide-sample", text: t.kicker }) : null,
    h("div", { class: "tour-slide-name", text: t.title }),
    t.body ? h("p", { class: "tour-slide-summary", text: t.body }) : null,
  );
}
