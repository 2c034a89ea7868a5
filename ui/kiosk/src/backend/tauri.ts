import { invoke } from "@tauri-apps/api/core";
import type { KioskBackend } from "./backend";
import type { CheckIn, EmergencyView, GroupClockView, KioskEvent, LocalizedContent, PlayerPlan, Session, StaffStatus } from "./types";

/** The real backend: the app's commands (src-tauri/src/commands.rs). */
export const tauriBackend: KioskBackend = {
  session: () => invoke<Session>("session"),
  content: (locale) => invoke<LocalizedContent>("content", { locale }),
  unlockStaff: (pin) => invoke<boolean>("unlock_staff", { pin }),
  leaveKiosk: () => invoke<void>("leave_kiosk"),
  reportMediaError: (url, reason) => invoke<void>("report_media_error", { url, reason }),
  playerPlan: (purpose) => invoke<PlayerPlan>("player_plan", { purpose }),
  recordEvents: (events: KioskEvent[]) => invoke<number>("record_events", { events }),
  newVisit: () => invoke<void>("new_visit"),
  soundTouch: () => invoke<void>("sound_touch"),
  soundDuck: (ducked) => invoke<void>("sound_duck", { ducked }),
  staffStatus: () => invoke<StaffStatus>("staff_status"),
  emergency: () => invoke<EmergencyView | null>("emergency"),
  checkIn: (pulse) => invoke<CheckIn>("check_in", { pulse }),
  groupClock: () => invoke<GroupClockView | null>("group_clock"),
  logFrames: (frames) => invoke<boolean>("log_frames", { frames }),
};
