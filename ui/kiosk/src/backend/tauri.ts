import { invoke } from "@tauri-apps/api/core";
import type { KioskBackend } from "./backend";
import type { LocalizedContent, Session } from "./types";

/** The real backend: the app's commands (src-tauri/src/commands.rs). */
export const tauriBackend: KioskBackend = {
  session: () => invoke<Session>("session"),
  content: (locale) => invoke<LocalizedContent>("content", { locale }),
  unlockStaff: (pin) => invoke<boolean>("unlock_staff", { pin }),
  leaveKiosk: () => invoke<void>("leave_kiosk"),
  reportMediaError: (url, reason) => invoke<void>("report_media_error", { url, reason }),
};
