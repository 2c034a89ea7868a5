import type { LocaleInfo } from "../backend/types";
import { button, h } from "../ui/dom";
import { icon } from "../ui/icons";

/**
 * The language sheet: a modal dialog over the screen that lists every language of the
 * pack as a large touch target, each named in its own language and script (with its
 * name in the language shown now beneath, when that differs), the current one marked.
 *
 * Opened by the top bar's language button; closed by choosing, by the close button,
 * by a touch outside the sheet, by Escape, and by the app when the visit ends. While
 * it is open the screen behind it is inert; focus moves into the sheet and returns to
 * the language button when it closes. Under the languages, a switch for larger text.
 */

const LEAVE_MS = 220;
const TITLE_ID = "lang-sheet-title";

export interface LanguageSheetOptions {
  /** Every language offered, in the pack's order. */
  locales: LocaleInfo[];
  /** The tag of the language shown now. */
  current: string;
  /** The word for "language" in every language, by tag (the sheet's title and its
   *  quiet line of the same word in the other languages). */
  languageWords: Map<string, string>;
  /** The words of the interface in the current language. */
  t(key: string): string;
  /** A language was chosen (also when it is the current one). */
  onChoose(tag: string): void;
  /** Whether larger text is on, and the visitor turning it on or off. */
  largeText: boolean;
  onLargeText(on: boolean): void;
  /** The button that opened the sheet, marked expanded while it is open and given
   *  focus back when it closes. Asked each time: the top bar draws it anew when the
   *  language changes. */
  opener(): HTMLElement | null;
}

/** The language sheet of the app: one at a time, shown in the app root. */
export class LanguageSheet {
  private overlay: HTMLElement | null = null;
  private options: LanguageSheetOptions | null = null;

  /**
   * @param host   the element the sheet is shown in (the app root)
   * @param behind the parts of the screen made inert while the sheet is open
   */
  constructor(
    private readonly host: HTMLElement,
    private readonly behind: HTMLElement[],
  ) {}

  /** Shows the sheet over the screen (in place of one already open). */
  open(o: LanguageSheetOptions): void {
    this.close({ returnFocus: false });
    this.options = o;
    const { t } = o;

    const title = h("h2", { class: "lang-sheet-title", attrs: { id: TITLE_ID }, text: t("language") });
    const others = otherWords(o.languageWords, t("language"));
    const close = button(
      { class: "lang-sheet-close", testid: "close-languages", label: t("close") },
      () => this.close(),
      icon("close"),
    );

    const choices = h(
      "div",
      { class: "lang-choices", style: columns(o.locales.length) },
      ...o.locales.map((loc, i) => choice(loc, i, o, () => this.choose(loc.tag))),
    );

    const sheet = h(
      "section",
      {
        class: "lang-sheet",
        dataset: { testid: "language-sheet" },
        attrs: { role: "dialog", "aria-modal": "true", "aria-labelledby": TITLE_ID, tabindex: "-1" },
      },
      h(
        "header",
        { class: "lang-sheet-head" },
        h("span", { class: "lang-sheet-icon" }, icon("globe")),
        h(
          "div",
          { class: "lang-sheet-heading" },
          title,
          others.length
            ? h(
                "p",
                { class: "lang-sheet-others", attrs: { "aria-hidden": "true" } },
                ...others.map(([tag, word]) => h("span", { attrs: { lang: tag }, text: word })),
              )
            : null,
        ),
        close,
      ),
      choices,
      largeTextSwitch(o),
    );

    const overlay = h("div", { class: "lang-sheet-scrim" }, sheet);
    // A touch on the dimmed screen around the sheet closes it.
    overlay.addEventListener("click", (ev) => {
      if (ev.target !== overlay) return;
      ev.preventDefault();
      this.close();
    });
    this.overlay = overlay;
    for (const el of this.behind) el.setAttribute("inert", "");
    this.host.appendChild(overlay);
    document.addEventListener("keydown", this.onKey, true);
    o.opener()?.setAttribute("aria-expanded", "true");
    sheet.focus({ preventScroll: true });
  }

  /** Closes the sheet, if open; focus goes back to the language button unless told not to. */
  close({ returnFocus = true } = {}): void {
    const overlay = this.overlay;
    const options = this.options;
    if (!overlay) return;
    this.overlay = null;
    this.options = null;
    document.removeEventListener("keydown", this.onKey, true);

    // Leaves at once for tests and touches, and fades out for the eye.
    overlay.setAttribute("inert", "");
    overlay.classList.add("is-leaving");
    for (const n of Array.from(overlay.querySelectorAll("[data-testid]"))) n.removeAttribute("data-testid");
    overlay.querySelector(`#${TITLE_ID}`)?.removeAttribute("id");
    window.setTimeout(() => overlay.remove(), LEAVE_MS);

    for (const el of this.behind) el.removeAttribute("inert");
    const opener = options?.opener();
    opener?.setAttribute("aria-expanded", "false");
    if (returnFocus) opener?.focus({ preventScroll: true });
  }

  private choose(tag: string): void {
    const options = this.options;
    if (!options) return;
    // The language first, so that focus returns to the button the new language drew.
    options.onChoose(tag);
    this.close();
  }

  private readonly onKey = (ev: KeyboardEvent) => {
    if (ev.key !== "Escape") return;
    ev.preventDefault();
    this.close();
  };
}

/** One language: its own name in its own script, and its name in the language shown
 *  now (when the engine knows it and it differs). */
function choice(loc: LocaleInfo, index: number, o: LanguageSheetOptions, onTap: () => void): HTMLButtonElement {
  const current = loc.tag === o.current;
  const local = nameIn(o.current, loc.tag, loc.name);
  const b = button(
    {
      class: current ? "lang-choice is-current" : "lang-choice",
      testid: `lang-${loc.tag}`,
      attrs: { lang: loc.tag, "aria-pressed": String(current) },
      style: { "--i": String(index) },
    },
    onTap,
    h(
      "span",
      { class: "lang-choice-text" },
      h("span", { class: "lang-choice-name", text: loc.name }),
      local ? h("span", { class: "lang-choice-local", attrs: { lang: o.current }, text: local }) : null,
    ),
    h("span", { class: "lang-choice-mark" }, icon("check")),
  );
  if (current) b.setAttribute("aria-current", "true");
  return b;
}

/** Larger text, on or off: a wide switch under the languages, where a visitor who
 *  looks for a language of their own also finds it. Pressed while on. */
function largeTextSwitch(o: LanguageSheetOptions): HTMLButtonElement {
  const b = button(
    { class: "text-size", testid: "large-text", attrs: { "aria-pressed": String(o.largeText) } },
    () => {
      const on = b.getAttribute("aria-pressed") !== "true";
      b.setAttribute("aria-pressed", String(on));
      o.onLargeText(on);
    },
    h("span", { class: "text-size-glyph", attrs: { "aria-hidden": "true" } }, h("span", { text: "A" }), h("span", { text: "A" })),
    h("span", { class: "text-size-label", text: o.t("large_text") }),
    h("span", { class: "text-size-switch", attrs: { "aria-hidden": "true" } }, h("span", { class: "text-size-knob" })),
  );
  return b;
}

/** The name of language `tag` in language `shownIn`, or "" when the engine does not
 *  know it or it reads the same as the language's own name. */
function nameIn(shownIn: string, tag: string, ownName: string): string {
  try {
    const name = new Intl.DisplayNames([shownIn], { type: "language", fallback: "none" }).of(tag) ?? "";
    return name && name.toLocaleLowerCase() !== ownName.toLocaleLowerCase() ? name : "";
  } catch {
    return "";
  }
}

/** The word for "language" in the other languages, once each and not the title's. */
function otherWords(words: Map<string, string>, title: string): [string, string][] {
  const seen = new Set([title]);
  const out: [string, string][] = [];
  for (const [tag, word] of words) {
    if (!word || seen.has(word)) continue;
    seen.add(word);
    out.push([tag, word]);
  }
  return out;
}

/** Columns of the choices: up to three side by side on a landscape screen, two on a
 *  portrait one. */
function columns(n: number): Record<string, string> {
  const landscape = n <= 2 ? n : n === 4 ? 2 : 3;
  const portrait = n <= 1 ? 1 : 2;
  return { "--cols-l": String(landscape), "--cols-p": String(portrait) };
}
