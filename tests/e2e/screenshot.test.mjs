// WTC staff ask a kiosk for a screenshot through the central server: the kiosk
// captures its real window (WebKitGTK's snapshot) and uploads it, and the
// server serves the picture with its times. It is the window as shown: the
// same size as the window, full of the interface's colours, and the same
// picture as WebDriver's screenshot of that window.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PNG } from "pngjs";
import { devKey, shots, startKiosk } from "./harness.mjs";
import { startServer } from "./server.mjs";
import { until } from "./webdriver.mjs";

const ADMIN = "admin-token-for-the-screenshot-test";
const [WIDTH, HEIGHT] = [1280, 720];

let server;
let kiosk;
let s;
let device;

before(async () => {
  const work = mkdtempSync(join(tmpdir(), "kiosk-screenshot-"));
  server = await startServer(work, ADMIN);
  const serverKey = join(work, "server.pub");
  writeFileSync(serverKey, server.key);
  await server.admin("POST", "/v1/admin/channels", { name: "wtc-booths" });
  const enrolled = await server.enrol("wtc-booths", "Booth 1");
  device = enrolled.device_id;
  kiosk = await startKiosk({
    width: WIDTH,
    height: HEIGHT,
    idleSecs: 600,
    trustedKeys: [devKey, serverKey],
    extra: ["[sync]", `server = "${server.base}"`, `token = "${enrolled.token}"`, "every_secs = 3600"],
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
  server?.stop();
});

/** How many different colours a decoded PNG holds. */
function colours(png) {
  const seen = new Set();
  for (let i = 0; i < png.data.length; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

/** The mean difference of two same-sized pictures, per channel, 0–255. */
function difference(a, b) {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c] - b.data[i + c]);
  }
  return sum / ((a.data.length / 4) * 3);
}

test("a screenshot asked from the console is the kiosk window as it is shown", async () => {
  const screen = () => s.run("return document.body.dataset.screen || null");
  await until(async () => (await screen()) === "attract", "attract loop not shown", 30_000);
  await s.click('[data-testid="attract"]');
  await until(async () => (await screen()) === "home", "home not shown");
  await until(async () => (await s.run('return document.querySelectorAll("[data-testid=chapter-card]").length')) >= 7, "no chapter cards");
  await sleep(1500); // the home screen's entrance has settled
  await until(async () => (await server.admin("GET", "/v1/admin/fleet")).screens[0]?.streaming, "the kiosk holds no event stream", 30_000);

  const asked = await server.admin("POST", `/v1/admin/devices/${device}/screenshot`);
  assert.equal(asked.streaming, true);
  const shot = await until(async () => {
    const { screenshots } = await server.admin("GET", `/v1/admin/devices/${device}/screenshots`);
    return screenshots.find((x) => x.request === asked.request);
  }, "no screenshot arrived", 20_000).catch((e) => {
    throw new Error(`${e.message}\n${kiosk.log().split("\n").filter((l) => /screenshot|snapshot/i.test(l)).join("\n")}`);
  });
  const res = await server.request("GET", `/v1/admin/devices/${device}/screenshots/${shot.id}.png`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  const bytes = Buffer.from(await res.arrayBuffer());
  writeFileSync(join(shots, "60-screenshot-from-the-kiosk.png"), bytes);
  const fromWebDriver = await s.screenshot();
  writeFileSync(join(shots, "61-webdriver-screenshot-beside-it.png"), fromWebDriver);
  assert.match(kiosk.log(), /screenshot uploaded/);

  const picture = PNG.sync.read(bytes);
  const [width, height, ratio] = await s.run("return [window.innerWidth, window.innerHeight, window.devicePixelRatio]");
  assert.deepEqual([width, height], [WIDTH, HEIGHT], "the window fills the display");
  assert.deepEqual([picture.width, picture.height], [width * ratio, height * ratio], "the window's size");
  assert.deepEqual([shot.width, shot.height, shot.bytes], [picture.width, picture.height, bytes.length]);
  assert.ok(Math.abs(Date.parse(shot.taken_at) - Date.now()) < 60_000, `taken at ${shot.taken_at}`);
  assert.ok(colours(picture) > 500, `only ${colours(picture)} colours: a blank picture`);

  const seen = PNG.sync.read(fromWebDriver);
  assert.deepEqual([seen.width, seen.height], [picture.width, picture.height]);
  const apart = difference(picture, seen);
  assert.ok(apart < 6, `the screenshot differs from the window by ${apart.toFixed(1)} per channel`);
});
