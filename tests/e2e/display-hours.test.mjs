// A hall that closes at night: in the config's off hours the board shows black
// and plays nothing; when they end, the content starts by itself.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

let kiosk;
let s;

before(async () => {
  kiosk = await startKiosk({
    mode: "signage",
    top: ['time_zone = "Asia/Ho_Chi_Minh"'],
    extra: ["[window]", 'off_hours = { start = "22:00", end = "23:31" }'],
    // Half a minute before the hall's screens come back on.
    args: ["--clock-start", "2026-12-07T23:30:30+07:00"],
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

const state = () =>
  s.run(`return {
    off: !!document.querySelector('[data-testid=display-off]'),
    playing: document.querySelector('[data-testid=player]')?.dataset.playing || '',
    videos: [...document.querySelectorAll('video')].filter((v) => !v.paused).length,
  }`);

test("in the off hours the screen is black and plays nothing; at their end the content starts", async () => {
  await until(async () => (await state()).off, "the off hours do not show black", 30_000);
  const off = await state();
  assert.equal(off.playing, "");
  assert.equal(off.videos, 0);
  writeFileSync(join(shots, "43-signage-off-hours.png"), await s.screenshot());

  await until(async () => (await state()).playing !== "", "the content does not start after the off hours", 60_000, 500);
  assert.equal((await state()).off, false);
});
