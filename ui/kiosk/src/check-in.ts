import type { KioskBackend } from "./backend/backend";
import type { CheckIn, UsbNotice } from "./backend/types";
import { h } from "./ui/dom";

/** How often the interface checks in with the app (its watchdog allows 20 s). */
const CHECK_IN_MS = 5000;

/**
 * Checks in with the app every few seconds: says the page is alive and still
 * painting (the app feeds systemd's watchdog only while it hears this), and
 * learns whether the display is in its off hours and what became of the last
 * USB stick staff plugged in.
 *
 * In the off hours the page is reloaded into a black screen that plays nothing;
 * when they end it is reloaded again and the content starts afresh.
 */
export class CheckInLoop {
  private painted = 0;
  private displayOn: boolean | null = null;
  private readonly notice = h("div", {
    class: "usb-notice",
    dataset: { testid: "usb-notice" },
    attrs: { role: "status", "aria-live": "polite", hidden: "" },
  });

  constructor(
    host: HTMLElement,
    private readonly backend: KioskBackend,
  ) {
    host.append(this.notice);
  }

  /** The first check-in: whether the display is on now (true when the app cannot say). */
  async first(): Promise<boolean> {
    await this.tick();
    return this.displayOn ?? true;
  }

  start(): void {
    const loop = async () => {
      await this.tick();
      setTimeout(loop, CHECK_IN_MS);
    };
    setTimeout(loop, CHECK_IN_MS);
  }

  private async tick(): Promise<void> {
    const frames = this.painted;
    this.painted = 0;
    // One frame asked per check-in: enough to know the page still paints,
    // without keeping an animation loop running all day.
    requestAnimationFrame(() => this.painted++);
    const painting = document.visibilityState === "visible" && this.displayOn !== false;
    let answer: CheckIn;
    try {
      answer = await this.backend.checkIn({ frames, painting });
    } catch (e) {
      console.warn("[kiosk] check-in", e);
      return;
    }
    this.showNotice(answer.usb);
    const was = this.displayOn;
    this.displayOn = answer.display_on;
    if (was !== null && was !== answer.display_on) location.reload();
  }

  private showNotice(notice: UsbNotice | null): void {
    if (!notice) {
      this.notice.hidden = true;
      return;
    }
    const [vi, en, detail] = usbWords(notice);
    this.notice.dataset.outcome = notice.outcome;
    this.notice.replaceChildren(
      h("strong", { text: vi, attrs: { lang: "vi" } }),
      h("span", { text: en, attrs: { lang: "en" } }),
      ...(detail ? [h("small", { text: detail })] : []),
    );
    this.notice.hidden = false;
  }
}

/** The black screen of the off hours (nothing plays, the emergency banner still shows). */
export function showDisplayOff(root: HTMLElement): void {
  document.body.dataset.screen = "display-off";
  root.replaceChildren(h("div", { class: "display-off", dataset: { testid: "display-off" } }));
}

/** What staff read after plugging in a stick: Vietnamese, English, and the
 *  check's own words when it was refused. */
export function usbWords(notice: UsbNotice): [string, string, string?] {
  switch (notice.outcome) {
    case "shown":
      return [
        `USB: đã nhận nội dung phiên bản ${notice.version}, đang trình chiếu`,
        `USB: version ${notice.version} accepted and showing now`,
      ];
    case "not_newer":
      return [
        `USB: phiên bản ${notice.version} không mới hơn bản đang chiếu (${notice.showing})`,
        `USB: version ${notice.version} is not newer than the one showing (${notice.showing})`,
      ];
    case "refused":
      return [
        "USB: nội dung bị từ chối, màn hình giữ nội dung hiện tại",
        "USB: bundle refused; the screen keeps its content",
        notice.reason,
      ];
  }
}
