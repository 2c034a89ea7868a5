import type { Brochure } from "../backend/types";
import { h } from "../ui/dom";
import { formatBytes } from "../ui/format";
import { icon } from "../ui/icons";
import { picture } from "../ui/image";
import { qrCode } from "../ui/qr";
import type { View, ViewContext } from "../view";

/** The brochures: each with its cover, title and summary, and a QR code large
 *  enough (≥ 240 px, white quiet zone) for a phone to read from arm's length. */
export function renderBrochures(ctx: ViewContext): View {
  const { content, t } = ctx;
  const header = h(
    "header",
    { class: "brochures-header" },
    h("h1", { class: "brochures-title", text: t("brochures") }),
    h("p", { class: "brochures-hint" }, icon("phone"), h("span", { text: t("brochures_hint") })),
  );
  const grid = h(
    "div",
    // Focusable, because larger text may make it scroll.
    { class: "brochure-grid", dataset: { count: String(content.brochures.length) }, attrs: { tabindex: "0" } },
    ...content.brochures.map((b) => brochureCard(b, content.locale, t)),
  );
  const el = h("section", { class: "screen screen-brochures", dataset: { testid: "brochures" } }, header, grid);
  return { el };
}

function brochureCard(b: Brochure, locale: string, t: (k: string) => string): HTMLElement {
  return h(
    "article",
    { class: "brochure-card", dataset: { testid: "brochure-card", brochureId: b.id } },
    h(
      "div",
      { class: "brochure-info" },
      h(
        "div",
        { class: "brochure-head" },
        picture(b.cover_url, "brochure-cover"),
        h(
          "div",
          { class: "brochure-head-text" },
          h("h2", { class: "brochure-title", text: b.title }),
          h("span", { class: "brochure-size" }, icon("brochure"), h("span", { text: fileLabel(b, locale) })),
        ),
      ),
      h("p", { class: "brochure-summary", text: b.summary }),
    ),
    h(
      "div",
      { class: "brochure-scan" },
      h("div", { class: "brochure-qr-frame" }, withTestId(qrCode(b.qr_svg, "qr brochure-qr"), "brochure-qr")),
      h("span", { class: "brochure-scan-label" }, icon("phone"), h("span", { text: t("scan_to_download") })),
    ),
  );
}

/** "PDF · 2.4 MB": the kind of file (from its name) and its size. */
function fileLabel(b: Brochure, locale: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(b.file_name)?.[1]?.toUpperCase();
  const size = formatBytes(b.size_bytes, locale);
  return ext ? `${ext} · ${size}` : size;
}

function withTestId<T extends HTMLElement>(el: T, id: string): T {
  el.dataset.testid = id;
  return el;
}
