#!/usr/bin/env node
// The same interface in the engine the kiosk really runs: WebKitGTK (MiniBrowser),
// driven by WebKitWebDriver — the driver tauri-driver uses. Screenshots of the main
// screens go to /tmp/ui-shots/webkit-*.png; console errors are printed.
//
//   npm run build
//   xvfb-run -a -s "-screen 0 1920x1080x24" node scripts/webkit-shots.mjs [landscape|portrait]
//
// Needs the Debian packages webkit2gtk-driver and libwebkit2gtk-4.1-0 (MiniBrowser).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { preview } from "vite";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = "/tmp/ui-shots";
const orientation = process.argv[2] ?? "landscape";
const [W, H] = orientation === "portrait" ? [1080, 1920] : [1920, 1080];
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const DRIVER_PORT = 4444 + Math.floor(Math.random() * 500);

if (!existsSync(join(root, "dist", "index.html"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}
await mkdir(outDir, { recursive: true });

const server = await preview({ root, configFile: join(root, "vite.config.ts"), preview: { port: 4181, strictPort: false, open: false } });
const base = server.resolvedUrls.local[0];
const driver = spawn("WebKitWebDriver", [`--port=${DRIVER_PORT}`], { stdio: "inherit" });
await new Promise((r) => setTimeout(r, 800));

const wd = async (method, path, body) => {
  const res = await fetch(`http://127.0.0.1:${DRIVER_PORT}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (json.value && json.value.error) throw new Error(`${path}: ${json.value.error}: ${json.value.message}`);
  return json.value;
};

let session;
try {
  const created = await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation", "--autoplay-policy=allow"] },
      },
    },
  });
  session = created.sessionId;
  const s = (p) => `/session/${session}${p}`;
  await wd("POST", s("/window/rect"), { x: 0, y: 0, width: W, height: H });
  await wd("POST", s("/url"), { url: `${base}?idle=600` });
  const exec = (script, args = []) => wd("POST", s("/execute/sync"), { script, args });
  const waitFor = async (sel, ms = 8000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      if (await exec("return !!document.querySelector(arguments[0])", [sel])) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${sel}`);
  };
  const click = async (testid, nth = 0) => {
    const els = await wd("POST", s("/elements"), { using: "css selector", value: `[data-testid="${testid}"]` });
    const id = Object.values(els[nth])[0];
    await wd("POST", s(`/element/${id}/click`), {});
  };
  const shot = async (name) => {
    // Under Xvfb (no GPU, no compositor) WebKitGTK paints slowly: give it time.
    await new Promise((r) => setTimeout(r, 3000));
    const png = await wd("GET", s("/screenshot"));
    const file = join(outDir, `webkit-${orientation}-${name}.png`);
    await writeFile(file, Buffer.from(png, "base64"));
    const size = await exec("return [innerWidth, innerHeight, devicePixelRatio]");
    console.log(`${file}  (viewport ${size.join(" × ")})`);
  };

  await waitFor('[data-testid="attract"]');
  await new Promise((r) => setTimeout(r, 2500));
  await shot("01-attract");
  await click("attract");
  await waitFor('[data-testid="home"]');
  await shot("02-home");
  await click("chapter-card", 0);
  await waitFor('[data-testid="scene-title"]');
  await shot("03-chapter");
  await click("video-play");
  await new Promise((r) => setTimeout(r, 2500));
  const state = await exec("return document.querySelector('.player')?.dataset.state");
  console.log(`film state after play: ${state}`);
  await shot("04-chapter-playing");
  await click("open-languages");
  await waitFor('[data-testid="language-sheet"]');
  await shot("05-languages");
  await click("lang-ja");
  await shot("06-chapter-ja");
  await click("open-languages");
  await click("lang-en");
  await shot("07-chapter-en");
  await click("open-brochures");
  await waitFor('[data-testid="brochures"]');
  await shot("08-brochures");
  for (let i = 0; i < 5; i++) await click("staff-corner");
  await waitFor('[data-testid="pin-key-0"]');
  await shot("09-staff-pin");
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
  driver.kill();
  await new Promise((r) => server.httpServer.close(r));
}
