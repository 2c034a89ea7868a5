#!/usr/bin/env node
// Behaviour checks of the built interface with the mock backend, in the system
// Chromium: navigation, language switch in place, swipes, idle return, staff door,
// QR size, and media that is missing or stalls (never a black box; reported once).
//
//   npm run build && node scripts/smoke.mjs

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { preview } from "vite";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "dist", "index.html"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}

const server = await preview({ root, configFile: join(root, "vite.config.ts"), preview: { port: 4180, strictPort: false, open: false } });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
});

let failures = 0;
const ok = (cond, what) => {
  console.log(`${cond ? "ok  " : "FAIL"} ${what}`);
  if (!cond) failures++;
};

async function open(query = "", { viewport = { width: 1920, height: 1080 }, routes = [] } = {}) {
  const context = await browser.newContext({ viewport, hasTouch: true, reducedMotion: "reduce" });
  const page = await context.newPage();
  const reports = [];
  page.on("console", (m) => {
    const t = m.text();
    if (t.startsWith("[mock] reportMediaError")) reports.push(t);
  });
  page.on("pageerror", (e) => ok(false, `page error: ${e.message}`));
  for (const [pattern, handler] of routes) await page.route(pattern, handler);
  await page.goto(`${base}${query}`);
  await page.waitForSelector('[data-testid="attract"]');
  return { page, context, reports };
}

const $ = (page, id) => page.locator(`[data-testid="${id}"]`);
const screen = (page) => page.evaluate(() => document.body.dataset.screen);
const lang = (page) => page.evaluate(() => document.documentElement.lang);
/** Chooses a language as a visitor does: the language button, then the language. */
async function chooseLanguage(page, tag) {
  await $(page, "open-languages").click();
  await $(page, `lang-${tag}`).click();
}

// --- navigation, language, swipe, back ---------------------------------------------
{
  const { page, context } = await open("?idle=600");
  ok((await screen(page)) === "attract" && (await lang(page)) === "vi", "starts on the attract loop in the default language");
  const first = await page.locator(".attract-line.is-active").getAttribute("lang");
  await page.waitForTimeout(4200);
  const second = await page.locator(".attract-line.is-active").getAttribute("lang");
  ok(first !== second, `attract headline cycles through the languages (${first} → ${second})`);
  ok((await $(page, "go-home").count()) === 0, "no top bar on the attract loop");

  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  ok((await screen(page)) === "home", "a touch opens home");
  ok((await $(page, "chapter-card").count()) >= 3, "home shows the chapter cards");
  ok((await page.locator(".award-badge img, .award-badge svg").count()) === 1, "the award badge is shown");

  await $(page, "chapter-card").nth(1).click();
  await page.waitForSelector('[data-testid="scene-title"]');
  const chapterId = await $(page, "chapter").getAttribute("data-chapter-id");
  ok(await $(page, "scene-prev").isDisabled(), "previous is disabled on the first scene");
  await $(page, "scene-next").click();
  const viTitle = await $(page, "scene-title").textContent();
  await chooseLanguage(page, "en");
  await page.waitForTimeout(200);
  const enTitle = await $(page, "scene-title").textContent();
  ok((await lang(page)) === "en", "html lang follows the language");
  ok((await $(page, "chapter").getAttribute("data-chapter-id")) === chapterId && viTitle !== enTitle, `language switch keeps the chapter and scene ("${viTitle}" → "${enTitle}")`);
  ok((await page.locator(".scene-dot.is-active").count()) === 1 && (await page.locator(".scene-dot").nth(1).getAttribute("aria-selected")) === "true", "still on scene 2 after the switch");
  ok((await $(page, "language-sheet").count()) === 0, "choosing a language closes the sheet");
  ok((await $(page, "open-languages").textContent()) === "English", "the language button names the current language");
  await $(page, "open-languages").click();
  ok((await $(page, "lang-en").getAttribute("aria-pressed")) === "true", "the current language is highlighted");
  await $(page, "close-languages").click();

  // Swipe left (next) and right (previous) on the stage.
  const box = await page.locator(".scene-media").boundingBox();
  const swipe = async (dx) => {
    const y = box.y + box.height / 2;
    const x = box.x + box.width / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + dx / 2, y, { steps: 4 });
    await page.mouse.move(x + dx, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(150);
  };
  await swipe(-400);
  ok((await page.locator(".scene-dot").nth(2).getAttribute("aria-selected")) === "true", "a swipe to the left shows the next scene");
  await swipe(400);
  ok((await page.locator(".scene-dot").nth(1).getAttribute("aria-selected")) === "true", "a swipe to the right shows the previous scene");

  await $(page, "open-brochures").click();
  await page.waitForSelector('[data-testid="brochures"]');
  const qr = await $(page, "brochure-qr").first().locator("svg").boundingBox();
  ok(qr && qr.width >= 240 && qr.height >= 240, `brochure QR code is ≥ 240 px (${qr && Math.round(qr.width)} px)`);
  ok((await $(page, "brochure-card").count()) >= 1, "brochure cards are shown");
  await $(page, "go-back").click();
  await page.waitForSelector('[data-testid="chapter"]');
  ok((await page.locator(".scene-dot").nth(1).getAttribute("aria-selected")) === "true", "back returns to the same scene");
  await $(page, "go-back").click();
  await page.waitForSelector('[data-testid="home"]');
  ok(await $(page, "go-back").isDisabled(), "back is disabled on home");

  // Lockdown.
  const selectable = await page.evaluate(() => getComputedStyle(document.body).userSelect);
  ok(selectable === "none", "text cannot be selected");
  const menuBlocked = await page.evaluate(() => !document.body.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true })));
  ok(menuBlocked, "the context menu is blocked");
  const wheelBlocked = await page.evaluate(() => !document.body.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100 })));
  ok(wheelBlocked, "ctrl + wheel zoom is blocked");

  // Staff door.
  for (let i = 0; i < 5; i++) await $(page, "staff-corner").click();
  await page.waitForSelector('[data-testid="pin-key-0"]');
  ok(true, "five taps on the corner open the PIN pad");
  await $(page, "pin-key-9").click();
  await $(page, "pin-ok").click();
  await page.waitForSelector(".pin-error:not(:empty)");
  ok((await page.locator(".pin-error").textContent()) === "Wrong PIN", "a wrong PIN says so (in the current language)");
  for (const d of "1234") await $(page, `pin-key-${d}`).click();
  ok((await page.locator(".pin-dot.is-filled").count()) === 4, "digits show as masked dots");
  await $(page, "pin-ok").click();
  await page.waitForSelector('[data-testid="staff-panel"]');
  const panel = await $(page, "staff-panel").textContent();
  ok(panel.includes("stable") && panel.includes("42"), "the staff panel shows the release");
  await $(page, "staff-resume").click();
  ok((await $(page, "staff-panel").count()) === 0, "resume closes the panel");
  for (let i = 0; i < 5; i++) await $(page, "staff-corner").click();
  await $(page, "pin-cancel").click();
  ok((await page.locator(".staff-overlay").count()) === 0, "cancel closes the PIN pad");
  await context.close();
}

// --- idle --------------------------------------------------------------------------
{
  const { page, context } = await open("?idle=5");
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  await chooseLanguage(page, "en");
  await $(page, "chapter-card").first().click();
  await $(page, "video-play").click();
  await page.waitForTimeout(3000);
  await page.mouse.move(10, 500); // activity resets the timer
  await page.waitForTimeout(3500);
  ok((await screen(page)) === "chapter", "activity keeps the kiosk from going idle");
  await page.waitForTimeout(3000);
  ok((await screen(page)) === "attract", "idle returns to the attract loop, even with a film playing");
  ok((await lang(page)) === "vi", "idle restores the default language");
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  ok((await screen(page)) === "home", "after idle, a touch opens home");
  await context.close();
}

// --- media that cannot be shown -----------------------------------------------------
{
  const notFound = (route) => route.fulfill({ status: 404, body: "" });
  const { page, context, reports } = await open("?idle=600", {
    routes: [
      ["**/media/videos/binh-duong-film.mp4", notFound],
      ["**/media/images/award-top7-to-top1.svg", notFound],
    ],
  });
  await page.waitForTimeout(1500);
  ok((await page.locator(".attract-video").count()) === 0, "a missing attract film leaves the pictures");
  await $(page, "attract").click();
  await $(page, "chapter-card").first().click();
  await page.waitForSelector(".player[data-state='failed']");
  ok(await page.locator(".player-notice").isVisible(), "a missing scene film shows the notice");
  ok(await page.locator(".player-poster img").isVisible(), "…over the scene picture");
  ok(!(await $(page, "scene-video").isVisible()), "…and no video box");
  await $(page, "scene-next").click();
  await page.waitForSelector(".scene-picture.is-missing");
  ok(true, "a missing picture keeps a branded surface");
  await page.waitForTimeout(300);
  const filmReports = reports.filter((r) => r.includes("binh-duong-film.mp4"));
  ok(filmReports.length === 1, `the missing film is reported once (${filmReports.length})`);
  ok(reports.some((r) => r.includes("award-top7-to-top1.svg")), "the missing picture is reported");
  await context.close();
}

// --- a film that stalls --------------------------------------------------------------
{
  const { page, context, reports } = await open("?idle=600", {
    routes: [["**/media/videos/innovation-zone.mp4", () => {}]], // never answers
  });
  await $(page, "attract").click();
  await $(page, "chapter-card").nth(4).click();
  await page.waitForSelector('[data-testid="video-play"]');
  await $(page, "video-play").click();
  await page.waitForSelector(".player[data-state='failed']", { timeout: 20000 });
  ok(true, "a stalled film gives way to its picture");
  ok(reports.some((r) => r.includes("innovation-zone.mp4")), "the stall is reported");
  await context.close();
}

// --- the language sheet: six languages, portrait ------------------------------------
{
  const { page, context } = await open("?idle=600", { viewport: { width: 1080, height: 1920 } });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300); // the fitted sizes settle (reduced motion still runs 1 ms transitions)
  const invitations = await page.evaluate(() => {
    const room = document.querySelector(".attract-headline").clientWidth;
    return [...document.querySelectorAll(".attract-line-main")].map((el) => ({
      lang: el.closest("[lang]").lang,
      fits: el.scrollWidth <= room && el.getClientRects().length === 1 && el.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(el).fontSize) * 1.12,
    }));
  });
  ok(invitations.length === 6 && invitations.every((i) => i.fits), `the attract loop invites in six languages, each on one line (${invitations.filter((i) => !i.fits).map((i) => i.lang).join(", ") || "all fit"})`);
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  const offBar = await page.evaluate(() =>
    [...document.querySelectorAll(".topbar *")].filter((el) => el.getBoundingClientRect().right > innerWidth + 1).length,
  );
  ok(offBar === 0, "the portrait top bar fits");

  await $(page, "open-languages").click();
  const sheet = $(page, "language-sheet");
  ok((await sheet.getAttribute("role")) === "dialog" && (await sheet.getAttribute("aria-modal")) === "true", "the sheet is a modal dialog");
  const labelledBy = await sheet.getAttribute("aria-labelledby");
  ok((await page.locator(`#${labelledBy}`).textContent()) === "Ngôn ngữ", "…named by the word for language");
  ok(await page.evaluate(() => document.activeElement?.closest('[data-testid="language-sheet"]') !== null), "focus moves into the sheet");
  ok(await page.evaluate(() => document.querySelector(".views")?.hasAttribute("inert")), "the screen behind is inert");
  const choices = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="lang-"]')].map((b) => {
      const r = b.getBoundingClientRect();
      return { tag: b.getAttribute("lang"), name: b.querySelector(".lang-choice-name")?.textContent, w: r.width, h: r.height, in: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight };
    }),
  );
  ok(choices.map((c) => `${c.tag}:${c.name}`).join(" ") === "vi:Tiếng Việt en:English ko:한국어 ja:日本語 zh-Hans:简体中文 zh-Hant:繁體中文", "six languages, each in its own script and lang");
  ok(choices.every((c) => c.in && c.w >= 96 && c.h >= 96), "every choice is a large target on the screen");
  ok((await $(page, "lang-vi").getAttribute("aria-current")) === "true", "the current language is marked");

  await page.keyboard.press("Escape");
  ok((await $(page, "language-sheet").count()) === 0, "Escape closes the sheet");
  ok(await page.evaluate(() => document.activeElement?.dataset.testid === "open-languages"), "focus returns to the language button");
  await $(page, "open-languages").click();
  await page.mouse.click(540, 1880); // below the sheet
  ok((await $(page, "language-sheet").count()) === 0, "a touch outside closes the sheet");
  ok((await lang(page)) === "vi", "…and keeps the language");

  await chooseLanguage(page, "zh-Hant");
  ok((await lang(page)) === "zh-Hant", "html lang is the tag as given");
  const family = await page.evaluate(() => getComputedStyle(document.querySelector(".home-title")).fontFamily);
  ok(/"?Be Vietnam Pro"?, "?Noto Sans CJK TC"?/.test(family), `Traditional Chinese in Be Vietnam Pro, then Noto Sans CJK TC (${family})`);
  await chooseLanguage(page, "ja");
  const strict = await page.evaluate(() => getComputedStyle(document.querySelector(".home-title")).lineBreak);
  ok(strict === "strict", "Japanese lines break by the strict rules");
  await chooseLanguage(page, "ko");
  const breaks = await page.evaluate(() => getComputedStyle(document.querySelector(".home-title")).wordBreak);
  ok(breaks === "keep-all", "Korean lines break between words");
  await context.close();
}

// --- the Innovation Zone tour --------------------------------------------------------
{
  const pack = JSON.parse(readFileSync(join(root, "src/backend/mock-pack.json"), "utf8"));
  const tour = pack.tour;
  const { page, context } = await open("?idle=600");
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  await chooseLanguage(page, "en");
  ok((await $(page, "home-tour").textContent()).includes(tour.title.en), "home: the tour's banner, in English");
  await $(page, "home-tour").click();
  await page.waitForSelector('[data-testid="tour-overview"]');
  ok((await screen(page)) === "tour", "the banner opens the tour");
  const sizes = await page.$$eval('[data-testid="tour-marker"]', (ms) => ms.map((m) => m.getBoundingClientRect()).map((r) => Math.min(r.width, r.height)));
  ok(sizes.length === tour.stops.length && sizes.every((x) => x >= 64), `a marker of at least 64 px for every stop (${sizes.join(", ")})`);
  ok((await $(page, "tour-map-note").textContent()) === pack.ui.en.tour_map_sample, "the map says it is a sample");

  const stop = tour.stops.find((x) => x.sample && x.scene);
  await page.locator(`[data-testid="tour-marker"][data-stop-id="${stop.id}"]`).click();
  ok((await $(page, "tour-card-name").textContent()) === stop.name.en, "touching a stop opens its card");
  ok((await $(page, "tour-sample").textContent()) === pack.ui.en.tour_sample, "a sample stop says so");
  ok(await page.evaluate(() => document.querySelector('.tour-marker.is-active button')?.getAttribute("aria-pressed") === "true"), "its marker is pressed");
  await $(page, "tour-open-scene").click();
  await page.waitForSelector('[data-testid="scene-title"]');
  const chapter = pack.chapters.find((c) => c.id === stop.scene.chapter);
  const scene = chapter.scenes.find((x) => x.id === stop.scene.scene);
  ok((await $(page, "scene-title").textContent()) === scene.title.en, "its button opens the story at its scene");
  await $(page, "go-back").click();
  await page.waitForSelector('[data-testid="tour-card"]');
  ok((await $(page, "tour-card").getAttribute("data-stop-id")) === stop.id, "back returns to the stop's card");

  await $(page, "tour-card-close").click();
  await $(page, "tour-guide-start").click();
  const shown = () => $(page, "tour-card").getAttribute("data-stop-id");
  ok((await shown()) === tour.stops[0].id, "the guided tour starts at the first stop");
  ok((await page.locator(".tour-guide-fill").count()) === 0, "reduced motion: no moving progress bar");
  const ring = await page.evaluate(() => getComputedStyle(document.querySelector(".tour-marker.is-active"), "::before").display);
  ok(ring === "none", "reduced motion: no pulse on the stop shown");
  await page.waitForTimeout(tour.seconds_per_stop * 1000 + 700);
  ok((await shown()) === tour.stops[1].id, "…and moves on by itself");
  const win = await $(page, "tour").evaluate(() => document.querySelector(".tour-window").getBoundingClientRect().toJSON());
  await page.mouse.click(win.left + 20, win.bottom - 20);
  ok((await $(page, "tour-guide-resume").count()) === 1, "a touch of the map pauses it");
  await page.waitForTimeout(tour.seconds_per_stop * 1000 + 700);
  ok((await shown()) === tour.stops[1].id, "…and it stays paused");
  await $(page, "tour-guide-prev").click();
  ok((await shown()) === tour.stops[0].id, "previous steps back");
  await $(page, "tour-guide-stop").click();
  ok((await $(page, "tour-overview").count()) === 1, "ending the guided tour shows the overview");
  await context.close();
}

// --- the tour on a board ---------------------------------------------------------------
{
  const pack = JSON.parse(readFileSync(join(root, "src/backend/mock-pack.json"), "utf8"));
  const tour = pack.tour;
  const texts = (title, body) => ["vi", "en"].map((l) => ({ locale: l, title: title[l], kicker: "", body: body[l], highlights: [] }));
  const item = {
    id: "innovation-tour", kind: "tour", planned_ms: tour.stops.length * 1500, until_media_ends: false, blob: null, url: null, has_audio: false,
    texts: texts(tour.title, tour.intro), image_url: tour.map, qr_svg: null, download_url: null,
    tour: { map_url: tour.map, stop_ms: 1500, stops: tour.stops.map((x) => ({ id: x.id, kind: x.kind, x_permille: x.x_permille, y_permille: x.y_permille, sample: x.sample, image_url: x.image, texts: texts(x.name, x.summary) })) },
  };
  const plan = { playlist: "welcome", chosen: { by: "fallback" }, now: new Date().toISOString(), next_change_ms: null, time_zone: "Asia/Ho_Chi_Minh", crossfade_ms: 0, badge_url: pack.brand.badge, sound: false, items: [item], dropped: [], release: { channel: "stable", version: 42 } };
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  page.on("pageerror", (e) => ok(false, `page error: ${e.message}`));
  await page.route((url) => url.pathname === "/tour-plan.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(plan) }));
  await page.goto(`${base}?mode=signage&plan=/tour-plan.json`);
  await page.waitForSelector('[data-testid="player"][data-playing="welcome/innovation-tour"]');
  // The one on top (the next item is built underneath it).
  const stopShown = () => page.evaluate(() => [...document.querySelectorAll(".slide-tour:not(.is-leaving)")].pop()?.dataset.stop);
  ok((await stopShown()) === tour.stops[0].id, "board: the tour begins at its first stop");
  const words = await page.evaluate(() => [...[...document.querySelectorAll(".slide-tour:not(.is-leaving)")].pop().querySelectorAll(".tour-slide-words")].map((w) => w.lang));
  ok(words.join() === "vi,en", "board: the stop's card in the screen's languages");
  await page.waitForTimeout(1900);
  ok((await stopShown()) === tour.stops[1].id, "board: the next stop after stop_ms");
  await context.close();
}

// --- two languages: the same sheet ----------------------------------------------------
{
  const { page, context } = await open("?locales=vi,en&idle=600");
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  await chooseLanguage(page, "en");
  ok((await lang(page)) === "en" && (await $(page, "open-languages").textContent()) === "English", "two languages: chosen in two touches");
  await $(page, "open-languages").click();
  ok((await page.locator('[data-testid^="lang-"]').count()) === 2, "two languages: two choices");
  await context.close();
}

await browser.close();
await new Promise((r) => server.httpServer.close(r));
console.log(failures ? `\n${failures} failed` : "\nall passed");
process.exit(failures ? 1 : 0);
