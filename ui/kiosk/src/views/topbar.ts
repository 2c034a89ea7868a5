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
  onLocale(tag: string): void;
}

/** The glassy bar on every screen but the attract loop: home, back, brochures and
 *  one button per language, each named in its own language. */
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

  const langs = h("div", {
    class: "lang-switch",
    attrs: { role: "group", "aria-label": t("language") },
    dataset: { count: String(o.session.locales.length) },
  });
  langs.appendChild(h("span", { class: "lang-icon", attrs: { title: t("language") } }, icon("globe")));
  for (const loc of o.session.locales) {
    const active = loc.tag === o.locale;
    const b = button(
      { class: "lang-btn", testid: `lang-${loc.tag}`, attrs: { lang: loc.tag, "aria-pressed": String(active) } },
      () => o.onLocale(loc.tag),
      loc.name,
    );
    if (active) b.classList.add("is-active");
    langs.appendChild(b);
  }

  return h(
    "header",
    { class: "topbar" },
    logo,
    h("nav", { class: "topbar-nav" }, home, back),
    h("div", { class: "topbar-spacer" }),
    brochures,
    langs,
    h("div", { class: "topbar-badge-space" }),
  );
}
