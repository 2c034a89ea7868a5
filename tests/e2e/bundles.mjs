// Bundles for the end-to-end tests, built and signed with the real kioskctl.

import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kioskctlBinary, repo } from "./harness.mjs";

const playlists = (id, words) => `
[schedule]
fallback = "${id}"

[[playlists]]
id = "${id}"

[[playlists.items]]
id = "words"
kind = "message"
seconds = 3
[playlists.items.text]
vi = "${words.vi}"
en = "${words.en}"

[[playlists.items]]
id = "picture"
kind = "image"
image = "images/award-cover.svg"
seconds = 3
`;

/**
 * A signed bundle of media/ with `playlistsToml` as its playlists.toml and
 * `files` (path → contents) written over it. Films are not probed, as by a tool
 * without GStreamer: the kiosk meets them unchecked.
 */
export function playlistBundle(work, name, version, playlistsToml, files = {}) {
  const source = join(work, `${name}-media`);
  cpSync(join(repo, "media"), source, { recursive: true });
  writeFileSync(join(source, "playlists.toml"), playlistsToml);
  for (const [path, contents] of Object.entries(files)) writeFileSync(join(source, path), contents);
  execFileSync(kioskctlBinary, [
    "bundle", "build", source, "--channel", "wtc-booths", "--version", String(version),
    "--key", join(repo, "kiosk-config/dev-keys/content-dev.key"), "--out", join(work, name), "--no-probe",
  ]);
  return join(work, name);
}

/** A signed bundle of media/ whose one playlist, `id`, shows `words` and a picture. */
export function messageBundle(work, name, version, id, words) {
  return playlistBundle(work, name, version, playlists(id, words));
}

/**
 * What `startKiosk` needs for a board (signage mode) showing `locales` that plays
 * `playlistsToml`: a signed bundle of media/ with it and `files` (as `playlistBundle`),
 * put in the data folder's incoming/ before the kiosk starts, where it installs it.
 * `signage` adds lines to the config's [signage] section; `top` and `args` go to the
 * top of the config and to the command line.
 */
export function boardOptions({ name, version = 5, playlistsToml, files = {}, locales = ["vi", "en"], signage = [], top = [], args = [] }) {
  const bundle = playlistBundle(mkdtempSync(join(tmpdir(), `kiosk-${name}-`)), name, version, playlistsToml, files);
  return {
    mode: "signage",
    top,
    extra: ["[signage]", `locales = ${JSON.stringify(locales)}`, ...signage],
    args,
    prepare: (data) => cpSync(bundle, join(data, "incoming", name), { recursive: true }),
  };
}
