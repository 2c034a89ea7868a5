// A small W3C WebDriver client over fetch, and the processes an end-to-end run
// needs: a virtual display (Xvfb) and tauri-driver (which starts WebKitWebDriver).

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command`, collecting its output for failure reports. */
export function start(command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.output = "";
  child.stdout.on("data", (d) => (child.output += d));
  child.stderr.on("data", (d) => (child.output += d));
  return child;
}

/** Stops a process politely (SIGTERM) and waits for it. */
export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
}

/** An Xvfb display of the given size; resolves once it accepts clients. */
export async function virtualDisplay(width, height) {
  for (let n = 90 + Math.floor(Math.random() * 100); ; n++) {
    const xvfb = start("Xvfb", [`:${n}`, "-screen", "0", `${width}x${height}x24`, "-nolisten", "tcp"]);
    await sleep(700);
    if (xvfb.exitCode === null) return { display: `:${n}`, process: xvfb };
  }
}

/** Waits until `check` returns a truthy value, polling; throws `message` on timeout. */
export async function until(check, message, timeoutMs = 15_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(driverUrl, capabilities) {
    const res = await fetch(`${driverUrl}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ capabilities: { alwaysMatch: capabilities } }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`new session: ${JSON.stringify(body)}`);
    return new Session(driverUrl, body.value.sessionId);
  }

  async call(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      signal: AbortSignal.timeout(60_000),
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  }

  async find(css) {
    const value = await this.call("POST", "/element", { using: "css selector", value: css });
    // The W3C element reference is an object with one key ("element-6066-…").
    return Object.values(value)[0];
  }

  async waitFor(css, timeoutMs = 15_000) {
    return until(() => this.find(css), `no element ${css}`, timeoutMs);
  }

  async click(css) {
    const id = await this.waitFor(css);
    await this.call("POST", `/element/${id}/click`, {});
  }

  /** A press and release at (`x`, `y`) CSS pixels of the window, wherever no element is named. */
  async tap(x, y) {
    const pointer = [
      { type: "pointerMove", x: Math.round(x), y: Math.round(y), origin: "viewport" },
      { type: "pointerDown", button: 0 },
      { type: "pointerUp", button: 0 },
    ];
    await this.call("POST", "/actions", { actions: [{ type: "pointer", id: "finger", parameters: { pointerType: "mouse" }, actions: pointer }] });
    await this.call("DELETE", "/actions");
  }

  async text(css) {
    const id = await this.waitFor(css);
    return this.call("GET", `/element/${id}/text`);
  }

  async run(script, ...args) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  /** A PNG of the whole window. */
  async screenshot() {
    return Buffer.from(await this.call("GET", "/screenshot"), "base64");
  }

  async close() {
    await fetch(`${this.base}/session/${this.id}`, { method: "DELETE" }).catch(() => {});
  }
}
