import type { KioskBackend } from "./backend";
import pack from "./mock-pack.json";
import { mockQrSvg } from "./mock-qr";
import type { LocaleInfo, LocalizedContent, PlayerItem, PlayerPlan, Session, Tour, TourStop, UsbNotice } from "./types";

/**
 * A backend for design work in a plain browser. It serves a fixed snapshot of the
 * default content pack (mock-pack.json, made by scripts/gen-mock-pack.py from
 * media/*.toml) in every language the pack offers, with media under /media/ (served
 * by the Vite dev and preview servers). Query parameters, for screenshots and manual
 * tests:
 *   ?idle=<seconds>   idle timeout (default 90)
 *   ?locale=<tag>     default locale (default: the pack's)
 *   ?locales=<tags>   offer only these languages, comma-separated, in the pack's
 *                     order (e.g. vi,en for a two-language kiosk)
 *   ?plan=<URL>       the player's plan (any purpose) is the PlayerPlan JSON fetched
 *                     from URL, asked again at every item as the app is; default: a
 *                     short loop made from the mock pack
 *   ?emergency=<vi>|<en>  an emergency message over everything, in those words
 *   ?events=<URL>     each batch of events is POSTed to URL as a JSON array of
 *                     {kind, data}; resolves with the answer's `count` (default: the
 *                     events are logged to the console)
 * The staff PIN of the mock is 1234.
 */

type Texts = Record<string, string>;
type Lists = Record<string, string[]>;

const MOCK_PIN = "1234";
/** Sample: a kiosk's own brochure server on the booth network. */
const LAN_BASE = "http://192.168.10.2:8080";

const params = () => new URLSearchParams(window.location.search);

/** The pack's languages, or those of them that ?locales= names. */
function locales(): LocaleInfo[] {
  const all = pack.locales as LocaleInfo[];
  const wanted = params().get("locales")?.split(",").map((t) => t.trim()).filter(Boolean);
  if (!wanted?.length) return all;
  const chosen = all.filter((l) => wanted.includes(l.tag));
  if (chosen.length === 0) console.warn(`[mock] ?locales=${wanted.join(",")} names none of the pack's languages; offering all`);
  return chosen.length ? chosen : all;
}

/** The text in `locale`, else in the default locale (as the app does). */
function pick(t: Texts | undefined, locale: string): string {
  if (!t) return "";
  return t[locale] ?? t[pack.default_locale] ?? "";
}
function pickList(t: Lists | undefined, locale: string): string[] {
  if (!t) return [];
  return t[locale] ?? t[pack.default_locale] ?? [];
}

function content(locale: string): LocalizedContent {
  const ui = pack.ui as Record<string, Texts>;
  return {
    locale,
    brand: {
      title: pick(pack.brand.title, locale),
      tagline: pick(pack.brand.tagline, locale),
      badge_url: pack.brand.badge,
      logo_url: pack.brand.logo,
    },
    attract: {
      headline: pick(pack.attract.headline, locale),
      video_url: pack.attract.video,
      image_urls: pack.attract.images,
    },
    chapters: pack.chapters.map((c) => ({
      id: c.id,
      title: pick(c.title, locale),
      summary: pick(c.summary, locale),
      cover_url: c.cover,
      accent: c.accent,
      scenes: c.scenes.map((s) => ({
        id: s.id,
        title: pick(s.title, locale),
        body: pickList(s.body, locale),
        highlights: pickList(s.highlights, locale),
        image_url: s.image,
        video_url: s.video,
        survey: s.survey
          ? {
              id: s.survey.id,
              question: pick(s.survey.question, locale),
              options: s.survey.options.map((o) => ({ id: o.id, label: pick(o.label, locale) })),
            }
          : null,
      })),
    })),
    brochures: pack.brochures.map((b) => {
      const fileLocale = locale in b.file ? locale : pack.default_locale;
      const download = `${LAN_BASE}/b/${b.id}/${fileLocale}.pdf`;
      return {
        id: b.id,
        title: pick(b.title, locale),
        summary: pick(b.summary, locale),
        cover_url: b.cover,
        download_url: download,
        qr_svg: mockQrSvg(download),
        file_name: `${b.id}-${fileLocale}.pdf`,
        size_bytes: (b.size as Record<string, number>)[fileLocale] ?? 0,
      };
    }),
    social: {
      hashtags: pack.social.hashtags,
      channels: pack.social.channels.map((c) => ({ ...c, qr_svg: mockQrSvg(c.url) })),
    },
    ui: { ...ui[pack.default_locale], ...(ui[locale] ?? {}) },
    ...(pack.tour ? { tour: tour(locale) } : {}),
  };
}

/** The pack's tour in one language. */
function tour(locale: string): Tour {
  const t = pack.tour!;
  return {
    title: pick(t.title, locale),
    intro: pick(t.intro, locale),
    map_url: t.map,
    seconds_per_stop: t.seconds_per_stop,
    stops: t.stops.map((s) => ({
      id: s.id,
      kind: s.kind as TourStop["kind"],
      x_permille: s.x_permille,
      y_permille: s.y_permille,
      name: pick(s.name, locale),
      summary: pick(s.summary, locale),
      sample: s.sample,
      scene: s.scene,
      image_url: s.image,
    })),
  };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const mockBackend: KioskBackend = {
  async session(): Promise<Session> {
    const p = params();
    const idle = Number(p.get("idle"));
    const all = locales();
    const wanted = p.get("locale");
    return {
      locales: all,
      default_locale: all.some((l) => l.tag === wanted) ? wanted! : pack.default_locale,
      idle_timeout_secs: idle > 0 ? idle : 90,
      release: { channel: "stable", version: 42 },
      mode: p.get("mode") === "signage" ? "signage" : "kiosk",
    };
  },
  async content(locale) {
    await delay(20);
    return content(locale);
  },
  async unlockStaff(pin) {
    await delay(150);
    return pin === MOCK_PIN;
  },
  async leaveKiosk() {
    console.info("[mock] leaveKiosk: the app would now leave kiosk mode");
  },
  async reportMediaError(url, reason) {
    console.info(`[mock] reportMediaError ${url}: ${reason}`);
  },
  async soundTouch() {},
  async soundDuck() {},
  async emergency() {
    const words = params().get("emergency");
    if (!words) return null;
    const [vi, en] = words.split("|");
    const lines = [{ locale: "vi", text: vi }, ...(en ? [{ locale: "en", text: en }] : [])];
    const now = new Date();
    const issued_time = `${String(now.getHours()).padStart(2, "0")}:${String(now.getMinutes()).padStart(2, "0")}`;
    return { lines, issued_at: now.toISOString(), issued_time, remaining_ms: 30 * 60 * 1000 };
  },
  async checkIn() {
    // ?display=off shows the off hours; ?usb=shown|not_newer|refused a stick's outcome.
    const usb = params().get("usb");
    const notices: Record<string, UsbNotice> = {
      shown: { outcome: "shown", channel: "stable", version: 43 },
      not_newer: { outcome: "not_newer", version: 41, showing: 42 },
      refused: { outcome: "refused", reason: "the signature does not match any trusted key" },
    };
    return { display_on: params().get("display") !== "off", usb: (usb && notices[usb]) || null };
  },
  async staffStatus() {
    return { release: { channel: "stable", version: 42 }, sync: null, pending_events: 0 };
  },
  async playerPlan(purpose) {
    const url = params().get("plan");
    if (!url) return mockPlan(purpose);
    const res = await fetch(url, { cache: "no-store" });
    if (!res.ok) throw new Error(`plan ${url}: HTTP ${res.status}`);
    return (await res.json()) as PlayerPlan;
  },
  async groupClock() {
    // ?lockstep=GROUP: in a group whose clock is the wall clock, so that browser
    // windows on one machine play in step.
    const group = params().get("lockstep");
    if (!group) return null;
    return { group, member: "browser", clock_ms: performance.timeOrigin + performance.now(), role: "leader", leader: "browser", members: 1, in_step: true, note: null };
  },
  async logFrames(frames) {
    const url = params().get("frames");
    if (!url) return false;
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(frames) });
    return true;
  },
  async newVisit() {
    console.info("[mock] a new visit: surveys may be answered again");
  },
  async recordEvents(events) {
    const url = params().get("events");
    if (!url) {
      console.info("[mock] events", events);
      return events.length;
    }
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
    if (!res.ok) throw new Error(`events ${url}: HTTP ${res.status}`);
    const answer = (await res.json()) as { count?: unknown };
    return typeof answer.count === "number" ? answer.count : events.length;
  },
};

/** The attract loop (and, in signage mode, a short loop of cards) from the mock pack. */
function mockPlan(purpose: "signage" | "attract"): PlayerPlan {
  const tags = [pack.default_locale, ...(pack.locales as LocaleInfo[]).map((l) => l.tag).filter((t) => t !== pack.default_locale)].slice(0, 2);
  const item = (id: string, kind: PlayerItem["kind"], rest: Partial<PlayerItem>): PlayerItem => ({
    id, kind, planned_ms: 8000, until_media_ends: false, blob: null, url: null, has_audio: false,
    texts: [], image_url: null, qr_svg: null, download_url: null, ...rest,
  });
  const items: PlayerItem[] = [];
  if (pack.attract.video) items.push(item("film", "video", { url: pack.attract.video, until_media_ends: true, planned_ms: 36000 }));
  pack.attract.images.forEach((url: string, i: number) => items.push(item(`picture-${i + 1}`, "image", { url })));
  if (purpose === "signage") {
    const chapter = pack.chapters[0];
    const scene = chapter.scenes[0];
    items.splice(1, 0, item("scene", "scene", {
      image_url: scene.image,
      texts: tags.map((t) => ({ locale: t, title: pick(scene.title, t), kicker: pick(chapter.title, t), body: pickList(scene.body, t)[0] ?? "", highlights: pickList(scene.highlights, t) })),
    }));
    const c = content(pack.default_locale).brochures[0];
    // The tour: the map, then each stop for its time, in the screen's languages.
    if (pack.tour) {
      const t = pack.tour;
      const texts = (title: Texts, body: Texts) => tags.map((l) => ({ locale: l, title: pick(title, l), kicker: "", body: pick(body, l), highlights: [] }));
      items.splice(1, 0, item("innovation-tour", "tour", {
        planned_ms: t.stops.length * t.seconds_per_stop * 1000,
        image_url: t.map,
        texts: texts(t.title, t.intro),
        tour: {
          map_url: t.map,
          stop_ms: t.seconds_per_stop * 1000,
          stops: t.stops.map((s) => ({ id: s.id, kind: s.kind as TourStop["kind"], x_permille: s.x_permille, y_permille: s.y_permille, sample: s.sample, image_url: s.image, texts: texts(s.name, s.summary).map((x) => ({ ...x, kicker: s.sample ? content(x.locale).ui.tour_sample ?? "" : "" })) })),
        },
      }));
    }
    if (c) items.splice(2, 0, item("brochure", "brochure", { image_url: c.cover_url, qr_svg: c.qr_svg, download_url: c.download_url, texts: tags.map((t) => { const b = content(t).brochures[0]; return { locale: t, title: b.title, kicker: content(t).ui.scan_to_download ?? "", body: b.summary, highlights: [] }; }) }));
  }
  return {
    playlist: purpose === "signage" ? "welcome" : "attract",
    chosen: purpose === "signage" ? { by: "fallback" } : { by: "attract_loop" },
    now: new Date().toISOString(),
    next_change_ms: null,
    time_zone: "Asia/Ho_Chi_Minh",
    crossfade_ms: 400,
    badge_url: pack.brand.badge,
    sound: false,
    items,
    dropped: [],
    release: { channel: "stable", version: 42 },
  };
}
