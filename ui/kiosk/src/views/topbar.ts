import type { LocalizedContent, Session } from "../backend/types";
import { button, h } from "../ui/dom";
import { icon } from "../ui/icons";
import { optionalImg } from "../ui/image";
import type { ScreenName } from "../view";

export interface TopbarOptions {
  session: Session;
  content: LocalizedContent;
  locale: string;
  screen: ScreenName;
  canGoBack: boolean;
  t(key: string): string;
  onHome(): void;
  onBack(): void;
  onBrochures(): void;
  /** The language button was touched: open the language sheet. */
  onLanguages(): void;
}

/** The glassy bar on every screen but the attract loop: home, back, brochures and
 *  the language button (a globe and the current language's own name), which opens
 *  the language sheet. With a single language there is nothing to choose, and no
 *  button. */
export function renderTopbar(o: TopbarOptions): HTMLElement {
  const { t } = o;
  const logo = h("div", { class: "topbar-logo" });
  const img = optionalImg(o.content.brand.logo_url, "topbar-logo-img", () => logo.classList.add("is-missing"));
  if (img) logo.appendChild(img);

  const home = button(
    { class: "tb-btn", testid: "go-home", label: t("home") },
    o.onHome,
    icon("home"),
    h("span", { class: "tb-label", text: t("home") }),
  );
  if (o.screen === "home") home.setAttribute("aria-current", "page");

  const back = button(
    { class: "tb-btn", testid: "go-back", label: t("back") },
    o.onBack,
    icon("back"),
    h("span", { class: "tb-label", text: t("back") }),
  );
  back.disabled = !o.canGoBack;

  const brochures = button(
    { class: "tb-btn tb-btn-accent", testid: "open-brochures", label: t("brochures") },
    o.onBrochures,
    icon("brochure"),
    h("span", { class: "tb-label", text: t("brochures") }),
  );
  if (o.screen === "brochures") brochures.setAttribute("aria-current", "page");

  return h(
    "header",
    { class: "topbar" },
    logo,
    h("nav", { class: "topbar-nav" }, home, back),
    h("div", { class: "topbar-spacer" }),
    brochures,
    languageButton(o),
    h("div", { class: "topbar-badge-space" }),
  );
}

/** The globe and the current language's own name, in that language's script. */
function languageButton(o: TopbarOptions): HTMLButtonElement | null {
  if (o.session.locales.length < 2) return null;
  const current = o.session.locales.find((l) => l.tag === o.locale);
  const name = current?.name ?? o.locale;
  return button(
    {
      class: "tb-btn lang-open",
      testid: "open-languages",
      label: `${o.t("language")}: ${name}`,
      attrs: { "aria-haspopup": "dialog", "aria-expanded": "false" },
    },
    o.onLanguages,
    icon("globe"),
    h("span", { class: "lang-open-name", attrs: { lang: o.locale }, text: name }),
    icon("expand", "icon lang-open-more"),
  );
}
