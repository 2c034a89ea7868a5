// The real kiosk-server on 127.0.0.1 with a temporary data folder and config, staff
// added with its command line, the default content published with kioskctl, and
// Debian's Chromium driven by playwright-core (never a downloaded browser).

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const shots = join(repo, "target/console-screenshots");
mkdirSync(shots, { recursive: true });

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache/binhduong-kiosk/target");
export const serverBinary = process.env.KIOSK_SERVER_BIN ?? join(targetDir, "debug/kiosk-server");
export const kioskctlBinary = process.env.KIOSKCTL_BIN ?? join(targetDir, "debug/kioskctl");
const consoleDir = join(repo, "ui/console/dist");

export const ADMIN = { name: "admin", password: "quan-tri-vien-2023" };
export const DESKTOP = { width: 1366, height: 768 };

export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

export async function until(check, what, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}${last ? `: ${last}` : ""}`);
}

/** Runs a program to its end; throws with its output when it fails. */
export function run(program, args, input, options = {}) {
  const result = spawnSync(program, args, { input, encoding: "utf8", ...options });
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * A running server with its own data folder; `stop()` ends it. `config`: more lines
 * of its config file (top-level keys first, then any tables such as `[alerts]`).
 */
export async function startServer({ config: extra = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = `admin-token-${Math.random().toString(36).slice(2)}`;
  const config = join(dir, "server.toml");
  writeFileSync(
    config,
    [
      `listen = "127.0.0.1:${port}"`,
      `data_dir = "${join(dir, "data")}"`,
      `admin_token = "${token}"`,
      `console_dir = "${consoleDir}"`,
      ...extra,
      "",
    ].join("\n"),
  );
  const addUser = (name, password, admin = false, roles = []) =>
    run(
      serverBinary,
      ["--config", config, "user", "add", ...(admin ? ["--admin"] : []), ...roles.flatMap((r) => ["--role", r]), name],
      `${password}\n`,
    );
  addUser(ADMIN.name, ADMIN.password, true);

  const child = spawn(serverBinary, ["--config", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => (log = (log + chunk).slice(-20_000)));
  await until(async () => (await fetch(`${url}/v1/public-key`)).ok, "kiosk-server did not start");

  const admin = (method, path, body) =>
    fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  return {
    dir,
    url,
    token,
    config,
    addUser,
    admin,
    log: () => log,
    /** Publishes media/ on a channel, as a release the draft starts from. */
    publishDefault(channel) {
      const env = { ...process.env, KIOSK_ADMIN_TOKEN: token };
      return run(kioskctlBinary, ["publish", join(repo, "media"), "--server", url, "--channel", channel], undefined, { env });
    },
    stop() {
      child.kill("SIGTERM");
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile of its own. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A signed-out browser context and page on the console. */
export async function openConsole(browser, server, { viewport = DESKTOP, lang = "vi" } = {}) {
  const context = await browser.newContext({ viewport, locale: lang === "vi" ? "vi-VN" : "en-GB", timezoneId: "Asia/Ho_Chi_Minh" });
  await context.addInitScript((l) => {
    if (!localStorage.getItem("console.lang")) localStorage.setItem("console.lang", l);
  }, lang);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${server.url}/console/`);
  return { context, page };
}

/** Signs in through the sign-in form and waits for the overview. */
export async function signIn(page, name, password) {
  await page.fill("#signin-name", name);
  await page.fill("#signin-password", password);
  await page.click(".signin-form button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
}

/** A console page by its address; waits for its heading. */
export async function goTo(page, name) {
  await page.evaluate((n) => (location.hash = `/${n}`), name);
  await page.waitForSelector(`nav a[data-page=${name}][aria-current=page]`);
  await page.waitForSelector("main h1");
}

const axeSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it is now, as readable lines. */
export async function axeViolations(page) {
  // Evaluated rather than added as a <script>: the console's CSP allows no inline script.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(0, 3).join(" ")}`),
    }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join("\n    ")}`);
}

/** Fails unless axe-core finds nothing wrong on the page; `what` names it in the failure. */
export async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe-core on ${what}:\n${violations.join("\n")}`);
}

/** Waits until the save bar says the draft is saved ("Đã lưu"). */
export function waitSaved(page) {
  return page.waitForFunction(() => document.querySelector("[data-testid=save-status]")?.textContent === "Đã lưu");
}

/** Saves a screenshot of the whole page under target/console-screenshots/. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  await page.evaluate(() => document.fonts.ready);
  // A whole-page picture from the top, so sticky bars stay where they belong.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** The session's CSRF token, from inside the page (as the console gets it). */
export function csrfOf(page) {
  return page.evaluate(async () => (await (await fetch("/v1/session")).json()).csrf_token);
}

/** A request from inside the page (its cookie), answered as { status, body }. */
export function fetchIn(page, method, path, body, headers = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const response = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed };
    },
    { method, path, body, headers },
  );
}
