// Signage mode: a bulletin board loops its scheduled playlist in a real window.
// The device clock starts 25 s before a schedule window closes (--clock-start), so
// the switch to the next playlist is seen without waiting for the hour. A film the
// machine cannot decode and a picture that is not a picture are skipped with their
// reasons; every start and end is recorded, in SQLite and in the event log, and
// stays recorded through a kill -9.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { boardOptions } from "./bundles.mjs";
import { shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

const PLAYLISTS = `
[schedule]
fallback = "evening"

[[schedule.entries]]
playlist = "day"
priority = 10
window = { start = "08:00", end = "17:30" }

[[playlists]]
id = "day"

[[playlists.items]]
id = "picture"
kind = "image"
image = "images/award-cover.svg"
seconds = 3

[[playlists.items]]
id = "broken-film"
kind = "video"
video = "videos/broken.mp4"

[[playlists.items]]
id = "hello"
kind = "message"
seconds = 3
[playlists.items.text]
vi = "Chào mừng đến Bình Dương"
en = "Welcome to Bình Dương"

[[playlists.items]]
id = "broken-picture"
kind = "image"
image = "images/broken.png"
seconds = 3

[[playlists.items]]
id = "scene"
kind = "scene"
chapter = "award"
scene = "new-york"
seconds = 3

[[playlists.items]]
id = "film"
kind = "video"
video = "videos/innovation-zone.mp4"
seconds = 4

[[playlists.items]]
id = "brochure"
kind = "brochure"
brochure = "invest-guide"
seconds = 3

[[playlists]]
id = "evening"

[[playlists.items]]
id = "night-message"
kind = "message"
seconds = 3
[playlists.items.text]
vi = "Hẹn gặp lại"
en = "See you tomorrow"

[[playlists.items]]
id = "night-picture"
kind = "image"
image = "images/talent-cover.svg"
seconds = 3
`;

// Monday 7 December 2026, 17:29:15 in Vietnam: 45 s before "day" ends, time for
// start-up and one whole loop (16 s) of "day".
const CLOCK_START = "2026-12-07T17:29:15+07:00";

let kiosk;
let s;
let eventLog;

let filmRate = 0;

/** Seconds of film played per second of wall time, over one second. */
async function playbackRate() {
  return s.run(`
    // The film's card may be marked as playing a moment before the film starts moving.
    const moving = () => [...document.querySelectorAll('video')].find((v) => !v.paused && v.readyState >= 3);
    for (let waited = 0; !moving() && waited < 3000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    const v = moving();
    if (!v) return 0;
    const [c0, t0] = [v.currentTime, performance.now()];
    return await new Promise((resolve) =>
      setTimeout(() => resolve((v.currentTime - c0) / ((performance.now() - t0) / 1000)), 1000));
  `);
}

/** The events of the log so far. */
function events() {
  if (!existsSync(eventLog)) return [];
  return readFileSync(eventLog, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

before(async () => {
  eventLog = join(mkdtempSync(join(tmpdir(), "kiosk-events-")), "events.jsonl");
  kiosk = await startKiosk(
    boardOptions({
      name: "board",
      playlistsToml: PLAYLISTS,
      files: {
        "videos/broken.mp4": "not a film at all\n".repeat(100),
        "images/broken.png": Buffer.from("89504e470d0a1a0a0000000d49484452deadbeef", "hex"),
      },
      signage: ["crossfade_ms = 300"],
      top: ['time_zone = "Asia/Ho_Chi_Minh"'],
      args: ["--clock-start", CLOCK_START, "--event-log", eventLog],
    }),
  );
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

test("plays the scheduled playlist in order, with the planned durations", async () => {
  await until(async () => (await s.run("return document.body.dataset.screen")) === "signage", "signage mode not shown", 30_000).catch(
    (e) => assert.fail(`${e.message}\n--- kiosk log ---\n${kiosk.log()}`),
  );
  // Screenshots of each kind of card as it comes round.
  const seen = new Set();
  const deadline = Date.now() + 30_000;
  const dayStarts = () => events().filter((e) => e.kind === "item_start" && e.data.playlist === "day");
  while (Date.now() < deadline && dayStarts().length < 6) {
    const playing = await s.run("return document.querySelector(\"[data-testid=player]\")?.dataset.playing || ''");
    const item = playing.split("/")[1];
    if (item && !seen.has(item) && ["hello", "scene", "brochure", "film", "picture"].includes(item)) {
      seen.add(item);
      if (item === "film") filmRate = await playbackRate();
      await sleep(900); // past the crossfade
      writeFileSync(join(shots, `30-signage-${item}.png`), await s.screenshot());
    }
    await sleep(250);
  }
  await sleep(1000); // the last batch of events
  // Films keep their own pace (no sound card here: the sound goes nowhere, in time).
  assert.ok(filmRate > 0.8 && filmRate < 1.25, `the film played at ${filmRate}× its speed`);
  const starts = dayStarts().map((e) => e.data.item);
  assert.deepEqual(starts.slice(0, 6), ["picture", "hello", "scene", "film", "brochure", "picture"], JSON.stringify(starts));

  // Durations from the second item on: the first one's start is the window's first paint.
  const ends = events()
    .filter((e) => e.kind === "item_end" && e.data.playlist === "day" && !e.data.skip_reason)
    .slice(1);
  assert.ok(ends.length >= 4, JSON.stringify(ends));
  for (const e of ends) {
    const { item, planned_ms, actual_ms } = e.data;
    assert.ok(Math.abs(actual_ms - planned_ms) <= planned_ms * 0.1, `${item}: ${actual_ms} ms, planned ${planned_ms} ms`);
  }
});

test("skips the undecodable film and the broken picture with their reasons", async () => {
  const log = kiosk.log();
  assert.match(log, /film left out: this machine cannot decode it/);
  const skipped = events().filter((e) => e.kind === "item_end" && e.data.skip_reason);
  const film = skipped.find((e) => e.data.item === "broken-film");
  assert.ok(film, JSON.stringify(skipped));
  const picture = skipped.find((e) => e.data.item === "broken-picture");
  assert.ok(picture, JSON.stringify(skipped));
  assert.match(picture.data.skip_reason, /could not be loaded or decoded/);
});

test("switches playlist when the clock passes the window edge", async () => {
  const change = await until(
    () => events().find((e) => e.kind === "playlist_change"),
    "no playlist change",
    45_000,
    500,
  );
  assert.equal(change.data.from, "day");
  assert.equal(change.data.to, "evening");
  // The device clock said 17:30 (± the few seconds of start-up), not the real time.
  const at = new Date(change.at).getTime();
  const edge = new Date("2026-12-07T17:30:00+07:00").getTime();
  assert.ok(Math.abs(at - edge) < 5_000, `switched at ${change.at}`);
  await until(
    async () => (await s.run("return document.querySelector(\"[data-testid=player]\")?.dataset.playing || ''")).startsWith("evening/"),
    "the evening playlist does not play",
  );
  await sleep(1000);
  writeFileSync(join(shots, "31-signage-evening.png"), await s.screenshot());
  const visible = await s.run(`
    const slide = [...document.querySelectorAll('.player-stage > .slide:not(.is-leaving)')].pop();
    return slide ? slide.innerText + '|' + slide.dataset.kind : '';
  `);
  assert.ok(visible.length > 0, "an item fills the screen");
});

test("events are in the device store and survive a kill -9", async () => {
  await sleep(1500); // the last batch
  const logged = events();
  const pid = execFileSync("pgrep", ["-f", `kiosk --config ${kiosk.dataDir.replace(/data$/, "kiosk.toml")}`]).toString().trim().split("\n")[0];
  execFileSync("kill", ["-9", pid]);
  await sleep(500);
  const count = (kind) =>
    Number(
      execFileSync("python3", [
        "-c",
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select count(*) from events where kind=?', (sys.argv[2],)).fetchone()[0])",
        join(kiosk.dataDir, "kiosk.sqlite"),
        kind,
      ]).toString(),
    );
  const loggedOf = (kind) => logged.filter((e) => e.kind === kind).length;
  assert.ok(loggedOf("item_start") > 5);
  assert.ok(count("item_start") >= loggedOf("item_start"), `${count("item_start")} stored, ${loggedOf("item_start")} logged`);
  assert.ok(count("item_end") >= loggedOf("item_end"));
  assert.equal(count("playlist_change"), 1);
  const ids = new Set(logged.map((e) => e.id));
  assert.equal(ids.size, logged.length, "every event has its own id");
});
