// The payloads the kiosk app sends to the interface. They mirror
// `crates/kiosk-device/src/kiosk_view.rs`; keep the two in step.

/** What the interface needs once, at start. */
export interface Session {
  /** "kiosk": a touch booth; "signage": an unattended screen looping playlists. */
  mode: "kiosk" | "signage";
  locales: LocaleInfo[];
  default_locale: string;
  idle_timeout_secs: number;
  release: ReleaseInfo;
}

export interface LocaleInfo {
  tag: string;  // "vi", "en", ...
  name: string; // in its own language: "Tiếng Việt", "English"
}

export interface ReleaseInfo {
  channel: string;
  version: number;
}

/** The whole pack in one language, with every fallback already applied. */
export interface LocalizedContent {
  locale: string;
  brand: Brand;
  attract: Attract;
  chapters: Chapter[];
  brochures: Brochure[];
  social: Social;
  /** Words of the interface, see docs/ui-strings.md. */
  ui: Record<string, string>;
}

export interface Brand {
  title: string;
  tagline: string;
  badge_url: string;
  logo_url: string | null;
}

export interface Attract {
  headline: string;
  video_url: string | null;
  image_urls: string[];
}

export interface Chapter {
  id: string;
  title: string;
  summary: string;
  cover_url: string;
  accent: string | null;
  scenes: Scene[];
}

export interface Scene {
  id: string;
  title: string;
  /** Paragraphs, in order. */
  body: string[];
  highlights: string[];
  image_url: string | null;
  video_url: string | null;
}

export interface Brochure {
  id: string;
  title: string;
  summary: string;
  cover_url: string | null;
  /** The URL a phone downloads the PDF from, also encoded in the QR code. */
  download_url: string;
  /** The QR code of download_url, as an SVG document. */
  qr_svg: string;
  file_name: string;
  size_bytes: number;
}

export interface Social {
  hashtags: string[];
  channels: SocialChannel[];
}

export interface SocialChannel {
  name: string;
  handle: string;
  url: string;
  qr_svg: string;
}

/** What the playlist player plays now (crates/kiosk-device/src/signage_view.rs). */
export interface PlayerPlan {
  playlist: string;
  chosen: { by: "schedule"; entry: number } | { by: "fallback" } | { by: "fallback_for_unplayable"; wanted: string } | { by: "attract_loop" } | { by: "brand_card" };
  /** The device's time (RFC 3339) when planned. */
  now: string;
  /** Milliseconds until the schedule must be asked again; null: not soon. */
  next_change_ms: number | null;
  time_zone: string;
  crossfade_ms: number;
  badge_url: string | null;
  /** Films play their sound now (sound on, not in quiet hours). */
  sound: boolean;
  /** Never empty. */
  items: PlayerItem[];
  dropped: { id: string; reason: string }[];
  release: ReleaseInfo;
}

export type PlayerItemKind = "video" | "image" | "scene" | "brochure" | "message";

export interface PlayerItem {
  id: string;
  kind: PlayerItemKind;
  planned_ms: number;
  /** A film without a set length: it plays to its end. */
  until_media_ends: boolean;
  blob: string | null;
  url: string | null;
  has_audio: boolean;
  /** The card's words, one entry per language of the screen, the large one first. */
  texts: CardText[];
  image_url: string | null;
  qr_svg: string | null;
  download_url: string | null;
}

export interface CardText {
  locale: string;
  title: string;
  kicker: string;
  body: string;
  highlights: string[];
}

/** A proof-of-play or interaction event (kinds: crates/kiosk-device/src/events.rs). */
export interface KioskEvent {
  kind: "item_start" | "item_end" | "playlist_change" | "touch" | "language_choice" | "chapter_view";
  data: Record<string, unknown>;
}

/** What the staff panel shows about sync (only after a right PIN). */
export interface StaffStatus {
  /** The release shown now (it may be newer than at start). */
  release: ReleaseInfo;
  sync: { server: string; last_round_at: string | null; last_outcome: string; failures: number } | null;
  pending_events: number;
}

/** An emergency message on screen over everything (signed by the server, verified
 *  by the app): each language's words, the screen's languages first. */
export interface EmergencyView {
  lines: { locale: string; text: string }[];
  issued_at: string;
  /** The time of day it was issued, on the screen's clock (HH:MM). */
  issued_time: string;
  remaining_ms: number;
}
