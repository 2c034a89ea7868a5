// The visitor's journey on the real app in a real window (Xvfb), end to end:
// attract loop → home → a chapter → switch language → play the film → brochures →
// scan a QR code from the screen and download the PDF → walk away → attract loop;
// then every language of the pack, chosen in the language sheet.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { chooseLanguage, repo, shots, startKiosk, untilSettled } from "./harness.mjs";
import { until } from "./webdriver.mjs";

/** The first scene title of the first chapter, per language, from media/. */
function firstSceneTitles() {
  const files = readFileSync(join(repo, "media/story/01-award.toml"), "utf8");
  const block = files.split("[scenes.title]")[1];
  const pick = (tag) => block.match(new RegExp(`^${tag} = "(.*)"$`, "m"))[1];
  return { vi: pick("vi"), en: pick("en") };
}

/** The pack's languages (tag and own name, in order) and, per language, the brand
 *  title (the home screen's heading), from media/pack.toml. */
function packLanguages() {
  const pack = readFileSync(join(repo, "media/pack.toml"), "utf8");
  const locales = [...pack.matchAll(/^\[\[locales\]\]\ntag = "(.*)"\nname = "(.*)"$/gm)].map((m) => ({ tag: m[1], name: m[2] }));
  const titles = pack.split("[brand.title]")[1].split("\n\n")[0];
  for (const l of locales) l.title = titles.match(new RegExp(`^${l.tag} = "(.*)"$`, "m"))[1];
  return locales;
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

  await chooseLanguage(s, "en");
  await until(async () => (await s.text('[data-testid="scene-title"]')) === titles.en, "English scene title");
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

test("the language sheet offers every language in its own script, and each reads right", async () => {
  const languages = packLanguages();
  assert.deepEqual(
    languages.map((l) => l.tag),
    ["vi", "en", "ko", "ja", "zh-Hans", "zh-Hant"],
  );
  await until(async () => (await visibleScreen(s)) === "home", "home not shown");

  await s.click('[data-testid="open-languages"]');
  const sheet = await s.run(`
    const d = document.querySelector('[data-testid="language-sheet"]');
    return d && {
      role: d.getAttribute("role"),
      modal: d.getAttribute("aria-modal"),
      title: document.getElementById(d.getAttribute("aria-labelledby"))?.textContent,
      focusInside: d.contains(document.activeElement),
      choices: [...d.querySelectorAll('[data-testid^="lang-"]')].map((b) => {
        const r = b.getBoundingClientRect();
        return {
          testid: b.dataset.testid,
          lang: b.getAttribute("lang"),
          name: b.querySelector(".lang-choice-name").textContent,
          pressed: b.getAttribute("aria-pressed"),
          w: r.width,
          h: r.height,
          onScreen: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
        };
      }),
    };`);
  assert.ok(sheet, "the language sheet opens");
  assert.equal(sheet.role, "dialog");
  assert.equal(sheet.modal, "true");
  assert.equal(sheet.title, "Ngôn ngữ", "named by the word for language, in Vietnamese");
  assert.ok(sheet.focusInside, "focus moves into the sheet");
  assert.deepEqual(
    sheet.choices.map((c) => [c.testid, c.lang, c.name]),
    languages.map((l) => [`lang-${l.tag}`, l.tag, l.name]),
    "every language, named in its own language and script",
  );
  assert.deepEqual(
    sheet.choices.map((c) => c.name),
    ["Tiếng Việt", "English", "한국어", "日本語", "简体中文", "繁體中文"],
  );
  assert.deepEqual(
    sheet.choices.filter((c) => c.pressed === "true").map((c) => c.lang),
    ["vi"],
    "the current language is marked",
  );
  for (const c of sheet.choices) {
    assert.ok(c.onScreen, `${c.lang} is on the screen`);
    assert.ok(c.w >= 240 && c.h >= 96, `${c.lang} is a large target (${c.w}×${c.h} px)`);
  }
  await untilSettled(s, '[data-testid="language-sheet"]');
  await save("08-languages-landscape");

  // A touch outside the sheet (bottom centre of the screen) closes it and keeps the language.
  await s.tap(960, 1040);
  await until(async () => !(await s.run('return !!document.querySelector("[data-testid=language-sheet]")')), "the sheet stays open");
  assert.equal(await s.run("return document.activeElement?.dataset.testid ?? null"), "open-languages", "focus returns to the language button");
  assert.equal(await s.run("return document.documentElement.lang"), "vi");

  for (const l of [...languages.slice(1), languages[0]]) {
    await chooseLanguage(s, l.tag);
    await until(async () => (await s.text(".home-title")) === l.title, `the home heading in ${l.tag} (${l.title})`);
    assert.equal(await s.text('[data-testid="open-languages"]'), l.name, `the language button names ${l.tag}`);
    assert.equal(await s.run('return !!document.querySelector("[data-testid=language-sheet]")'), false, "choosing closes the sheet");
    await sleep(1500);
    await save(`09-home-${l.tag}-landscape`);
  }
});
