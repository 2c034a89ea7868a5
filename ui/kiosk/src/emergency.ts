import type { KioskBackend } from "./backend/backend";
import type { EmergencyView } from "./backend/types";
import { h } from "./ui/dom";
import { icon } from "./ui/icons";

/** How often the app is asked; an emergency message is up within this. */
const POLL_MS = 500;

/**
 * An emergency message over everything (the attract loop, a visitor's chapter,
 * a signage playlist, even the boot screen): the app verified its signature and
 * keeps it across restarts; this shows it while it is up, in every language it
 * came in, and takes it down when it is withdrawn or expires. Films are muted and
 * the music bed ducked while it shows.
 */
export class EmergencyBanner {
  private readonly el = h("div", {
    class: "emergency",
    dataset: { testid: "emergency" },
    attrs: { role: "alert", "aria-live": "assertive", hidden: "" },
  });
  private shown = "";

  constructor(
    host: HTMLElement,
    private readonly backend: KioskBackend,
  ) {
    host.append(this.el);
  }

  start(): void {
    const tick = async () => {
      try {
        this.render(await this.backend.emergency());
      } catch (e) {
        console.warn("[kiosk] emergency status", e);
      }
      setTimeout(tick, POLL_MS);
    };
    void tick();
  }

  /** Silences every film playing or about to play, remembering which it silenced. */
  private muteFilms(): void {
    for (const video of document.querySelectorAll("video")) {
      if (video.muted) continue;
      video.muted = true;
      video.dataset.emergencyMuted = "1";
    }
  }

  /** Gives back their sound to the films this banner silenced. */
  private unmuteFilms(): void {
    for (const video of document.querySelectorAll<HTMLVideoElement>("video[data-emergency-muted]")) {
      video.muted = false;
      delete video.dataset.emergencyMuted;
    }
  }

  private render(view: EmergencyView | null): void {
    const key = view ? `${view.issued_at}` : "";
    if (view) this.muteFilms();
    if (key === this.shown) return;
    const was = this.shown !== "";
    this.shown = key;
    if (!view) {
      this.el.hidden = true;
      this.el.replaceChildren();
      delete document.body.dataset.emergency;
      if (was) {
        this.unmuteFilms();
        this.backend.soundDuck(false).catch(() => {});
      }
      return;
    }
    const [first, ...rest] = view.lines;
    this.el.replaceChildren(
      h("div", { class: "emergency__band", attrs: { "aria-hidden": "true" } }),
      h(
        "div",
        { class: "emergency__card" },
        h("div", { class: "emergency__icon" }, icon("alert")),
        h(
          "div",
          { class: "emergency__words" },
          first ? h("p", { class: "emergency__main", attrs: { lang: first.locale }, text: first.text }) : null,
          ...rest.map((line) => h("p", { class: "emergency__more", attrs: { lang: line.locale }, text: line.text })),
          h("p", { class: "emergency__time", text: view.issued_time }),
        ),
      ),
    );
    this.el.hidden = false;
    document.body.dataset.emergency = "on";
    this.backend.soundDuck(true).catch(() => {});
  }
}
