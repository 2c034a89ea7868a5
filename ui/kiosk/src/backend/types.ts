// The payloads the kiosk app sends to the interface. They mirror
// `crates/kiosk-device/src/kiosk_view.rs`; keep the two in step.

/** What the interface needs once, at start. */
export interface Session {
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
