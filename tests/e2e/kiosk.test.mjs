// The visitor's journey on the real app in a real window (Xvfb), end to end:
// attract loop → home → a chapter → switch language → play the film → brochures →
// scan a QR code from the screen and download the PDF → walk away → attract loop.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { repo, shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

/** The first scene title of the first chapter, per language, from media/. */
function firstSceneTitles() {
  const files = readFileSync(join(repo, "media/story/01-award.toml"), "utf8");
  const block = files.split("[scenes.title]")[1];
  const pick = (tag) => block.match(new RegExp(`^${tag} = "(.*)"$`, "m"))[1];
  return { vi: pick("vi"), en: pick("en") };
}

/** Decodes the QR code inside `rect` (CSS pixels) of a window screenshot, as a
 *  phone camera would read it off the screen. */
function decodeQr(pngBytes, rect, scale) {
  const png = PNG.sync.read(pngBytes);
  const x0 = Math.max(0, Math.floor(rect.x * scale));
  const y0 = Math.max(0, Math.floor(rect.y * scale));
  const w = Math.min(png.width - x0, Math.ceil(rect.width * scale));
  const h = Math.min(png.height - y0, Math.ceil(rect.height * scale));
  const crop = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * png.width + x0) * 4;
    crop.set(png.data.subarray(from, from + w * 4), y * w * 4);
  }
  return jsQR(crop, w, h)?.data ?? null;
}

const visibleScreen = (s) => s.run("return document.body.dataset.screen || null");

let kiosk;
let s;
const save = async (name) => writeFileSync(join(shots, `${name}.png`), await s.screenshot());

before(async () => {
  kiosk = await startKiosk({ width: 1920, height: 1080, idleSecs: 20 });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

test("opens on the attract loop, full screen, with the badge", async () => {
  await until(async () => (await visibleScreen(s)) === "attract", "attract loop not shown", 30_000);
  await sleep(1500);
  const size = await s.run("return [window.innerWidth, window.innerHeight]");
  assert.deepEqual(size, [1920, 1080], "the window fills the screen");
  await save("01-attract-landscape");
});

test("a touch opens the home screen with every chapter", async () => {
  await s.click('[data-testid="attract"]');
  await until(async () => (await visibleScreen(s)) === "home", "home not shown");
  const count = () => s.run('return document.querySelectorAll("[data-testid=chapter-card]").length');
  await until(async () => (await count()) >= 7, "7 chapter cards on the home screen");
  assert.equal(await s.run("return document.documentElement.lang"), "vi");
  await sleep(1500);
  await save("02-home-vi-landscape");
});

test("enters a chapter and switches language in place", async () => {
  const titles = firstSceneTitles();
  await s.click('[data-testid="chapter-card"]');
  await until(async () => (await visibleScreen(s)) === "chapter", "chapter not shown");
  await until(async () => (await s.text('[data-testid="scene-title"]')) === titles.vi, "Vietnamese scene title");
  await sleep(1500);
  await save("03-chapter-vi-landscape");

  await s.click('[data-testid="lang-en"]');
  await until(async () => (await s.text('[data-testid="scene-title"]')) === titles.en, "English scene title");
  assert.equal(await s.run("return document.documentElement.lang"), "en");
  assert.equal(await visibleScreen(s), "chapter", "still in the same chapter");
  await sleep(1500);
  await save("04-chapter-en-landscape");
});

test("plays the film and time advances", async () => {
  await s.waitFor('[data-testid="scene-video"]');
  await s.click('[data-testid="video-play"]');
  const time = () => s.run('return document.querySelector("[data-testid=scene-video]").currentTime');
  const first = await until(async () => ((await time()) > 0.3 ? await time() : 0), "the film does not start", 20_000);
  await sleep(1500);
  const second = await time();
  assert.ok(second > first + 0.5, `currentTime advances: ${first} → ${second}`);
  const state = await s.run(
    'const v = document.querySelector("[data-testid=scene-video]"); return {paused: v.paused, error: v.error && v.error.code, w: v.videoWidth}',
  );
  assert.equal(state.error, null);
  assert.ok(state.w > 0, "frames have a size");
  await save("05-film-playing-en-landscape");
});

test("the brochure QR code on screen downloads the PDF", async () => {
  await s.click('[data-testid="open-brochures"]');
  await until(async () => (await visibleScreen(s)) === "brochures", "brochures not shown");
  const count = () => s.run('return document.querySelectorAll("[data-testid=brochure-card]").length');
  await until(async () => (await count()) >= 3, "3 brochure cards");
  await sleep(1500);
  const screen = await s.screenshot();
  writeFileSync(join(shots, "06-brochures-en-landscape.png"), screen);

  const rect = await s.run(
    'const r = document.querySelector("[data-testid=brochure-qr]").getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}',
  );
  const scale = await s.run("return window.devicePixelRatio");
  const url = await until(async () => decodeQr(await s.screenshot(), rect, scale), "no QR code readable on screen");
  assert.match(url, new RegExp(`^${kiosk.brochureBase}/brochures/[a-z0-9-]+/en\\.pdf$`));
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/pdf");
  assert.match(response.headers.get("content-disposition"), /^attachment; filename="[a-z0-9-]+-en\.pdf"$/);
  const pdf = Buffer.from(await response.arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  assert.ok(pdf.length > 10_000, "a real brochure, not a stub");
});

test("after the idle timeout the attract loop returns in the default language", async () => {
  // No input for longer than idle_timeout_secs (20 s).
  await until(async () => (await visibleScreen(s)) === "attract", "attract loop did not return", 40_000, 500);
  await sleep(1000);
  await save("07-attract-after-idle");
  await s.click('[data-testid="attract"]');
  await until(async () => (await visibleScreen(s)) === "home", "home not shown after idle");
  assert.equal(await s.run("return document.documentElement.lang"), "vi", "the next visitor starts in Vietnamese");
});
