import type { KioskBackend } from "./backend/backend";
import type { LocalizedContent, Session } from "./backend/types";
import { EventQueue } from "./events";
import { translator } from "./i18n";
import { IdleTimer } from "./idle";
import { h } from "./ui/dom";
import { resetReportedMedia } from "./ui/media-errors";
import type { Route, View, ViewContext } from "./view";
import { renderAttract } from "./views/attract";
import { renderBadge } from "./views/badge";
import { renderBrochures } from "./views/brochures";
import { renderChapter } from "./views/chapter";
import { renderHome } from "./views/home";
import { LanguageSheet } from "./views/language-sheet";
import { renderSignage } from "./views/signage";
import { StaffDoor } from "./views/staff";
import { renderTopbar } from "./views/topbar";
import { renderTour } from "./views/tour";

/** The pack as loaded: the session and the content in each of its languages. */
export interface Pack {
  session: Session;
  contents: Map<string, LocalizedContent>;
}

const LEAVE_MS = 360;

/**
 * The app's state and router: which screen, which language, where "back" leads.
 * It owns the shell (top bar, badge, staff door) and swaps one view at a time.
 */
export class App {
  private route: Route = { screen: "attract" };
  private history: Route[] = [];
  private locale: string;
  private view: View | null = null;

  private readonly viewHost = h("main", { class: "views" });
  private readonly topbarHost = h("div", { class: "topbar-host" });
  private readonly badgeHost = h("div", { class: "badge-host" });
  private readonly staff: StaffDoor;
  private readonly languageSheet: LanguageSheet;
  private readonly idle: IdleTimer;
  private readonly reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  private readonly events: EventQueue;
  /** This visitor's survey answers (survey id → answer id), until the idle reset. */
  private readonly answers = new Map<string, string>();
  /** This visitor asked for larger text, until the idle reset. */
  private largeText = false;

  constructor(
    root: HTMLElement,
    private readonly backend: KioskBackend,
    private pack: Pack,
  ) {
    this.locale = this.defaultLocale();
    this.events = new EventQueue(backend);
    root.addEventListener("pointerdown", (ev) => this.recordTouch(ev), { capture: true, passive: true });
    root.replaceChildren(h("div", { class: "backdrop", attrs: { "aria-hidden": "true" } }), this.viewHost, this.topbarHost, this.badgeHost);
    this.languageSheet = new LanguageSheet(root, [this.viewHost, this.topbarHost, this.badgeHost]);
    this.staff = new StaffDoor(root, {
      backend,
      t: (k) => this.t(k),
      release: () => this.pack.session.release,
    });
    this.idle = new IdleTimer(pack.session.idle_timeout_secs, () => this.onIdle());
  }

  start(): void {
    this.show({ screen: this.signage ? "signage" : "attract" }, "fade");
  }

  private get signage(): boolean {
    return this.pack.session.mode === "signage";
  }

  private recordTouch(ev: PointerEvent): void {
    if (!this.signage) this.backend.soundTouch().catch(() => {});
    this.events.record("touch", {
      screen: this.route.screen,
      x: Math.round(ev.clientX),
      y: Math.round(ev.clientY),
      width: window.innerWidth,
      height: window.innerHeight,
    });
  }

  // --- navigation ------------------------------------------------------------------

  go(route: Route): void {
    if (route.screen === "chapter" && route.chapterId !== this.route.chapterId) {
      this.events.record("chapter_view", { chapter: route.chapterId, locale: this.locale });
    }
    if (this.route.screen !== "attract") this.history.push(this.route);
    this.show(route, "forward");
  }

  back(): void {
    const prev = this.history.pop();
    this.show(prev ?? { screen: "home" }, "backward");
  }

  home(): void {
    this.history = [];
    const from = this.route.screen;
    this.show({ screen: "home" }, from === "home" ? "none" : from === "attract" ? "fade" : "backward");
  }

  setLocale(tag: string): void {
    if (tag === this.locale || !this.pack.contents.has(tag)) return;
    this.events.record("language_choice", { from: this.locale, locale: tag, screen: this.route.screen });
    this.locale = tag;
    this.show(this.route, "none");
  }

  /** The language sheet, over the screen shown. */
  private openLanguages(): void {
    const { session, contents } = this.pack;
    const languageWords = new Map(
      session.locales.map((l) => [l.tag, contents.get(l.tag)?.ui.language ?? ""] as [string, string]),
    );
    this.languageSheet.open({
      locales: session.locales,
      current: this.locale,
      languageWords,
      t: (k) => this.t(k),
      onChoose: (tag) => this.setLocale(tag),
      largeText: this.largeText,
      onLargeText: (on) => this.setLargeText(on),
      opener: () => this.topbarHost.querySelector<HTMLElement>('[data-testid="open-languages"]'),
    });
  }

  /** Larger text for this visitor: every text size grows by the factor in the CSS;
   *  the screen is drawn again so that cards fit their words anew. */
  private setLargeText(on: boolean): void {
    if (on === this.largeText) return;
    this.largeText = on;
    document.documentElement.classList.toggle("large-text", on);
    this.show(this.route, "none");
  }

  private onIdle(): void {
    // The visit's last events first, then the app hears that the next visit begins.
    this.answers.clear();
    void this.events
      .flush()
      .then(() => this.backend.newVisit())
      .catch((e) => console.warn("[kiosk] the app was not told of the new visit", e));
    this.staff.close();
    this.languageSheet.close({ returnFocus: false });
    this.history = [];
    this.locale = this.defaultLocale();
    this.largeText = false;
    document.documentElement.classList.remove("large-text");
    this.show({ screen: "attract" }, "fade");
    void this.refresh();
  }

  /** Re-read the pack while nobody is looking (a new release may have arrived). */
  private async refresh(): Promise<void> {
    try {
      const pack = await loadPack(this.backend);
      if (this.route.screen !== "attract") {
        this.pack = pack;
        return;
      }
      const changed = JSON.stringify([...pack.contents.values()]) !== JSON.stringify([...this.pack.contents.values()]) ||
        JSON.stringify(pack.session) !== JSON.stringify(this.pack.session);
      this.pack = pack;
      this.idle.setTimeout(pack.session.idle_timeout_secs);
      this.locale = this.defaultLocale();
      if (changed) {
        resetReportedMedia();
        this.show({ screen: "attract" }, "none");
      }
    } catch (e) {
      console.warn("[kiosk] could not refresh the pack; keeping the one shown", e);
    }
  }

  // --- rendering -------------------------------------------------------------------

  private get content(): LocalizedContent {
    return this.pack.contents.get(this.locale) ?? this.pack.contents.values().next().value!;
  }

  private t(key: string): string {
    return translator(this.content)(key);
  }

  private defaultLocale(): string {
    const { session, contents } = this.pack;
    if (contents.has(session.default_locale)) return session.default_locale;
    return contents.keys().next().value ?? session.default_locale;
  }

  private context(): ViewContext {
    const { session, contents } = this.pack;
    const ordered = session.locales.map((l) => contents.get(l.tag)).filter((c): c is LocalizedContent => !!c);
    return {
      session,
      content: this.content,
      contents: ordered,
      t: translator(this.content),
      go: (r) => this.go(r),
      replace: (r) => {
        this.route = r;
      },
      reducedMotion: this.reducedMotion.matches,
      backend: this.backend,
      events: this.events,
      surveys: {
        chosen: (surveyId) => this.answers.get(surveyId),
        answer: ({ survey, option, chapter, scene }) => {
          if (this.answers.has(survey)) return;
          this.answers.set(survey, option);
          this.events.record("survey_answer", { survey, option, chapter, scene, locale: this.locale });
          void this.events.flush();
        },
      },
    };
  }

  private renderView(route: Route, ctx: ViewContext): View {
    switch (route.screen) {
      case "attract":
        return renderAttract(ctx, () => this.home());
      case "home":
        return renderHome(ctx);
      case "chapter": {
        const chapter = ctx.content.chapters.find((c) => c.id === route.chapterId);
        if (!chapter) return renderHome(ctx);
        return renderChapter(ctx, chapter, route.scene ?? 0);
      }
      case "brochures":
        return renderBrochures(ctx);
      case "tour":
        return ctx.content.tour ? renderTour(ctx, ctx.content.tour, route.stopId) : renderHome(ctx);
      case "signage":
        return renderSignage(ctx, (playing) => void this.backend.soundDuck(playing).catch(() => {}));
    }
  }

  private show(route: Route, transition: "forward" | "backward" | "fade" | "none"): void {
    if (route.screen === "chapter" && !this.content.chapters.some((c) => c.id === route.chapterId)) {
      route = { screen: "home" };
    }
    if (route.screen === "tour" && !this.content.tour) route = { screen: "home" };
    this.route = route;
    const ctx = this.context();

    document.documentElement.lang = this.locale;
    document.body.dataset.screen = route.screen;

    if (route.screen === "attract" || route.screen === "signage") this.idle.stop();
    else this.idle.start();

    // The old view stops its films now and fades out without hooks or testids.
    const old = this.view;
    if (old) {
      old.destroy?.();
      const el = old.el;
      el.classList.add("view-leaving");
      el.setAttribute("inert", "");
      el.removeAttribute("data-testid");
      for (const n of Array.from(el.querySelectorAll("[data-testid]"))) n.removeAttribute("data-testid");
      if (transition === "none" || ctx.reducedMotion) el.remove();
      else window.setTimeout(() => el.remove(), LEAVE_MS);
    }

    const view = this.renderView(route, ctx);
    view.el.classList.add("view");
    if (transition !== "none" && !ctx.reducedMotion) view.el.classList.add(`view-enter-${transition}`);
    this.view = view;
    this.viewHost.appendChild(view.el);

    this.renderShell(ctx);
  }

  private renderShell(ctx: ViewContext): void {
    const { session, content, t } = ctx;
    if (this.route.screen === "attract" || this.route.screen === "signage") {
      this.topbarHost.replaceChildren();
    } else {
      this.topbarHost.replaceChildren(
        renderTopbar({
          session,
          content,
          t,
          locale: this.locale,
          screen: this.route.screen,
          canGoBack: this.route.screen !== "home",
          onHome: () => this.home(),
          onBack: () => this.back(),
          onBrochures: () => {
            if (this.route.screen !== "brochures") this.go({ screen: "brochures" });
          },
          onLanguages: () => this.openLanguages(),
        }),
      );
    }
    // The player shows its own badge in signage mode.
    const badgeUrl = this.route.screen === "signage" ? "" : content.brand.badge_url;
    if (this.badgeHost.dataset.url !== badgeUrl) {
      this.badgeHost.dataset.url = badgeUrl;
      this.badgeHost.replaceChildren(...(badgeUrl ? [renderBadge(badgeUrl)] : []));
    }
  }
}

/** Reads the session and the content in every language it lists. A language whose
 *  content cannot be read is left out; at least one must load. */
export async function loadPack(backend: KioskBackend): Promise<Pack> {
  const session = await backend.session();
  const results = await Promise.allSettled(session.locales.map((l) => backend.content(l.tag)));
  const contents = new Map<string, LocalizedContent>();
  results.forEach((r, i) => {
    const tag = session.locales[i].tag;
    if (r.status === "fulfilled") contents.set(tag, r.value);
    else console.warn(`[kiosk] content for ${tag} could not be read`, r.reason);
  });
  if (contents.size === 0) throw new Error("no content in any language");
  const locales = session.locales.filter((l) => contents.has(l.tag));
  return { session: { ...session, locales }, contents };
}
