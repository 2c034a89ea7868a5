// Content from a USB stick, with a film the webview cannot play and a tampered
// bundle beside it: the good bundle is imported, the tampered one refused with one
// log line, and the broken film is skipped with a logged reason — never a black
// screen.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chooseLanguage, kioskctlBinary, repo, shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

let kiosk;
let s;
const screen = () => s.run("return document.body.dataset.screen || null");

/** Builds a signed bundle of media/ whose main film is text renamed .mp4. */
function stickWithBrokenFilm() {
  const work = mkdtempSync(join(tmpdir(), "kiosk-stick-"));
  const source = join(work, "media");
  cpSync(join(repo, "media"), source, { recursive: true });
  writeFileSync(join(source, "videos/binh-duong-film.mp4"), "this is a text file, not a film\n".repeat(50));
  const build = (out, version) =>
    execFileSync(kioskctlBinary, [
      "bundle", "build", source, "--channel", "wtc-booths", "--version", String(version),
      "--key", join(repo, "kiosk-config/dev-keys/content-dev.key"), "--out", join(work, out),
      // As a tool without GStreamer would: the film is not probed, so the kiosk meets it unchecked.
      "--no-probe",
    ]);
  build("usb-release", 2);
  build("tampered", 3);
  const manifest = join(work, "tampered/manifest.json");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace("TOP 1", "TOP 9"));
  return work;
}

before(async () => {
  const stick = stickWithBrokenFilm();
  kiosk = await startKiosk({
    idleSecs: 120,
    prepare: (data) => {
      cpSync(join(stick, "usb-release"), join(data, "incoming/usb-release"), { recursive: true });
      cpSync(join(stick, "tampered"), join(data, "incoming/tampered"), { recursive: true });
    },
  });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

test("imports the good bundle and refuses the tampered one with one log line", async () => {
  await until(async () => (await screen()) === "attract", "attract loop not shown", 30_000);
  const log = kiosk.log();
  const imported = log.split("\n").filter((l) => l.includes("bundle imported"));
  assert.equal(imported.length, 1, log);
  assert.match(imported[0], /usb-release.*version=2/);
  const refusals = log.split("\n").filter((l) => l.includes("bundle refused"));
  assert.equal(refusals.length, 1, log);
  assert.match(refusals[0], /tampered/);
  assert.match(refusals[0], /signature does not verify/);
  assert.match(log, /content active channel="wtc-booths" version=2/);
  const incoming = readdirSync(join(kiosk.dataDir, "incoming"));
  assert.deepEqual(incoming, ["tampered.rejected"]);
});

test("the attract loop shows pictures instead of the broken film", async () => {
  // The kiosk checks every film with its own decoders before it shows a release.
  await until(() => kiosk.log().includes("film left out: this machine cannot decode it"), "the broken film is not reported", 20_000);
  await sleep(2500);
  const visible = await s.run(`
    const imgs = [...document.querySelectorAll('[data-testid="attract"] img')];
    return imgs.some((i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 300);
  `);
  assert.ok(visible, "a picture fills the attract loop");
  writeFileSync(join(shots, "21-attract-broken-film.png"), await s.screenshot());
});

test("the chapter shows the scene picture and a notice instead of the broken film", async () => {
  await s.click('[data-testid="attract"]');
  await until(async () => (await screen()) === "home", "home not shown");
  await chooseLanguage(s, "en");
  await s.click('[data-testid="chapter-card"]');
  await until(async () => (await screen()) === "chapter", "chapter not shown");
  const notice = await until(
    () => s.run("return document.body.innerText.includes('This film cannot be shown') || document.body.innerText.includes('cannot be shown')"),
    "no notice for the broken film",
  );
  assert.ok(notice);
  await sleep(800);
  writeFileSync(join(shots, "22-chapter-broken-film-en.png"), await s.screenshot());
  const skipped = kiosk.log().split("\n").filter((l) => l.includes("media skipped"));
  assert.ok(skipped.length >= 1, "logged with its reason");
  assert.match(skipped[0], /reason=/);
});
