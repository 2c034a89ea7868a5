// A bulletin board syncs from a lead kiosk's mirror on the booth network: the new
// release verifies completely, becomes active, and the player moves to it at its
// next item, without a restart and without a black frame.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageBundle } from "./bundles.mjs";
import { kioskctlBinary, repo, shots, startKiosk } from "./harness.mjs";
import { freePort, until } from "./webdriver.mjs";

/** Starts `kioskctl mirror` on `port` of a lead data folder holding `release`. */
async function startMirror(work, release, port) {
  const lead = join(work, "lead");
  mkdirSync(join(lead, "incoming"), { recursive: true });
  cpSync(release, join(lead, "incoming/stick"), { recursive: true });
  mirror = spawn(kioskctlBinary, [
    "mirror", "--data-dir", lead, "--channel", "wtc-booths", "--listen", `127.0.0.1:${port}`,
    "--public-key", join(repo, "kiosk-config/dev-keys/content-dev.pub"),
  ], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((resolve) => createInterface({ input: mirror.stdout }).once("line", resolve));
  assert.match(line, /^mirroring wtc-booths version 8 on http:\/\/127\.0\.0\.1:\d+$/);
}

let kiosk;
let mirror;
let s;
let work;
let fresh;
let port;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kiosk-sync-"));
  const old = messageBundle(work, "old", 7, "before", { vi: "Bản cũ", en: "The old release" });
  fresh = messageBundle(work, "new", 8, "after", { vi: "Bản mới từ máy chủ", en: "The new release" });
  // The lead kiosk is not up yet: the board starts on what it has.
  port = await freePort();
  kiosk = await startKiosk({
    mode: "signage",
    extra: ["[sync]", `server = "http://127.0.0.1:${port}"`, "every_secs = 5"],
    prepare: (data) => cpSync(old, join(data, "incoming/old"), { recursive: true }),
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
  mirror?.kill("SIGTERM");
});

const playing = () => s.run("return document.querySelector('[data-testid=player]')?.dataset.playing || ''");

test("the board plays its release, then moves to the one synced from the mirror", async () => {
  await until(async () => (await playing()).startsWith("before/"), "the old release does not play", 30_000);
  assert.match(kiosk.log(), /sync failed; the screen keeps its release/);
  await startMirror(work, fresh, port);
  await until(async () => (await playing()).startsWith("after/"), "the synced release does not play", 60_000, 300);
  assert.match(kiosk.log(), /release synced and active channel="wtc-booths" version=8/);
  const words = await until(
    () => s.run("return [...document.querySelectorAll('.player-stage > .slide:not(.is-leaving)')].pop()?.innerText || ''"),
    "nothing shown",
  );
  writeFileSync(join(shots, "40-signage-after-sync.png"), await s.screenshot());
  assert.ok(words.includes("Bản mới từ máy chủ") || (await playing()) === "after/picture", words);
});

test("the staff panel shows the sync server, its last round and the events waiting", async () => {
  for (let i = 0; i < 5; i++) await s.click('[data-testid="staff-corner"]');
  for (const d of "2023") await s.click(`[data-testid="pin-key-${d}"]`);
  await s.click('[data-testid="pin-ok"]');
  const sync = await until(async () => s.text('[data-testid="staff-sync"]'), "no sync status on the staff panel");
  assert.match(sync, new RegExp(`^Đồng bộ · http://127\\.0\\.0\\.1:${port} · .+ · (version 8 activated|up to date)$`));
  assert.equal(await s.text('[data-testid="staff-version"]'), "#8", "the release shown now");
  const outbox = await s.text('[data-testid="staff-outbox"]');
  assert.match(outbox, /^\d+ sự kiện chờ gửi$/);
  writeFileSync(join(shots, "42-staff-sync-status.png"), await s.screenshot());
  await s.click('[data-testid="staff-resume"]');
});
