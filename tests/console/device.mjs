// A headless screen: enrolled with a one-time code, synced with `kioskctl sync`,
// trusting the server's own key. `kioskctl sync --once` fetches and activates but
// reports nothing; the kiosk app's sync loop sends a heartbeat after every round,
// and `report()` sends that heartbeat the same way (POST /v1/reports, the device's
// token) from what the screen holds; `sendEvents()` reports what visitors did.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statfsSync, writeFileSync } from "node:fs";
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
  const { token, device_id: id } = await response.json();
  const dir = mkdtempSync(join(tmpdir(), "console-screen-"));
  const key = join(dir, "server.pub");
  writeFileSync(key, await (await fetch(`${server.url}/v1/public-key`)).text());
  const data = join(dir, "data");
  const started = Date.now();
  const appVersion = run(kioskctlBinary, ["--version"]).trim().split(/\s+/).pop();
  // The device token travels in the environment, never on the command line.
  const syncArgs = ["sync", "--server", server.url, "--data-dir", data, "--public-key", key, "--channel", channel, "--once"];
  const syncEnv = { ...process.env, KIOSK_DEVICE_TOKEN: token };
  return {
    id,
    name,
    token,
    data,
    /** One sync round; what kioskctl said. */
    sync() {
      return run(kioskctlBinary, syncArgs, undefined, { env: syncEnv }).trim();
    },
    /** One sync round then its heartbeat, without blocking this process (a test's own servers keep answering). */
    async syncAsync() {
      const said = await new Promise((done, fail) =>
        execFile(kioskctlBinary, syncArgs, { encoding: "utf8", env: syncEnv }, (error, stdout, stderr) =>
          error ? fail(new Error(`kioskctl sync failed: ${error.message}\n${stdout}\n${stderr}`)) : done(stdout.trim()),
        ),
      );
      await this.report();
      return said;
    },
    /**
     * The heartbeat a kiosk sends after a round: its active release, free disk,
     * uptime, version, and the item a bulletin board plays (the fallback playlist's
     * first item).
     */
    async report() {
      let active = null;
      try {
        active = this.activeContent();
      } catch {
        // Nothing activated yet.
      }
      const fallback = active?.content.signage?.playlists.find((p) => p.id === active.content.signage.schedule.fallback);
      const disk = statfsSync(data);
      const heartbeat = {
        at: new Date().toISOString(),
        uptime_s: Math.round((Date.now() - started) / 1000),
        release_channel: active ? channel : null,
        release_version: active?.version ?? null,
        free_disk_bytes: disk.bavail * disk.bsize,
        last_error: null,
        failed_rounds: 0,
        current_item: fallback?.items[0] ? { playlist: fallback.id, item: fallback.items[0].id, blob: null, since: new Date(started).toISOString() } : null,
        app_version: appVersion,
      };
      const answer = await fetch(`${server.url}/v1/reports`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ heartbeat, events: [] }),
      });
      if (!answer.ok) throw new Error(`report: ${answer.status} ${await answer.text()}`);
    },
    /**
     * Events as a kiosk reports them (POST /v1/reports, this screen's token), with a
     * heartbeat of now: `[{ id, kind, at, data }]`.
     */
    async sendEvents(events) {
      const answer = await fetch(`${server.url}/v1/reports`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ heartbeat: { at: new Date().toISOString() }, events }),
      });
      if (!answer.ok) throw new Error(`report of ${events.length} events: ${answer.status} ${await answer.text()}`);
    },
    /** The channel's emergency message as this screen fetches it (its own token), or null when there never was one. */
    async emergency() {
      const answer = await fetch(`${server.url}/v1/channels/${encodeURIComponent(channel)}/emergency`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (answer.status === 404) return null;
      if (!answer.ok) throw new Error(`emergency: ${answer.status} ${await answer.text()}`);
      return answer.json();
    },
    /** The content of the release the screen shows. */
    activeContent() {
      const active = JSON.parse(readFileSync(join(data, "active.json"), "utf8"));
      const manifest = JSON.parse(readFileSync(join(data, "releases", active.channel, String(active.version), "manifest.json"), "utf8"));
      return { version: active.version, content: manifest.content };
    },
  };
}
