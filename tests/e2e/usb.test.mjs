// A USB stick at a fair abroad: a bundle that appears in a watched folder while
// the board plays is verified, imported and shown from the player's next item; a
// tampered bundle on the same stick is refused with one log line and changes
// nothing. Staff read each outcome on the screen.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageBundle } from "./bundles.mjs";
import { shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

let kiosk;
let s;
let work;
let usb;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kiosk-usb-"));
  usb = join(work, "usb");
  mkdirSync(usb);
  const old = messageBundle(work, "old", 3, "before", { vi: "Bản cũ", en: "The old release" });
  kiosk = await startKiosk({
    mode: "signage",
    contentExtra: [`watch_dirs = ["${usb}"]`],
    prepare: (data) => cpSync(old, join(data, "incoming/old"), { recursive: true }),
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

const notice = () =>
  s.run(`const el = document.querySelector('[data-testid=usb-notice]');
    return el && !el.hidden ? { outcome: el.dataset.outcome, text: el.innerText } : {};`);
const playing = () => s.run("return document.querySelector('[data-testid=player]')?.dataset.playing || ''");

test("a bundle copied onto the watched stick plays from the next item; a tampered one is refused", async () => {
  await until(async () => (await playing()).startsWith("before/"), "the old release does not play", 30_000);

  const tampered = messageBundle(work, "tampered", 9, "evil", { vi: "Giả mạo", en: "Forged" });
  const manifest = join(tampered, "manifest.json");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("Forged", "Forgee"));
  const fresh = messageBundle(work, "fresh", 4, "after", { vi: "Bản mới từ USB", en: "From the USB stick" });
  // Copied under a hidden name, then renamed: a half-copied bundle is never tried.
  cpSync(tampered, join(usb, ".tampered"), { recursive: true });
  renameSync(join(usb, ".tampered"), join(usb, "tampered"));

  // Staff who plugged the stick in read why it was refused, in both languages.
  await until(async () => (await notice()).outcome === "refused", "no refusal shown to staff", 30_000, 300);
  const refusal = await notice();
  assert.match(refusal.text, /USB: nội dung bị từ chối, màn hình giữ nội dung hiện tại/);
  assert.match(refusal.text, /USB: bundle refused; the screen keeps its content\s+.*signature/);
  assert.ok((await playing()).startsWith("before/"), "a refused stick changes nothing");
  writeFileSync(join(shots, "41-signage-usb-refused.png"), await s.screenshot());

  cpSync(fresh, join(usb, ".fresh"), { recursive: true });
  renameSync(join(usb, ".fresh"), join(usb, "fresh"));
  await until(async () => (await notice()).outcome === "shown", "no confirmation shown to staff", 30_000, 300);
  assert.match((await notice()).text, /phiên bản 4.*version 4 accepted and showing now/s);
  await until(async () => (await playing()).startsWith("after/"), "the stick's release does not play", 30_000, 300);
  const log = kiosk.log();
  assert.match(log, /bundle imported from a watched folder .*version=4/);
  const refused = log.split("\n").filter((l) => l.includes("bundle refused; the screen keeps its release"));
  assert.equal(refused.length, 1, log);
  assert.match(refused[0], /tampered/);
  assert.match(refused[0], /signature/);
  writeFileSync(join(shots, "41-signage-after-usb.png"), await s.screenshot());
});
