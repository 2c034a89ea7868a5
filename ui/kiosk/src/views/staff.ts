import type { KioskBackend } from "../backend/backend";
import type { ReleaseInfo } from "../backend/types";
import { button, h } from "../ui/dom";
import { icon } from "../ui/icons";

/**
 * The staff door: five taps within three seconds on an invisible 96×96 px square in
 * the top-left corner open a PIN pad; the right PIN opens a small panel with the
 * release on this kiosk, "leave kiosk mode" and "back to the kiosk".
 */

const TAPS = 5;
const WINDOW_MS = 3000;
const MAX_PIN = 12;

export interface StaffDeps {
  backend: KioskBackend;
  t(key: string): string;
  release(): ReleaseInfo;
}

export class StaffDoor {
  private taps: number[] = [];
  private overlay: HTMLElement | null = null;
  readonly corner: HTMLElement;

  constructor(
    private readonly host: HTMLElement,
    private readonly deps: StaffDeps,
  ) {
    this.corner = h("div", { class: "staff-corner", dataset: { testid: "staff-corner" }, attrs: { "aria-hidden": "true" } });
    this.corner.addEventListener("pointerdown", (ev) => {
      ev.preventDefault();
      ev.stopPropagation();
      this.tap();
    });
    // Keep the tap from reaching whatever lies underneath (e.g. the attract loop).
    this.corner.addEventListener("click", (ev) => {
      ev.preventDefault();
      ev.stopPropagation();
    });
    host.appendChild(this.corner);
  }

  get isOpen(): boolean {
    return this.overlay !== null;
  }

  close(): void {
    this.overlay?.remove();
    this.overlay = null;
    document.removeEventListener("keydown", this.onKey, true);
  }

  private tap(): void {
    const now = performance.now();
    this.taps = this.taps.filter((t) => now - t <= WINDOW_MS);
    this.taps.push(now);
    if (this.taps.length >= TAPS && !this.isOpen) {
      this.taps = [];
      this.openPin();
    }
  }

  private show(dialog: HTMLElement): void {
    this.close();
    const overlay = h("div", { class: "staff-overlay", attrs: { role: "dialog", "aria-modal": "true" } }, dialog);
    this.overlay = overlay;
    this.host.appendChild(overlay);
  }

  // --- PIN pad -------------------------------------------------------------------

  private pin = "";
  private pinDots: HTMLElement | null = null;
  private pinError: HTMLElement | null = null;
  private pinDialog: HTMLElement | null = null;
  private busy = false;

  private openPin(): void {
    const { t } = this.deps;
    this.pin = "";
    this.busy = false;
    this.pinDots = h("div", { class: "pin-dots", attrs: { "aria-live": "polite" } });
    this.pinError = h("div", { class: "pin-error", attrs: { role: "alert" } });

    const key = (d: string) =>
      button({ class: "pin-key", testid: `pin-key-${d}`, label: d }, () => this.digit(d), d);
    const keys = h(
      "div",
      { class: "pin-keys" },
      ...["1", "2", "3", "4", "5", "6", "7", "8", "9"].map(key),
      button({ class: "pin-key pin-key-fn", testid: "pin-backspace", label: t("pin_delete") }, () => this.backspace(), icon("backspace")),
      key("0"),
      button({ class: "pin-key pin-key-ok", testid: "pin-ok", label: t("pin_confirm") }, () => void this.submit(), icon("check")),
    );
    const cancel = button({ class: "pin-cancel", testid: "pin-cancel" }, () => this.close(), t("cancel"));

    this.pinDialog = h(
      "div",
      { class: "staff-dialog pin-dialog" },
      h("div", { class: "staff-dialog-icon" }, icon("lock")),
      h("h2", { class: "staff-title", text: t("staff_pin") }),
      this.pinDots,
      this.pinError,
      keys,
      cancel,
    );
    this.show(this.pinDialog);
    this.renderDots();
    document.addEventListener("keydown", this.onKey, true);
  }

  private readonly onKey = (ev: KeyboardEvent) => {
    if (!this.pinDots || !this.overlay) return;
    if (/^[0-9]$/.test(ev.key)) this.digit(ev.key);
    else if (ev.key === "Backspace") this.backspace();
    else if (ev.key === "Enter") void this.submit();
    else if (ev.key === "Escape") this.close();
    else return;
    ev.preventDefault();
  };

  private digit(d: string): void {
    if (this.busy || this.pin.length >= MAX_PIN) return;
    this.pin += d;
    if (this.pinError) this.pinError.textContent = "";
    this.pinDialog?.classList.remove("is-wrong");
    this.renderDots();
  }

  private backspace(): void {
    if (this.busy) return;
    this.pin = this.pin.slice(0, -1);
    this.renderDots();
  }

  private renderDots(): void {
    if (!this.pinDots) return;
    const slots = Math.max(4, this.pin.length);
    const dots = [];
    for (let i = 0; i < slots; i++) {
      dots.push(h("span", { class: i < this.pin.length ? "pin-dot is-filled" : "pin-dot" }));
    }
    this.pinDots.replaceChildren(...dots);
  }

  private async submit(): Promise<void> {
    if (this.busy || this.pin.length === 0) return;
    this.busy = true;
    const pin = this.pin;
    let ok = false;
    try {
      ok = await this.deps.backend.unlockStaff(pin);
    } catch (e) {
      console.warn("[kiosk] unlockStaff failed", e);
    }
    this.busy = false;
    if (!this.overlay) return; // closed meanwhile (idle)
    if (ok) {
      this.openPanel();
      return;
    }
    this.pin = "";
    this.renderDots();
    if (this.pinError) this.pinError.textContent = this.deps.t("staff_wrong_pin");
    const dlg = this.pinDialog;
    if (dlg) {
      dlg.classList.remove("is-wrong");
      void dlg.offsetWidth; // restart the shake
      dlg.classList.add("is-wrong");
    }
  }

  // --- Staff panel ---------------------------------------------------------------

  private openPanel(): void {
    const { t, release, backend } = this.deps;
    document.removeEventListener("keydown", this.onKey, true);
    this.pinDots = null;
    const r = release();
    const exit = button({ class: "staff-btn staff-btn-exit", testid: "staff-exit" }, () => {
      exit.disabled = true;
      backend.leaveKiosk().catch((e) => {
        console.warn("[kiosk] leaveKiosk failed", e);
        exit.disabled = false;
      });
    }, icon("exit"), h("span", { text: t("staff_exit") }));
    const status = h("div", { class: "staff-status" });
    const channel = h("span", { class: "staff-release-channel", text: r.channel });
    const version = h("span", { class: "staff-release-version", dataset: { testid: "staff-version" }, text: `#${r.version}` });
    const resume = button({ class: "staff-btn staff-btn-resume", testid: "staff-resume" }, () => this.close(), icon("back"), h("span", { text: t("staff_resume") }));
    const panel = h(
      "div",
      { class: "staff-dialog staff-panel", dataset: { testid: "staff-panel" } },
      h("div", { class: "staff-dialog-icon" }, icon("lock")),
      h(
        "div",
        { class: "staff-release" },
        channel,
        version,
      ),
      status,
      h("div", { class: "staff-actions" }, resume, exit),
    );
    this.show(panel);
    backend
      .staffStatus()
      .then((st) => {
        channel.textContent = st.release.channel;
        version.textContent = `#${st.release.version}`;
        const sync = st.sync
          ? [t("staff_sync"), st.sync.server, st.sync.last_round_at ? new Date(st.sync.last_round_at).toLocaleTimeString() : "…", st.sync.last_outcome]
              .filter(Boolean)
              .join(" · ")
          : t("staff_sync_off");
        status.replaceChildren(
          h("div", { class: "staff-status-line", dataset: { testid: "staff-sync" }, text: sync }),
          h("div", { class: "staff-status-line", dataset: { testid: "staff-outbox" }, text: `${st.pending_events} ${t("staff_events_waiting")}` }),
        );
      })
      .catch((e) => console.warn("[kiosk] staff status unavailable", e));
  }
}
