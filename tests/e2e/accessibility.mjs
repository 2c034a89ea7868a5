// Accessibility of the real app in its real window (WebKitGTK under Xvfb), on a
// landscape (1920×1080) and a portrait (1080×1920) screen, in every language:
//
// - axe-core (WCAG 2.1 A and AA rules) finds nothing on any screen a visitor reaches:
//   the attract loop, home, a chapter's first scene (a film) and its second scene, the
//   survey, the brochures, the language sheet, the staff PIN pad, the tour if there is one
//   (its map; with larger text, its cards too);
// - no text is cut, spills out of its box or leaves the screen (ui/kiosk/scripts/text-fit.mjs),
//   also with larger text (vi, en, ja), where the tour's map, every stop's card and the
//   guided tour's controls are checked too, axe included;
// - larger text makes the words 1.3 times as large, the tour's too (turned on over the
//   map: its names move apart and stay clear of the pins, the panel and the sample note);
// - with reduced motion asked for (GTK's gtk-enable-animations = false, which WebKitGTK
//   reports as prefers-reduced-motion: reduce) nothing moves.
//
// Two apps per orientation, so that each file keeps within the time a test file may
// take: normal text (accessibility-landscape.test.mjs, accessibility-portrait.test.mjs)
// and the attract loop and larger text (accessibility-landscape-large.test.mjs,
// accessibility-portrait-large.test.mjs),
// all with reduced motion asked for (what is checked is where things come to rest, and
// nothing has to be waited for); languages are switched in the app, as a visitor does.
// This module holds what they share.

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";
import { textFitProblems } from "../../ui/kiosk/scripts/text-fit.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const LANGUAGES = ["vi", "en", "ko", "ja", "zh-Hans", "zh-Hant"];
const LARGE_TEXT_LANGUAGES = ["vi", "en", "ja"];
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** Text shortened on purpose: teasers said in full one touch away (a chapter card's summary
 *  in its chapter, the brochures tile's hint on the brochures screen). */
const MAY_BE_SHORTENED = [".chapter-card-summary", ".brochures-tile-hint"];
/** The survey of the default content (media/story/07-invest.toml), its last scene. */
const SURVEY_CHAPTER = "invest";

/** Findings of every screen checked, listed together at the end of each orientation. */
function findings() {
  const axe = [];
  const fit = [];
  return {
    axe,
    fit,
    assertNone(label) {
      const lines = [
        ...axe.map((v) => `  axe ${v.rule} (${v.impact}) on ${v.where}: ${v.target} — ${v.summary}`),
        ...fit.map((f) => `  text ${f.problem} on ${f.where}: ${f.element} "${f.text}"`),
      ];
      assert.equal(lines.length, 0, `${label}: ${lines.length} problems\n${lines.join("\n")}`);
    },
  };
}

/** What the test does inside the page, installed once as `window.__a11y`: each step a
 *  visitor takes (a touch, then waiting for the screen) and each check is one WebDriver
 *  call, so the whole round fits in the time a test may take. */
function pageDriver(axeTags, mayBeShortened, textFit) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** The element `css` on what the visitor sees: the sheet or the staff dialog when
   *  open, else the screen shown and the top bar (a leaving screen does not count). */
  const find = (css) =>
    document.querySelector(
      [".lang-sheet-scrim:not(.is-leaving)", ".staff-overlay", ".view:not(.view-leaving)", ".topbar", "#app >"].map((scope) => `${scope} ${css}`).join(", "),
    );
  async function until(check, what, ms = 10000) {
    const end = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > end) throw new Error(`${what} (waited ${ms} ms)`);
      await sleep(50);
    }
  }
  window.__a11y = {
    screen: () => document.body.dataset.screen,
    lang: () => document.documentElement.lang,
    find,
    until,
    async tap(css) {
      const el = await until(() => find(css), `no ${css} on the screen`);
      // The staff door listens for presses, not clicks.
      if (el.dataset.testid === "staff-corner") el.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
      else el.click();
    },
    async show(screen) {
      await until(() => document.body.dataset.screen === screen && document.querySelector(`.view:not(.view-leaving)[data-testid="${screen}"]`), `${screen} not shown`);
    },
    /** Until the entrances are over: what loops or drifts for long does not count. */
    async settled() {
      await until(
        () => document.getAnimations().every((a) => a.playState !== "running" || a.effect.getComputedTiming().endTime >= 5000),
        `still moving: ${document.getAnimations().filter((a) => a.playState === "running").map((a) => a.animationName || a.transitionProperty).join(", ")}`,
      );
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    },
    /** Names and pins of the tour's map that cover one another, the panel or the
     *  sample note (a name under its own pin included). */
    tourClashes() {
      const view = find(".tour-map").closest(".view");
      const box = (el, what) => ({ what, r: el.getBoundingClientRect() });
      const marks = [...view.querySelectorAll(".tour-marker")].flatMap((m) => [
        box(m.querySelector(".tour-marker-pin"), `${m.dataset.stopId}'s pin`),
        box(m.querySelector(".tour-marker-name"), `${m.dataset.stopId}'s name`),
      ]);
      const others = [box(view.querySelector(".tour-panel"), "the panel"), box(view.querySelector(".tour-map-note"), "the sample note")];
      const cover = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
      const out = [];
      for (const [i, a] of marks.entries()) {
        for (const b of [...marks.slice(i + 1), ...others]) if (cover(a.r, b.r)) out.push(`${a.what} covers ${b.what}`);
      }
      return out;
    },
    /** The font size of the first `css` on the screen, in pixels. */
    fontSize: (css) => parseFloat(getComputedStyle(find(css)).fontSize),
    /** axe (unless told not to) and the text check on what is shown now. */
    async check(withAxe) {
      await this.settled();
      const violations = withAxe
        ? (await axe.run(document, { runOnly: { type: "tag", values: axeTags }, resultTypes: ["violations"] })).violations.map((v) => ({
            rule: v.id,
            impact: v.impact,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary.replace(/\s+/g, " ") })),
          }))
        : [];
      return { violations, fit: textFit(mayBeShortened), large: document.documentElement.classList.contains("large-text"), lang: document.documentElement.lang };
    },
  };
}

/** The checks of one app on one screen size. */
function checker(s, orientation, found) {
  /** Runs `body` (an async function's body, with `k` the page driver and `args`) in the page. */
  async function inPage(body, ...args) {
    if (!(await s.run("return !!window.__a11y && !!window.axe"))) {
      // In the script itself: the kiosk's content security policy allows no eval.
      await s.run(`${axeSource}\n(${pageDriver.toString()})(arguments[0], arguments[1], ${textFitProblems.toString()}); return true;`, WCAG_21_AA, MAY_BE_SHORTENED);
      await s.call("POST", "/timeouts", { script: 120_000 });
    }
    const result = await s.call("POST", "/execute/async", {
      script: `const done = arguments[arguments.length - 1];
        const args = Array.from(arguments).slice(0, -1);
        const k = window.__a11y;
        (async () => { ${body} })().then((value) => done({ value }), (e) => done({ error: String(e && e.message || e) }));`,
      args,
    });
    if (result.error) throw new Error(result.error);
    return result.value;
  }

  /** Checks what is shown now and files what it finds under `screen`. */
  async function check(screen, { axe = true } = {}) {
    const r = await inPage("return k.check(args[0]);", axe);
    const where = `${screen}, ${r.lang}, ${orientation}${r.large ? ", larger text" : ""}`;
    for (const v of r.violations) for (const n of v.nodes) found.axe.push({ rule: v.rule, impact: v.impact, where, target: n.target, summary: n.summary });
    for (const p of r.fit) found.fit.push({ ...p, where });
  }

  const goHome = () => inPage(`if (k.screen() !== "home") await k.tap('[data-testid="go-home"]'); await k.show("home");`);
  const openChapter = (id) =>
    inPage(
      `if (k.screen() !== "home") await k.tap('[data-testid="go-home"]');
       await k.show("home");
       await k.tap(args[0]);
       await k.show("chapter");`,
      `[data-testid="chapter-card"]${id ? `[data-chapter-id="${id}"]` : ""}`,
    );

  /** Chooses a language in the sheet, as a visitor does. */
  async function chooseLanguage(tag) {
    await inPage(
      `if (k.lang() === args[1]) return;
       await k.tap('[data-testid="open-languages"]');
       await k.tap(args[0]);
       await k.until(() => k.lang() === args[1], "the language did not change");`,
      `[data-testid="lang-${tag}"]`,
      tag,
    );
  }

  /** The tour's map, then the first stop's card (`everyCard`: each stop's; axe on the
   *  first when `cardAxe`); `shot(what)` is called on the map and on the first card. */
  async function tourScreens({ axe, cardAxe, everyCard, shot }) {
    await inPage(`await k.tap('[data-testid="home-tour"]'); await k.show("tour");`);
    await check("tour", { axe });
    await shot?.("map");
    const stops = await inPage(`return [...k.find(".tour-map").querySelectorAll('[data-testid="tour-marker"]')].map((m) => m.dataset.stopId);`);
    for (const [i, id] of (everyCard ? stops : stops.slice(0, 1)).entries()) {
      await inPage(
        `await k.tap(args[0]);
         await k.until(() => k.find('[data-testid="tour-card"]')?.dataset.stopId === args[1], "the stop's card does not open");`,
        `[data-testid="tour-marker"][data-stop-id="${id}"]`,
        id,
      );
      await check(`tour, ${id}'s card`, { axe: cardAxe && i === 0 });
      if (i === 0) await shot?.("stop");
    }
    await inPage(`await k.tap('[data-testid="tour-card-close"]'); await k.until(() => k.find('[data-testid="tour-overview"]'), "the card does not close");`);
  }

  /** Every screen a visitor reaches, in the language shown (`tourAxe`: axe on the
   *  tour even when not elsewhere, its cards included; `everyCard`, `tourShot`: see
   *  tourScreens). */
  async function everyScreen({ axe = true, tourAxe = axe, everyCard = false, tourShot } = {}) {
    await goHome();
    await check("home", { axe });

    await openChapter();
    assert.equal(await inPage('return k.find(".scene").dataset.hasVideo;'), "true", "the first scene has a film");
    await check("chapter, first scene (film)", { axe });
    await inPage(`const first = k.find(".scene"); await k.tap('[data-testid="scene-next"]'); await k.until(() => k.find(".scene") !== first, "no next scene");`);
    await check("chapter, second scene", { axe });

    await openChapter(SURVEY_CHAPTER);
    await inPage(`await k.until(() => { if (k.find('[data-testid="survey"]')) return true; k.find('[data-testid="scene-next"]').click(); }, "no survey scene");`);
    await check("survey", { axe });

    await inPage(`await k.tap('[data-testid="open-brochures"]'); await k.show("brochures");`);
    await check("brochures", { axe });

    await goHome();
    if (await inPage(`return !!k.find('[data-testid="home-tour"]');`)) await tourScreens({ axe: tourAxe, cardAxe: tourAxe && everyCard, everyCard, shot: tourShot });

    await inPage(`await k.tap('[data-testid="open-languages"]'); await k.until(() => k.find('[data-testid="language-sheet"]'), "no language sheet");`);
    await check("language sheet", { axe });
    await inPage(`await k.tap('[data-testid="close-languages"]');`);

    await inPage(`for (let i = 0; i < 5; i++) await k.tap('[data-testid="staff-corner"]'); await k.until(() => k.find('[data-testid="pin-key-1"]'), "no PIN pad");`);
    await check("staff PIN pad", { axe });
    await inPage(`await k.tap('[data-testid="pin-cancel"]');`);
  }

  /** Larger text on or off, through the switch in the language sheet. */
  async function setLargeText(on) {
    await inPage(
      `await k.tap('[data-testid="open-languages"]');
       const sw = await k.until(() => k.find('[data-testid="large-text"]'), "no larger-text switch");
       if ((sw.getAttribute("aria-pressed") === "true") !== args[0]) sw.click();
       await k.until(() => k.find('[data-testid="large-text"]').getAttribute("aria-pressed") === String(args[0]), "the switch does not show its state");
       await k.tap('[data-testid="close-languages"]');
       await k.until(() => document.documentElement.classList.contains("large-text") === args[0], "larger text did not change");`,
      on,
    );
  }

  return { check, chooseLanguage, everyScreen, goHome, inPage, setLargeText };
}

/** Animations and transitions that move something and last long enough to be seen
 *  (under reduced motion the stylesheet leaves at most a 1 ms step). */
const moving = (s) =>
  s.run(`
    const moves = (a) => (a.effect?.getKeyframes?.() ?? []).some((k) =>
      ["transform", "translate", "scale", "rotate", "backgroundPosition", "left", "top"].some((p) => p in k && k[p] !== "none"));
    const seen = (a) => { const t = a.effect.getComputedTiming(); return t.endTime === Infinity || t.duration * t.iterations > 20; };
    return document.getAnimations()
      .filter((a) => a.playState !== "finished" && moves(a) && seen(a))
      .map((a) => (a.animationName || a.transitionProperty || "animation") + " on " + (a.effect.target?.className || a.effect.target?.tagName));`);

/** A kiosk whose desktop asks for reduced motion: GTK reads gtk-enable-animations from
 *  $XDG_CONFIG_HOME/gtk-3.0/settings.ini, and WebKitGTK answers prefers-reduced-motion
 *  from it. (The app inherits the environment of tauri-driver, started here.) */
async function startKioskWithReducedMotion(options) {
  const config = mkdtempSync(join(tmpdir(), "kiosk-gtk-"));
  mkdirSync(join(config, "gtk-3.0"));
  writeFileSync(join(config, "gtk-3.0/settings.ini"), "[Settings]\ngtk-enable-animations = false\n");
  const before = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = config;
  try {
    return await startKiosk(options);
  } finally {
    if (before === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = before;
  }
}

/** One app on the screen `o` ({ name, width, height }) for the tests `body` declares
 *  (given the session and a screenshot saver), started before them, closed after. */
function inOneApp(o, title, body) {
  describe(`${o.name} ${o.width}×${o.height}, ${title}`, { concurrency: 1 }, () => {
    let kiosk;
    const app = {
      s: null,
      save: async (name) => writeFileSync(join(shots, `${name}.png`), await app.s.screenshot()),
    };

    before(async () => {
      kiosk = await startKioskWithReducedMotion({ width: o.width, height: o.height, idleSecs: 600 });
      app.s = kiosk.session;
      await until(async () => (await app.s.run("return document.body.dataset.screen")) === "attract", "attract loop not shown", 30_000);
    });
    after(async () => {
      if (kiosk) await kiosk.close();
    });

    body(app);
  });
}

/** Every screen in every language, normal text, in one app. */
export function checkEveryScreen(o) {
  inOneApp(o, "normal text", (app) => {
    test(`every screen in every language: no axe violations, no text cut (${o.name})`, async () => {
      const found = findings();
      const c = checker(app.s, o.name, found);
      await app.s.click('[data-testid="attract"]');
      for (const lang of LANGUAGES) {
        await c.chooseLanguage(lang);
        await c.everyScreen();
        if (lang === "ja") {
          await c.goHome();
          await app.save(`a11y-home-ja-${o.name}`);
        }
      }
      found.assertNone(`${o.name}, normal text`);
    });
  });
}

/** The attract loop with reduced motion; larger text, turned on over the tour (its
 *  words grow, its names move apart), then every screen with it in vi, en and ja; in
 *  one app. */
export function checkLargerText(o) {
  inOneApp(o, "larger text", (app) => {
    test(`the attract loop: no axe violations, no text cut; with reduced motion nothing moves (${o.name})`, async () => {
      assert.equal(await app.s.run('return matchMedia("(prefers-reduced-motion: reduce)").matches'), true, "the webview hears the preference");
      await sleep(4000); // a headline change of the attract loop, and its first picture
      assert.deepEqual(await moving(app.s), [], "nothing moves in the attract loop");
      const found = findings();
      await checker(app.s, o.name, found).check("attract loop");
      found.assertNone(`${o.name}, attract loop`);
      await app.s.click('[data-testid="attract"]');
      await until(async () => (await app.s.run("return document.body.dataset.screen")) === "home", "home not shown");
      assert.deepEqual(await moving(app.s), [], "nothing moves into home");
      await app.s.click('[data-testid="open-languages"]');
      assert.deepEqual(await moving(app.s), [], "the language sheet does not slide in");
      // The sheet's close button, once it is laid out and in view, as a visitor sees it.
      for (let tries = 0; tries < 50; tries++) {
        const shown = await app.s.run(
          `const b = document.querySelector('[data-testid="close-languages"]');
           if (!b) return false;
           const r = b.getBoundingClientRect();
           return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;`,
        );
        if (shown) break;
        await sleep(100);
      }
      await app.s.click('[data-testid="close-languages"]');
      // The first chapter card, once the closing sheet no longer covers it.
      await until(
        async () =>
          app.s.run(
            `const c = document.querySelector('.view:not(.view-leaving) [data-testid="chapter-card"]');
             if (!c) return false;
             c.scrollIntoView({ block: "center" });
             const r = c.getBoundingClientRect();
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return r.width > 0 && r.height > 0 && !!hit && c.contains(hit);`,
          ),
        "the chapter card is not shown after the language sheet closed",
        5_000,
        100,
      );
      await app.s.click('.view:not(.view-leaving) [data-testid="chapter-card"]');
      await app.s.click('.view:not(.view-leaving) [data-testid="scene-next"]');
      assert.deepEqual(await moving(app.s), [], "the next scene does not slide in, its picture does not drift");
      await app.s.click('[data-testid="go-home"]');
    });

    test(`the tour with larger text: its words 1.3 times as large, the map's names apart, nothing cut, axe (${o.name})`, async () => {
      const found = findings();
      const c = checker(app.s, o.name, found);
      if ((await app.s.run("return document.body.dataset.screen")) === "attract") await app.s.click('[data-testid="attract"]');
      await c.goHome();
      // The guided tour, paused on its first stop: the map, a card and the controls at once.
      const guidedPaused = () =>
        c.inPage(
          `if (k.screen() !== "tour") { await k.tap('[data-testid="home-tour"]'); await k.show("tour"); }
           if (k.find('[data-testid="tour-card-close"]')) await k.tap('[data-testid="tour-card-close"]');
           await k.tap('[data-testid="tour-guide-start"]');
           await k.tap('[data-testid="tour-guide-pause"]');
           await k.until(() => k.find('[data-testid="tour-guide-resume"]') && k.find('[data-testid="tour-card"]'), "the guided tour does not pause on a card");
           await k.settled();`,
        );
      const words = [".tour-marker-name", ".tour-map-note span", ".tour-card-kind", ".tour-card-step", ".tour-card-name", ".tour-card-summary", ".tour-open-scene", ".tour-guide-end"];
      const sizes = () => c.inPage("return args[0].map((css) => k.fontSize(css));", words);
      try {
        await guidedPaused();
        const normal = await sizes();
        assert.deepEqual(await c.inPage("return k.tourClashes();"), [], "with normal text, the map's names are clear");
        // Turned on over the tour, the screen is drawn again, on the stop shown.
        await c.setLargeText(true);
        await c.inPage(`await k.show("tour"); await k.until(() => k.find('[data-testid="tour-card"]'), "the stop's card is gone"); await k.settled();`);
        await guidedPaused();
        const larger = await sizes();
        const ratios = words.map((css, i) => `${css} ${(larger[i] / normal[i]).toFixed(2)}`);
        assert.ok(words.every((_, i) => Math.abs(larger[i] / normal[i] - 1.3) < 0.02), `larger text on the tour: ${ratios.join(", ")}`);
        assert.deepEqual(await c.inPage("return k.tourClashes();"), [], "with larger text, the map's names are clear");
        await c.check("tour, guided, paused");
        if (o.name === "landscape") await app.save("a11y-tour-guided-vi-large-landscape");
        await c.inPage(`await k.tap('[data-testid="tour-guide-stop"]'); await k.until(() => k.find('[data-testid="tour-overview"]'), "the guided tour does not end");`);
      } finally {
        await c.setLargeText(false);
      }
      found.assertNone(`${o.name}, the tour with larger text`);
    });

    test(`larger text: words 1.3 times as large, nothing cut, in vi, en and ja (${o.name})`, async () => {
      const large = findings();
      const c = checker(app.s, o.name, large);
      const size = () => c.inPage('return parseFloat(getComputedStyle(k.find(".home-tagline")).fontSize);');
      await c.chooseLanguage("vi");
      await c.goHome();
      const normal = await size();
      await c.setLargeText(true);
      const larger = await size();
      assert.ok(Math.abs(larger / normal - 1.3) < 0.02, `larger text is ${(larger / normal).toFixed(2)} times the normal size`);
      const switchName = await c.inPage(
        `await k.tap('[data-testid="open-languages"]');
         const name = k.find('[data-testid="large-text"] .text-size-label').textContent.trim();
         await k.tap('[data-testid="close-languages"]');
         return name;`,
      );
      assert.ok(switchName.length > 2 && switchName !== "large_text", `the switch is named in words (${switchName})`);

      for (const lang of LARGE_TEXT_LANGUAGES) {
        await c.chooseLanguage(lang);
        // axe on every screen in English; on the tour (map and cards) in each language.
        await c.everyScreen({
          axe: lang === "en",
          tourAxe: true,
          everyCard: true,
          tourShot: ["vi", "ja"].includes(lang) ? (what) => app.save(`a11y-tour-${what}-${lang}-large-${o.name}`) : undefined,
        });
        if (lang === "ja") {
          await c.goHome();
          await app.save(`a11y-home-ja-large-${o.name}`);
          await c.inPage(`await k.tap('[data-testid="chapter-card"]'); await k.show("chapter"); await k.tap('[data-testid="scene-next"]'); await k.settled();`);
          await app.save(`a11y-chapter-ja-large-${o.name}`);
        }
      }
      await c.setLargeText(false);
      await c.goHome();
      assert.ok(Math.abs((await size()) - normal) < 0.5, "normal text again");
      large.assertNone(`${o.name}, larger text`);
    });
  });
}
