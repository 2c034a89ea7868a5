import type { LocalizedContent, Session } from "./types";

/** Everything the interface asks of the app. The Tauri implementation calls the
 *  app's commands; the mock serves a small fixed pack for design work in a browser. */
export interface KioskBackend {
  session(): Promise<Session>;
  content(locale: string): Promise<LocalizedContent>;
  /** True when the PIN is right; the app then leaves kiosk lockdown on request. */
  unlockStaff(pin: string): Promise<boolean>;
  /** Closes the kiosk (only after unlockStaff returned true). */
  leaveKiosk(): Promise<void>;
  /** A video or image the webview could not show: the app logs why. */
  reportMediaError(url: string, reason: string): Promise<void>;
}
