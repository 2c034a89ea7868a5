import type { CheckIn, EmergencyView, GroupClockView, KioskEvent, LocalizedContent, PlayerPlan, Session, StaffStatus } from "./types";

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
  /** What the player plays now: the scheduled playlist, or the attract loop. */
  playerPlan(purpose: "signage" | "attract"): Promise<PlayerPlan>;
  /** Records events; resolves once they are stored. */
  recordEvents(events: KioskEvent[]): Promise<number>;
  /** A new visitor (the attract loop is back): every survey may be answered again. */
  newVisit(): Promise<void>;
  /** A touch: the app plays its short sound (kiosk mode, outside quiet hours). */
  soundTouch(): Promise<void>;
  /** A film with sound starts (true) or stops: the app ducks its music bed. */
  soundDuck(ducked: boolean): Promise<void>;
  /** Sync status and the outbox, for the staff panel (after unlockStaff). */
  staffStatus(): Promise<StaffStatus>;
  /** The emergency message to show over everything now, or null. */
  emergency(): Promise<EmergencyView | null>;
  /** Every few seconds: the page is alive and painted `frames` frames since the
   *  last check-in (`painting`: frames are expected); answers the display's off
   *  hours and the last USB stick's outcome. */
  checkIn(pulse: { frames: number; painting: boolean }): Promise<CheckIn>;
  /** The booth's sync group clock, or null when this screen plays on its own. */
  groupClock(): Promise<GroupClockView | null>;
  /** Frames the player presented, for the app's `--frame-log` (measurement);
   *  false when the app keeps no such log. */
  logFrames(frames: PresentedFrameRecord[]): Promise<boolean>;
}

/** One line of the frame log: an item's first frame, a film's frame, or a
 *  correction of a film to the group's clock. `wall` is the wall-clock time it
 *  was presented (ms since the epoch), comparable between screens of one machine. */
export interface PresentedFrameRecord {
  kind: "start" | "frame" | "rate" | "seek";
  /** The item's turn on the group's timeline (its start, group ms). */
  slot: number;
  item: string;
  wall: number;
  /** The film's media time of the frame, in seconds. */
  media?: number;
  rate?: number;
  error_ms?: number;
  /** A start mid-turn: the screen joined the group while the item played. */
  joined?: boolean;
}
