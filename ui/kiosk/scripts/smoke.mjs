#!/usr/bin/env node
// Behaviour checks of the built interface with the mock backend, in the system
// Chromium: navigation, language switch in place, swipes, idle return, staff door,
// QR size, and media that is missing or stalls (never a black box; reported once).
//
//   npm run build && node scripts/smoke.mjs

import { existsSync } from "node:fs";
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
  await $(page, "lang-en").click();
  await page.waitForTimeout(200);
  const enTitle = await $(page, "scene-title").textContent();
  ok((await lang(page)) === "en", "html lang follows the language");
  ok((await $(page, "chapter").getAttribute("data-chapter-id")) === chapterId && viTitle !== enTitle, `language switch keeps the chapter and scene ("${viTitle}" → "${enTitle}")`);
  ok((await page.locator(".scene-dot.is-active").count()) === 1 && (await page.locator(".scene-dot").nth(1).getAttribute("aria-selected")) === "true", "still on scene 2 after the switch");
  ok((await $(page, "lang-en").getAttribute("aria-pressed")) === "true", "the current language is highlighted");

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
  await $(page, "lang-en").click();
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

// --- five languages, portrait ------------------------------------------------------
{
  const { page, context } = await open("?locales=5&idle=600", { viewport: { width: 1080, height: 1920 } });
  await $(page, "attract").click();
  await page.waitForSelector('[data-testid="home"]');
  const off = await page.evaluate(() =>
    [...document.querySelectorAll(".topbar *")].filter((el) => el.getBoundingClientRect().right > innerWidth + 1).length,
  );
  ok(off === 0, "five languages fit the portrait top bar");
  ok((await $(page, "lang-ja").count()) === 1, "one button per language");
  await context.close();
}

await browser.close();
await new Promise((r) => server.httpServer.close(r));
console.log(failures ? `\n${failures} failed` : "\nall passed");
process.exit(failures ? 1 : 0);
