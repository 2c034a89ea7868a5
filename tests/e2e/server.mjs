// The real kiosk-server for end-to-end tests: a fresh data folder on a free
// loopback port, its admin API, and enrolling a screen.

import { writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { serverBinary } from "./harness.mjs";
import { freePort, until } from "./webdriver.mjs";

/** Starts kiosk-server with its data in `work`/server; resolves once it answers. */
export async function startServer(work, adminToken) {
  const port = await freePort();
  const config = join(work, "server.toml");
  writeFileSync(config, [`listen = "127.0.0.1:${port}"`, `data_dir = "${join(work, "server")}"`, `admin_token = "${adminToken}"`, ""].join("\n"));
  const child = spawn(serverBinary, ["--config", config], { stdio: ["ignore", "inherit", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  const key = await until(async () => {
    const res = await fetch(`${base}/v1/public-key`).catch(() => null);
    return res?.ok ? res.text() : null;
  }, "kiosk-server did not start", 20_000);
  /** A request with the admin token; the answer as fetch gives it. */
  const request = (method, path, body) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** A JSON request with the admin token that must succeed; its answer. */
  const admin = async (method, path, body) => {
    const res = await request(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  /** Enrols a screen named `name` on `channel`: its `{device_id, token, channel}`. */
  const enrol = async (channel, name) => {
    const { code } = await admin("POST", `/v1/admin/channels/${channel}/enrolment-codes`);
    const res = await fetch(`${base}/v1/enrol`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, name }),
    });
    if (!res.ok) throw new Error(`enrolling ${name}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const emergencyKey = await (await fetch(`${base}/v1/emergency-key`)).text();
  return { process: child, base, key, emergencyKey, request, admin, enrol, stop: () => child.kill("SIGTERM") };
}
