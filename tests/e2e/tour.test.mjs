// The Innovation Zone tour on the real app in a real window (Xvfb): from the home
// screen to the map, a stop's card in the visitor's language, its story scene and
// back, the guided tour stepping on by itself and pausing at a touch of the map, in
// Vietnamese, Korean and Traditional Chinese, landscape and portrait; then a board
// playing the tour item of its playlist.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { boardOptions } from "./bundles.mjs";
import { chooseLanguage, repo, shots, startKiosk, untilSettled } from "./harness.mjs";
import { until } from "./webdriver.mjs";

/** A TOML file of media/, read by Python's own TOML reader. */
function toml(path) {
  const script = "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))";
  return JSON.parse(execFileSync("python3", ["-c", script, join(repo, "media", path)]).toString());
}

const tour = toml("tour.toml");
const ui = toml("pack.toml").ui;
/** The title of `scene` of `chapter` in `lang`, from media/story/. */
function sceneTitle(chapter, scene, lang) {
  const file = execFileSync("grep", ["-l", `^id = "${chapter}"$`, "-r", join(repo, "media/story")]).toString().trim().split("\n")[0];
  const c = toml(file.slice(join(repo, "media").length + 1));
  return c.scenes.find((s) => s.id === scene).title[lang];
}
const stopById = (id) => tour.stops.find((s) => s.id === id);

let kiosk;
let s;
const save = async (name) => writeFileSync(join(shots, `${name}.png`), await s.screenshot());
const screen = () => s.run("return document.body.dataset.screen || null");
const cardStop = () => s.run('return document.querySelector("[data-testid=tour-card]")?.dataset.stopId ?? null');
const cardName = () => s.text('[data-testid="tour-card-name"]');

after(async () => {
  if (kiosk) await kiosk.close();
});

/** A new kiosk in place of the one before (closed even when its test failed). */
async function restart(options) {
  if (kiosk) await kiosk.close();
  kiosk = null;
  kiosk = await startKiosk(options);
  s = kiosk.session;
}

/** From the attract loop to the tour's map. */
async function openTour(lang) {
  await until(async () => (await screen()) === "attract", "attract loop not shown", 30_000);
  await s.click('[data-testid="attract"]');
  await until(async () => (await screen()) === "home", "home not shown");
  if (lang !== "vi") await chooseLanguage(s, lang);
  // (Its text reads as empty until the banner has faded in.)
  await until(async () => (await s.text('[data-testid="home-tour"]')).includes(tour.title[lang]), `the home screen's tour banner says "${tour.title[lang]}"`);
  await s.click('[data-testid="home-tour"]');
  await until(async () => (await screen()) === "tour", "the tour is not shown");
  await untilSettled(s, '[data-testid="tour"]');
}

/** Every stop's marker on the screen, a finger's size, none over another, and the
 *  sample note on the screen, clear of the panel. */
async function assertMapReads(lang) {
  const layout = await s.run(`
    const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
    return {
      markers: [...document.querySelectorAll('[data-testid="tour-marker"]')].map((m) => ({
        id: m.dataset.stopId,
        label: m.getAttribute('aria-label'),
        name: m.parentElement.querySelector('.tour-marker-name').innerText.trim(),
        pressed: m.getAttribute('aria-pressed'),
        ...box(m),
      })),
      note: box(document.querySelector('[data-testid="tour-map-note"]')),
      noteText: document.querySelector('[data-testid="tour-map-note"]').innerText.trim(),
      panel: box(document.querySelector('.tour-panel')),
      screen: { w: innerWidth, h: innerHeight },
    };`);
  const inside = (r) => r.x >= 0 && r.y >= 0 && r.x + r.w <= layout.screen.w && r.y + r.h <= layout.screen.h;
  const apart = (a, b) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
  assert.equal(layout.markers.length, tour.stops.length, "a marker for every stop");
  for (const m of layout.markers) {
    assert.ok(m.w >= 64 && m.h >= 64, `${m.id}: ${m.w}×${m.h} px, smaller than a finger`);
    assert.ok(inside(m), `${m.id} is off the screen`);
    assert.ok(apart(m, layout.panel), `${m.id} is under the panel`);
    assert.equal(m.name, stopById(m.id).name[lang], `${m.id}'s name on the map`);
    assert.equal(m.label, stopById(m.id).name[lang], `${m.id}'s button is named`);
  }
  for (const [i, a] of layout.markers.entries()) {
    for (const b of layout.markers.slice(i + 1)) assert.ok(apart(a, b), `${a.id} and ${b.id} overlap`);
  }
  assert.equal(layout.noteText, ui[lang].tour_map_sample, "the map says it is a sample");
  assert.ok(inside(layout.note) && apart(layout.note, layout.panel), "the sample note is in sight");
}

/** Touches a stop; its card opens with its name in `lang`. */
async function touchStop(id, lang) {
  await s.click(`[data-testid="tour-marker"][data-stop-id="${id}"]`);
  await until(async () => (await cardStop()) === id, `the card of ${id} does not open`);
  await until(async () => (await cardName()) === stopById(id).name[lang], "the card does not show its stop's name");
  const sampleMark = await s.run('return document.querySelector("[data-testid=tour-sample]")?.innerText.trim() ?? null');
  assert.equal(sampleMark, stopById(id).sample ? ui[lang].tour_sample : null, `${id}'s sample mark`);
}

/** A point of the map where a touch meets no marker. */
async function emptyMapPoint() {
  return s.run(`
    const w = document.querySelector('.tour-window').getBoundingClientRect();
    for (let fy = 0.95; fy > 0.05; fy -= 0.05) for (let fx = 0.05; fx < 0.95; fx += 0.05) {
      const [x, y] = [w.left + w.width * fx, w.top + w.height * fy];
      const el = document.elementFromPoint(x, y);
      if (el && el.closest('.tour-map') && !el.closest('.tour-marker')) return { x, y };
    }
    return null;`);
}

test("landscape, Vietnamese: a stop's card, its story scene and back", async () => {
  await restart({ width: 1920, height: 1080, idleSecs: 120 });
  await openTour("vi");
  await assertMapReads("vi");
  await save("40-tour-vi-landscape");

  const stop = stopById("innovation-centre");
  await touchStop(stop.id, "vi");
  await sleep(600);
  await save("41-tour-stop-vi-landscape");

  await s.click('[data-testid="tour-open-scene"]');
  await until(async () => (await screen()) === "chapter", "the stop's story does not open");
  const chapter = await s.run('return document.querySelector("[data-testid=chapter]").dataset.chapterId');
  assert.equal(chapter, stop.chapter);
  await until(async () => (await s.text('[data-testid="scene-title"]')) === sceneTitle(stop.chapter, stop.scene, "vi"), "the stop's scene");
  await sleep(800);
  await save("42-tour-scene-vi-landscape");

  await s.click('[data-testid="go-back"]');
  await until(async () => (await screen()) === "tour", "back does not return to the tour");
  assert.equal(await cardStop(), stop.id, "back returns to the stop's card");
});

test("landscape, Vietnamese: the guided tour steps on by itself and pauses at a touch of the map", async () => {
  await s.click('[data-testid="tour-card-close"]');
  await s.click('[data-testid="tour-guide-start"]');
  const [first, second, third] = tour.stops;
  await until(async () => (await cardStop()) === first.id, "the guided tour starts at the first stop");
  await until(async () => (await cardName()) === first.name.vi, "the card does not show its stop's name");
  const active = () => s.run('return document.querySelector(".tour-marker.is-active")?.dataset.stopId ?? null');
  assert.equal(await active(), first.id, "its marker is highlighted");

  const stepMs = tour.seconds_per_stop * 1000;
  const started = Date.now();
  await until(async () => (await cardStop()) === second.id, "the guided tour does not move on", stepMs + 5000, 250);
  const took = Date.now() - started;
  assert.ok(took > stepMs - 1500, `moved on after ${took} ms, before its ${stepMs} ms`);
  await until(async () => (await cardName()) === second.name.vi, "the card does not show its stop's name");
  assert.equal(await active(), second.id);
  await sleep(400);
  await save("43-tour-guided-vi-landscape");

  // A touch of the map pauses it where it is.
  const point = await emptyMapPoint();
  assert.ok(point, "somewhere on the map without a marker");
  await s.tap(point.x, point.y);
  await s.waitFor('[data-testid="tour-guide-resume"]');
  await sleep(stepMs + 1000);
  assert.equal(await cardStop(), second.id, "paused: the tour stays at its stop");

  await s.click('[data-testid="tour-guide-next"]');
  await until(async () => (await cardStop()) === third.id, "next goes to the next stop");
  await s.click('[data-testid="tour-guide-stop"]');
  await s.waitFor('[data-testid="tour-guide-start"]');
  assert.equal(await s.run('return !!document.querySelector("[data-testid=tour-guide]")'), false, "the guided tour has ended");
});

test("landscape: the tour in Korean and in Traditional Chinese", async () => {
  for (const [lang, id] of [
    ["ko", "vsip"],
    ["zh-Hant", "thu-dau-mot-university"],
  ]) {
    await chooseLanguage(s, lang);
    assert.equal(await screen(), "tour", "still on the tour");
    await sleep(1000);
    await assertMapReads(lang);
    await touchStop(id, lang);
    await sleep(600);
    await save(`44-tour-stop-${lang}-landscape`);
    await s.click('[data-testid="tour-card-close"]');
  }
});

test("portrait, Traditional Chinese: the map, a stop and the guided tour", async () => {
  await restart({ width: 1080, height: 1920, idleSecs: 120 });
  await openTour("zh-Hant");
  assert.ok(await s.run("return document.documentElement.scrollWidth <= window.innerWidth"), "nothing scrolls sideways");
  await assertMapReads("zh-Hant");
  await save("45-tour-zh-Hant-portrait");
  await touchStop("wtc-binh-duong", "zh-Hant");
  await sleep(600);
  await save("46-tour-stop-zh-Hant-portrait");
  await s.click('[data-testid="tour-card-close"]');
  await s.click('[data-testid="tour-guide-start"]');
  await until(async () => (await cardStop()) === tour.stops[0].id, "the guided tour starts at the first stop");
  await s.click('[data-testid="tour-guide-next"]');
  await until(async () => (await cardStop()) === tour.stops[1].id, "next goes to the next stop");
  await sleep(600);
  await save("47-tour-guided-zh-Hant-portrait");
});

test("a board plays the tour: the map, then each stop with its card in the screen's languages", async () => {
  const secondsPerStop = 3;
  const playlists = `
[schedule]
fallback = "tour"

[[playlists]]
id = "tour"

[[playlists.items]]
id = "innovation-tour"
kind = "tour"

[[playlists.items]]
id = "hello"
kind = "message"
seconds = 3
[playlists.items.text]
vi = "Chào mừng đến Bình Dương"
en = "Welcome to Bình Dương"
`;
  // Short stops, so the board moves on quickly.
  const tourToml = readFileSync(join(repo, "media/tour.toml"), "utf8").replace(/^seconds_per_stop = \d+$/m, `seconds_per_stop = ${secondsPerStop}`);
  await restart(boardOptions({ name: "tour-board", playlistsToml: playlists, files: { "tour.toml": tourToml } }));

  const showing = () =>
    s.run(`
      const slide = [...document.querySelectorAll('.player-stage > .slide-tour:not(.is-leaving)')].pop();
      if (!slide) return null;
      const words = [...slide.querySelectorAll('.tour-slide-words')];
      return {
        stop: slide.dataset.stop,
        active: slide.querySelector('.tour-marker.is-active')?.dataset.stopId ?? null,
        markers: slide.querySelectorAll('.tour-marker').length,
        texts: words.map((w) => ({ lang: w.lang, text: w.innerText })),
      };`);
  const playing = () => s.run("return document.querySelector('[data-testid=player]')?.dataset.playing || ''");
  await until(async () => (await playing()) === "tour/innovation-tour", "the board does not play the tour", 45_000).catch((e) =>
    assert.fail(`${e.message}\n--- kiosk log ---\n${kiosk.log()}`),
  );
  const [first, second] = tour.stops;
  const firstShown = await until(async () => {
    const v = await showing();
    return v?.stop === first.id ? v : null;
  }, "the tour does not begin with its first stop");
  assert.equal(firstShown.markers, tour.stops.length, "every stop on the board's map");
  assert.equal(firstShown.active, first.id, "the first stop is highlighted");
  assert.deepEqual(firstShown.texts.map((t) => t.lang), ["vi", "en"], "the card in the screen's languages");
  for (const t of firstShown.texts) {
    const lang = t.lang;
    assert.ok(t.text.includes(first.name[lang]) && t.text.includes(first.summary[lang]), `${lang} card: ${t.text}`);
    if (first.sample) assert.ok(t.text.includes(ui[lang].tour_sample), `the ${lang} card marks a sample: ${t.text}`);
  }
  await sleep(1000);
  writeFileSync(join(shots, "48-tour-board.png"), await s.screenshot());

  const second_ = await until(async () => {
    const v = await showing();
    return v?.stop === second.id ? v : null;
  }, "the board does not move on to the second stop", secondsPerStop * 1000 + 5000);
  assert.equal(second_.active, second.id);
  assert.ok(second_.texts[0].text.includes(second.name.vi));
  await kiosk.close();
  kiosk = null;
});
