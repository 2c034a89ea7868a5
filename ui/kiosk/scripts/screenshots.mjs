#!/usr/bin/env node
// Screenshots of every screen, in every language and both orientations, taken from
// the built app (`npm run build` first) served by `vite preview` with the mock
// backend. Uses the system Chromium, never a downloaded browser.
//
//   node scripts/screenshots.mjs [outDir]        (default /tmp/ui-shots)
//   SHOTS_ONLY=landscape-en node scripts/screenshots.mjs   (one combination)
//   SHOTS_LANGS=vi,ja …                           (only these languages)
//   SHOTS_MOTION=1 …                              (keep animations on)
//   SHOTS_ALL=1 …                                 (also every scene of every chapter)
//
// Besides the pictures it reports console errors and any element that spills out of
// the screen or has clipped text, so a layout problem is seen even without looking.

import { mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { preview } from "vite";
import { textFitProblems } from "./text-fit.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? "/tmp/ui-shots");
const only = process.env.SHOTS_ONLY ?? "";
const motion = process.env.SHOTS_MOTION === "1";

if (!existsSync(join(root, "dist", "index.html"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}
await mkdir(outDir, { recursive: true });

const server = await preview({ root, configFile: join(root, "vite.config.ts"), preview: { port: 4179, strictPort: false, open: false } });
const base = server.resolvedUrls.local[0];
console.log(`serving ${base}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
});

const orientations = [
  { name: "landscape", width: 1920, height: 1080 },
  { name: "portrait", width: 1080, height: 1920 },
];
const languages = (process.env.SHOTS_LANGS ?? "vi,en,ko,ja,zh-Hans,zh-Hant").split(",");
const problems = [];

/** Elements that leave the screen, or text cut by its box. */
async function audit(page, label) {
  const found = await page.evaluate(() => {
    const out = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const view = document.querySelector(".view:not(.view-leaving)");
    const scope = [
      view,
      document.querySelector(".topbar"),
      document.querySelector(".staff-overlay"),
      document.querySelector(".lang-sheet-scrim:not(.is-leaving)"),
    ].filter(Boolean);
    const name = (el) => {
      const c = typeof el.className === "string" ? el.className.split(" ")[0] : el.tagName;
      return `${el.tagName.toLowerCase()}.${c}`;
    };
    const insideScroller = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if ((s.overflowY === "auto" || s.overflowY === "scroll") && p.scrollHeight > p.clientHeight) return true;
      }
      return false;
    };
    for (const s of scope) {
      for (const el of [s, ...s.querySelectorAll("*")]) {
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) continue;
        const st = getComputedStyle(el);
        if (st.visibility === "hidden" || st.opacity === "0") continue;
        if (el.closest(".attract-media, .attract-line:not(.is-active), .tour-map-canvas")) continue;
        if ((r.right > vw + 1 || r.bottom > vh + 1 || r.left < -1) && !insideScroller(el)) {
          out.push(`off-screen ${name(el)} ${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}`);
        }
        const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (text && (el.scrollWidth > el.clientWidth + 2 || (st.webkitLineClamp === "none" && el.scrollHeight > el.clientHeight + 2 && st.overflowY === "hidden"))) {
          out.push(`clipped text ${name(el)}: "${el.textContent.trim().slice(0, 50)}"`);
        }
        if (text && st.webkitLineClamp !== "none" && el.scrollHeight > el.clientHeight + 2) {
          out.push(`line-clamped ${name(el)}: "${el.textContent.trim().slice(0, 50)}"`);
        }
      }
    }
    for (const sc of document.querySelectorAll(".view:not(.view-leaving) *")) {
      const s = getComputedStyle(sc);
      if ((s.overflowY === "auto" || s.overflowY === "scroll") && sc.scrollHeight > sc.clientHeight + 2) {
        out.push(`scrolls ${name(sc)} (${sc.scrollHeight} > ${sc.clientHeight})`);
      }
    }
    return [...new Set(out)];
  });
  for (const f of found) problems.push(`${label}: ${f}`);
  for (const f of await page.evaluate(textFitProblems, [".chapter-card-summary", ".brochures-tile-hint"])) {
    problems.push(`${label}: text ${f.problem}: ${f.element} "${f.text}"`);
  }
}

async function shot(page, label) {
  await page.waitForTimeout(motion ? 1200 : 350);
  await audit(page, label);
  const file = join(outDir, `${label}.png`);
  await page.screenshot({ path: file });
  console.log(`  ${file}`);
}

async function tap(page, testid, nth = 0) {
  await page.locator(`[data-testid="${testid}"]`).nth(nth).click();
}

for (const o of orientations) {
  for (const lang of languages) {
    const combo = `${o.name}-${lang}`;
    if (only && only !== combo) continue;
    console.log(combo);
    const context = await browser.newContext({
      viewport: { width: o.width, height: o.height },
      deviceScaleFactor: 1,
      hasTouch: true,
      reducedMotion: motion ? "no-preference" : "reduce",
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${combo}: console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${combo}: page error: ${e.message}`));

    await page.goto(`${base}?locale=${lang}&idle=600`);
    await page.waitForSelector('[data-testid="attract"]');
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(1500);
    await shot(page, `${combo}-01-attract`);

    await tap(page, "attract");
    await page.waitForSelector('[data-testid="home"]');
    await page.waitForTimeout(800);
    await shot(page, `${combo}-02-home`);

    // The language sheet, closed again by its close button.
    await tap(page, "open-languages");
    await page.waitForSelector('[data-testid="language-sheet"]');
    await page.waitForTimeout(motion ? 0 : 300);
    await shot(page, `${combo}-02b-languages`);
    await tap(page, "close-languages");

    // Chapter 1, scene 1 (a scene with a film).
    await tap(page, "chapter-card", 0);
    await page.waitForSelector('[data-testid="scene-title"]');
    await page.waitForTimeout(800);
    await shot(page, `${combo}-03-chapter-film`);

    // Play it (or, when the film cannot play, see the picture and the notice).
    const play = page.locator('[data-testid="video-play"]');
    if (await play.isVisible()) {
      await play.click();
      await page.waitForTimeout(2500);
    }
    await shot(page, `${combo}-04-chapter-playing`);

    await tap(page, "scene-next");
    await page.waitForTimeout(700);
    await shot(page, `${combo}-05-chapter-scene2`);

    await tap(page, "scene-next");
    await page.waitForTimeout(700);
    await shot(page, `${combo}-06-chapter-last-scene`);

    // Chapter 5 (the Innovation Zone), whose film is another file.
    await tap(page, "go-home");
    await page.waitForSelector('[data-testid="home"]');
    await tap(page, "chapter-card", 4);
    await page.waitForSelector('[data-testid="scene-title"]');
    await page.waitForTimeout(1500);
    await shot(page, `${combo}-07-chapter5`);

    // The Innovation Zone tour: its map, a stop's card, the guided tour.
    await tap(page, "go-home");
    await page.waitForSelector('[data-testid="home-tour"]');
    await tap(page, "home-tour");
    await page.waitForSelector('[data-testid="tour-overview"]');
    await page.waitForTimeout(800);
    await shot(page, `${combo}-07b-tour`);
    await tap(page, "tour-marker", 2);
    await page.waitForSelector('[data-testid="tour-card"]');
    await shot(page, `${combo}-07c-tour-stop`);
    await tap(page, "tour-card-close");
    await tap(page, "tour-guide-start");
    await page.waitForSelector('[data-testid="tour-guide"]');
    await tap(page, "tour-guide-next");
    await shot(page, `${combo}-07d-tour-guided`);
    await tap(page, "tour-guide-stop");

    await tap(page, "open-brochures");
    await page.waitForSelector('[data-testid="brochures"]');
    await page.waitForTimeout(800);
    await shot(page, `${combo}-08-brochures`);

    // The staff door: five taps, a wrong PIN, the right one.
    for (let i = 0; i < 5; i++) await tap(page, "staff-corner");
    await page.waitForSelector('[data-testid="pin-key-1"]');
    await shot(page, `${combo}-09-staff-pin`);
    for (const d of "99") await tap(page, `pin-key-${d}`);
    await tap(page, "pin-ok");
    await page.waitForTimeout(600);
    await shot(page, `${combo}-10-staff-wrong`);
    for (const d of "1234") await tap(page, `pin-key-${d}`);
    await tap(page, "pin-ok");
    await page.waitForSelector('[data-testid="staff-panel"]');
    await shot(page, `${combo}-11-staff-panel`);
    await tap(page, "staff-resume");

    // Every scene of every chapter (SHOTS_ALL=1): audited, and kept as pictures.
    if (process.env.SHOTS_ALL === "1") {
      for (let c = 0; c < 99; c++) {
        await tap(page, "go-home");
        await page.waitForSelector('[data-testid="home"]');
        const cards = page.locator('[data-testid="chapter-card"]');
        if (c >= (await cards.count())) break;
        await cards.nth(c).click();
        await page.waitForSelector('[data-testid="scene-title"]');
        for (let s = 0; ; s++) {
          await shot(page, `${combo}-all-c${c + 1}-s${s + 1}`);
          const next = page.locator('[data-testid="scene-next"]');
          if (await next.isDisabled()) break;
          await next.click();
        }
      }
    }

    await context.close();
  }
}

await browser.close();
await new Promise((r) => server.httpServer.close(r));

if (problems.length) {
  console.log(`\n${problems.length} notes:`);
  for (const p of problems) console.log(`  - ${p}`);
} else {
  console.log("\nno layout notes");
}
