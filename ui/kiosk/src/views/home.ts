import type { Chapter, Social, Tour } from "../backend/types";
import { button, h } from "../ui/dom";
import { ordinal } from "../ui/format";
import { icon } from "../ui/icons";
import { optionalImg, picture } from "../ui/image";
import { fitCards } from "../ui/fit";
import { qrCode } from "../ui/qr";
import type { View, ViewContext } from "../view";

/** Home: the brand, the chapters as cards, the way to the brochures and a small
 *  strip of social channels (hashtags and QR cards). */
export function renderHome(ctx: ViewContext): View {
  const { content, t } = ctx;

  const logo = optionalImg(content.brand.logo_url, "home-logo");
  const first = content.chapters[0];
  const start = first
    ? button(
        { class: "btn btn-primary home-start", testid: "home-start" },
        () => ctx.go({ screen: "chapter", chapterId: first.id, scene: 0 }),
        h("span", { text: t("start") }),
        icon("arrow"),
      )
    : null;

  const brand = h(
    "div",
    { class: "home-brand" },
    logo,
    h("h1", { class: "home-title", text: content.brand.title }),
    h("p", { class: "home-tagline", text: content.brand.tagline }),
    start,
  );

  // The chapters, then the brochures as the last (gold) tile of the same grid.
  const tiles = [
    ...content.chapters.map((c, i) => chapterCard(c, i, () => ctx.go({ screen: "chapter", chapterId: c.id, scene: 0 }))),
    brochuresTile(t, () => ctx.go({ screen: "brochures" })),
  ];
  const grid = h("div", { class: "chapter-grid" }, ...tiles);
  const n = tiles.length;
  const landscapeCols = n <= 2 ? n : n <= 4 ? 2 : n <= 6 ? 3 : 4;
  const portraitCols = n <= 1 ? 1 : n <= 8 ? 2 : 3;
  grid.style.setProperty("--cols-l", String(landscapeCols));
  grid.style.setProperty("--rows-l", String(Math.ceil(n / landscapeCols)));
  grid.style.setProperty("--cols-p", String(portraitCols));
  grid.style.setProperty("--rows-p", String(Math.ceil(n / portraitCols)));

  // The tour, when the pack has one: a wide map banner under the cards.
  const tour = content.tour ? tourTile(content.tour, t, () => ctx.go({ screen: "tour" })) : null;
  const chapters = h(
    "section",
    { class: tour ? "home-chapters has-tour" : "home-chapters" },
    h("h2", { class: "section-title", text: t("chapters") }),
    grid,
    tour,
  );

  const el = h(
    "section",
    { class: "screen screen-home", dataset: { testid: "home" } },
    brand,
    chapters,
    socialStrip(content.social, t),
  );
  const unfit = fitCards(grid, ".chapter-card-body");
  return { el, destroy: unfit };
}

function brochuresTile(t: (k: string) => string, onOpen: () => void): HTMLElement {
  return button(
    { class: "brochures-tile", testid: "home-brochures" },
    onOpen,
    h("span", { class: "brochures-tile-icon" }, icon("brochure")),
    h(
      "span",
      { class: "brochures-tile-text" },
      h("span", { class: "brochures-tile-title", text: t("brochures") }),
      h("span", { class: "brochures-tile-hint", text: t("brochures_hint") }),
    ),
    h("span", { class: "brochures-tile-go" }, icon("phone"), icon("arrow")),
  );
}

function tourTile(tour: Tour, t: (k: string) => string, onOpen: () => void): HTMLElement {
  return button(
    { class: "tour-tile", testid: "home-tour" },
    onOpen,
    picture(tour.map_url, "tour-tile-map"),
    h("span", { class: "tour-tile-shade" }),
    h("span", { class: "tour-tile-icon" }, icon("map")),
    h(
      "span",
      { class: "tour-tile-text" },
      h("span", { class: "tour-tile-title", text: tour.title }),
      h("span", { class: "tour-tile-hint", text: t("tour_tile_hint") }),
    ),
    h("span", { class: "tour-tile-go" }, icon("arrow")),
  );
}

function chapterCard(c: Chapter, index: number, onOpen: () => void): HTMLElement {
  const card = button(
    {
      class: "chapter-card",
      testid: "chapter-card",
      dataset: { chapterId: c.id },
      style: c.accent ? { "--accent": c.accent } : {},
    },
    onOpen,
    picture(c.cover_url, "chapter-card-cover"),
    h("span", { class: "chapter-card-shade" }),
    h(
      "span",
      { class: "chapter-card-body" },
      h("span", { class: "chapter-card-num", text: ordinal(index + 1) }),
      h("span", { class: "chapter-card-title", text: c.title }),
      h("span", { class: "chapter-card-summary", text: c.summary }),
    ),
    h("span", { class: "chapter-card-go" }, icon("arrow")),
  );
  return card;
}

function socialStrip(social: Social, t: (k: string) => string): HTMLElement | null {
  if (social.hashtags.length === 0 && social.channels.length === 0) return null;
  return h(
    "section",
    { class: "home-social" },
    h(
      "div",
      { class: "home-social-intro" },
      h("h2", { class: "home-social-title", text: t("social") }),
      h("div", { class: "hashtags" }, ...social.hashtags.map((tag) => h("span", { class: "hashtag", text: tag }))),
    ),
    h(
      "div",
      { class: "social-cards" },
      ...social.channels.map((ch) =>
        h(
          "div",
          { class: "social-card", attrs: { "aria-label": `${ch.name} ${ch.handle}` } },
          qrCode(ch.qr_svg, "qr social-qr"),
          h("span", { class: "social-card-name", text: ch.name }),
        ),
      ),
    ),
  );
}
