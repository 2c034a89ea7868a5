// Starts the real kiosk app in a real window: a temporary data folder and config,
// a virtual display, tauri-driver, and a WebDriver session on the app.

import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, start, stop, until, virtualDisplay, Session } from "./webdriver.mjs";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const shots = join(repo, "target/e2e-screenshots");
mkdirSync(shots, { recursive: true });

const targetDir = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
export const kioskBinary = process.env.KIOSK_BIN ?? join(targetDir, "debug/kiosk");
export const kioskctlBinary = process.env.KIOSKCTL_BIN ?? join(targetDir, "debug/kioskctl");
export const serverBinary = process.env.KIOSK_SERVER_BIN ?? join(targetDir, "debug/kiosk-server");
/** The key the sample content and the test bundles are signed with. */
export const devKey = join(repo, "kiosk-config/dev-keys/content-dev.pub");
const tauriDriver = process.env.TAURI_DRIVER ?? "tauri-driver";

// The sample PIN of kiosk-config/booth.toml (2023).
const booth = readFileSync(join(repo, "kiosk-config/booth.toml"), "utf8");
export const pinHash = booth.match(/^pin_hash = "(.*)"$/m)[1];

/** Chooses a language as a visitor does, in two touches: the top bar's language
 *  button, then the language in the sheet it opens. Waits until the screen is in it. */
export async function chooseLanguage(s, tag) {
  await s.click('[data-testid="open-languages"]');
  await s.click(`[data-testid="lang-${tag}"]`);
  await until(async () => (await s.run("return document.documentElement.lang")) === tag, `the screen is not in ${tag}`);
}

/** Waits until every animation of the element `css` and of what it holds has finished
 *  (WebKit under Xvfb starts them late), then a moment for the paint. */
export async function untilSettled(s, css) {
  await until(
    () => s.run("const el = document.querySelector(arguments[0]); return !!el && el.getAnimations({ subtree: true }).every((a) => a.playState === 'finished')", css),
    `${css} is still moving`,
  );
  await sleep(500);
}

/** Starts one kiosk on a display of `width`×`height`. */
export async function startKiosk({
  width = 1920,
  height = 1080,
  idleSecs = 10,
  prepare = () => {},
  mode = "kiosk",
  top = [],
  extra = [],
  contentExtra = [],
  trustedKeys = [devKey],
  args = [],
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kiosk-e2e-"));
  // A chance to put bundles in <data>/incoming/ before the kiosk starts.
  mkdirSync(join(dir, "data/incoming"), { recursive: true });
  prepare(join(dir, "data"));
  const brochurePort = await freePort();
  const config = join(dir, "kiosk.toml");
  writeFileSync(
    config,
    [
      `mode = "${mode}"`,
      `data_dir = "${join(dir, "data")}"`,
      ...top,
      "[content]",
      'channel = "wtc-booths"',
      `trusted_keys = ${JSON.stringify(trustedKeys)}`,
      ...contentExtra,
      "[kiosk]",
      `idle_timeout_secs = ${idleSecs}`,
      "[staff]",
      `pin_hash = "${pinHash}"`,
      "[brochures]",
      `listen = "127.0.0.1:${brochurePort}"`,
      `public_base_url = "http://127.0.0.1:${brochurePort}"`,
      ...extra,
      "",
    ].join("\n"),
  );

  const display = await virtualDisplay(width, height);
  const port = await freePort();
  const nativePort = await freePort();
  const driver = start(tauriDriver, ["--port", String(port), "--native-port", String(nativePort)], {
    DISPLAY: display.display,
    RUST_LOG: "info",
  });
  const driverUrl = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${driverUrl}/status`)).ok, "tauri-driver did not start", 20_000);
  let session;
  try {
    session = await Session.create(driverUrl, {
      "tauri:options": { application: kioskBinary, args: ["--config", config, ...args] },
    });
  } catch (e) {
    await stop(driver);
    await stop(display.process);
    throw new Error(`${e.message}\n--- tauri-driver and app output ---\n${driver.output}`);
  }
  return {
    session,
    brochureBase: `http://127.0.0.1:${brochurePort}`,
    displayName: display.display,
    dataDir: join(dir, "data"),
    log: () => driver.output,
    async close() {
      await session.close();
      await stop(driver); // SIGTERM, never SIGKILL: tauri-driver then stops the app and the native driver.
      await stop(display.process);
    },
  };
}
