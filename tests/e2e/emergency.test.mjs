// WTC staff raise an emergency message on the central server: a bulletin board
// that syncs from it shows the words over its playlist within a couple of seconds,
// in Vietnamese and English, and takes them down when they are withdrawn; the
// playlist never stops underneath.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devKey, shots, startKiosk } from "./harness.mjs";
import { startServer } from "./server.mjs";
import { until } from "./webdriver.mjs";

const ADMIN = "admin-token-for-the-emergency-test";

/** A JSON request with the admin token that must succeed; its answer. */
const admin = (method, path, body) => server.admin(method, path, body);

let server;
let kiosk;
let s;

before(async () => {
  const work = mkdtempSync(join(tmpdir(), "kiosk-emergency-"));
  server = await startServer(work, ADMIN);
  const serverKey = join(work, "server.pub");
  writeFileSync(serverKey, server.key);
  const emergencyKey = join(work, "emergency.pub");
  writeFileSync(emergencyKey, server.emergencyKey);
  await admin("POST", "/v1/admin/channels", { name: "wtc-booths" });
  const enrolled = await server.enrol("wtc-booths", "Hall A board");
  // The board's clock runs six hours ahead: the message is timed from its
  // arrival on the server's clock, so it still shows for its whole lifetime.
  const sixHoursAhead = new Date(Date.now() + 6 * 3600_000).toISOString();
  kiosk = await startKiosk({
    mode: "signage",
    trustedKeys: [devKey, serverKey],
    contentExtra: [`emergency_keys = ${JSON.stringify([emergencyKey])}`],
    args: ["--clock-start", sixHoursAhead],
    extra: ["[sync]", `server = "${server.base}"`, `token = "${enrolled.token}"`, "every_secs = 3600"],
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
  server?.stop();
});

const playing = () => s.run("return document.querySelector('[data-testid=player]')?.dataset.playing || ''");
const banner = () =>
  s.run(`const el = document.querySelector('[data-testid=emergency]');
         return el && !el.hidden && el.getBoundingClientRect().width > 0 ? el.innerText : '';`);

test("an emergency message covers the playlist within seconds and comes down when withdrawn", async () => {
  await until(async () => (await playing()) !== "", "the board plays nothing", 30_000);
  // The board listens to the server's event stream before the message is raised.
  await until(async () => /syncing releases/.test(kiosk.log()) && (await banner()) === "", "no sync", 10_000);
  await new Promise((r) => setTimeout(r, 1500));

  const raised = Date.now();
  await admin("POST", "/v1/admin/channels/wtc-booths/emergency", {
    text: { vi: "Vui lòng rời hội trường theo lối thoát hiểm gần nhất", en: "Please leave the hall by the nearest exit" },
    minutes: 15,
  });
  const words = await until(banner, "no emergency message on screen", 10_000, 100).catch((e) => {
    throw new Error(`${e.message}\n${kiosk.log().split("\n").filter((l) => /sync|emergenc|announce/i.test(l)).join("\n")}`);
  });
  const took = Date.now() - raised;
  assert.ok(took < 2500, `the message took ${took} ms to appear`);
  const [vi, en, time] = words.split("\n").filter(Boolean);
  assert.equal(vi, "Vui lòng rời hội trường theo lối thoát hiểm gần nhất", "Vietnamese first, large");
  assert.equal(en, "Please leave the hall by the nearest exit");
  assert.match(time, /^\d\d:\d\d$/, "the time it was issued, on the screen's clock");
  assert.match(kiosk.log(), /emergency message received/);
  // Six hours ahead, the message had expired by the board's own clock: it shows
  // because its lifetime is counted from its arrival.
  assert.match(kiosk.log(), /differs from the server's; emergency messages are timed from their arrival/);
  writeFileSync(join(shots, "50-emergency-message.png"), await s.screenshot());
  const underneath = await playing();
  assert.notEqual(underneath, "", "the playlist keeps playing underneath");

  await admin("DELETE", "/v1/admin/channels/wtc-booths/emergency");
  await until(async () => (await banner()) === "", "the withdrawn message stays on screen", 5_000, 100);
  assert.notEqual(await playing(), "");
});
