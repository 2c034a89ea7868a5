// A headless screen: enrolled with a one-time code, synced with `kioskctl sync`,
// trusting the server's own key.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kioskctlBinary, run } from "./harness.mjs";

export async function enrolDevice(server, channel, name) {
  const code = await (await server.admin("POST", `/v1/admin/channels/${channel}/enrolment-codes`)).json();
  const response = await fetch(`${server.url}/v1/enrol`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: code.code, name }),
  });
  if (!response.ok) throw new Error(`enrolment failed: ${response.status} ${await response.text()}`);
  const { token } = await response.json();
  const dir = mkdtempSync(join(tmpdir(), "console-screen-"));
  const key = join(dir, "server.pub");
  writeFileSync(key, await (await fetch(`${server.url}/v1/public-key`)).text());
  const data = join(dir, "data");
  return {
    data,
    /** One sync round; what kioskctl said. */
    sync() {
      return run(kioskctlBinary, ["sync", "--server", server.url, "--token", token, "--data-dir", data, "--public-key", key, "--channel", channel, "--once"]).trim();
    },
    /** The content of the release the screen shows. */
    activeContent() {
      const active = JSON.parse(readFileSync(join(data, "active.json"), "utf8"));
      const manifest = JSON.parse(readFileSync(join(data, "releases", active.channel, String(active.version), "manifest.json"), "utf8"));
      return { version: active.version, content: manifest.content };
    },
  };
}
