// The same kiosk on a portrait screen (1080×1920): every screen fits and reads well.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { shots, startKiosk, untilSettled } from "./harness.mjs";
import { until } from "./webdriver.mjs";

let kiosk;
let s;
const screen = () => s.run("return document.body.dataset.screen || null");
const save = async (name) => writeFileSync(join(shots, `${name}.png`), await s.screenshot());
const noSideways = () => s.run("return document.documentElement.scrollWidth <= window.innerWidth");

before(async () => {
  kiosk = await startKiosk({ width: 1080, height: 1920, idleSecs: 120 });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

test("portrait: attract, home, the language sheet, chapter and brochures fit the screen", async () => {
  await until(async () => (await screen()) === "attract", "attract loop not shown", 30_000);
  assert.deepEqual(await s.run("return [window.innerWidth, window.innerHeight]"), [1080, 1920]);
  await sleep(1500);
  await save("11-attract-portrait");

  await s.click('[data-testid="attract"]');
  await until(async () => (await screen()) === "home", "home not shown");
  await sleep(1500);
  assert.ok(await noSideways(), "home does not scroll sideways");
  await save("12-home-vi-portrait");

  await s.click('[data-testid="open-languages"]');
  await untilSettled(s, '[data-testid="language-sheet"]');
  assert.ok(await noSideways(), "the language sheet does not scroll sideways");
  const choices = await s.run(`
    return [...document.querySelectorAll('[data-testid^="lang-"]')].map((b) => {
      const r = b.getBoundingClientRect();
      return { lang: b.lang, onScreen: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight };
    })`);
  assert.equal(choices.length, 6, "six languages to choose from");
  assert.deepEqual(choices.filter((c) => !c.onScreen).map((c) => c.lang), [], "every language is on the screen");
  await save("12b-languages-portrait");
  await s.click('[data-testid="lang-en"]');
  await until(async () => (await s.run("return document.documentElement.lang")) === "en", "English");
  await s.click('[data-testid="chapter-card"]');
  await until(async () => (await screen()) === "chapter", "chapter not shown");
  await sleep(1500);
  assert.ok(await noSideways(), "chapter does not scroll sideways");
  await save("13-chapter-en-portrait");

  await s.click('[data-testid="open-brochures"]');
  await until(async () => (await screen()) === "brochures", "brochures not shown");
  await sleep(1500);
  assert.ok(await noSideways(), "brochures do not scroll sideways");
  await save("14-brochures-en-portrait");
});

test("portrait: the staff gesture and PIN open the staff panel; a wrong PIN does not", async () => {
  const tapCorner = async () => {
    for (let i = 0; i < 5; i++) await s.click('[data-testid="staff-corner"]');
  };
  await tapCorner();
  for (const d of "1111") await s.click(`[data-testid="pin-key-${d}"]`);
  await s.click('[data-testid="pin-ok"]');
  await sleep(1500);
  assert.equal(await s.run('return !!document.querySelector("[data-testid=staff-panel]")'), false, "wrong PIN refused");
  await s.click('[data-testid="pin-cancel"]');

  await tapCorner();
  for (const d of "2023") await s.click(`[data-testid="pin-key-${d}"]`);
  await s.click('[data-testid="pin-ok"]');
  await s.waitFor('[data-testid="staff-panel"]');
  await sleep(500);
  await save("15-staff-panel-portrait");
  await s.click('[data-testid="staff-resume"]');
});
