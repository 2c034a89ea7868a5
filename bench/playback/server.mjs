// The Chromium side's stand-in for the app: serves the interface, the player's plan
// and the bench bundle's blobs on 127.0.0.1, and records the events the interface
// POSTs, as JSON lines shaped like the app's event log.
//
//   node server.mjs --ui DIR --bundle DIR --media DIR --plan FILE --events-dir DIR --port-file FILE
//
//   GET  /plan.json         the plan (never cached)
//   GET  /blobs/<sha256>    a blob of the bundle, with its manifest media type; Range
//   GET  /media/<path>      the repository's media/ (pictures of the mock's content)
//   POST /events/<name>     a JSON array of {kind, data}; appended to <events-dir>/<name>.jsonl
//                           as {id, kind, at, monotonic_ms, data}; answers {"count": n}
//   GET  /<path>            the built interface (index.html at /)

import { createServer } from "node:http";
import { appendFileSync, createReadStream, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    ui: { type: "string" },
    bundle: { type: "string" },
    media: { type: "string" },
    plan: { type: "string" },
    "events-dir": { type: "string" },
    "port-file": { type: "string" },
  },
});
for (const k of ["ui", "bundle", "media", "plan", "events-dir", "port-file"]) {
  if (!opts[k]) throw new Error(`--${k} is required`);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".pdf": "application/pdf",
};

const manifest = JSON.parse(readFileSync(join(opts.bundle, "manifest.json"), "utf8"));
const blobTypes = new Map(manifest.blobs.map((b) => [b.sha256, b.media_type]));
const started = performance.now();

/** Sends `file` (whole, or the asked byte range). */
function sendFile(req, res, file, type, cache = "no-cache") {
  let size;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error("not a file");
    size = st.size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  const headers = { "Content-Type": type, "Accept-Ranges": "bytes", "Cache-Control": cache };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (range && size > 0 && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) });
    if (req.method === "HEAD") return res.end();
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, "Content-Length": String(size) });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
}

/** `rel` inside `root`, or null when it would leave it. */
function inside(root, rel) {
  const base = resolve(root);
  const file = resolve(base, rel);
  return file === base || file.startsWith(base + sep) ? file : null;
}

function recordEvents(name, body, res) {
  let batch;
  try {
    batch = JSON.parse(body);
    if (!Array.isArray(batch)) throw new Error("not an array");
  } catch (e) {
    res.writeHead(400, { "Content-Type": "text/plain" }).end(String(e));
    return;
  }
  const at = new Date().toISOString();
  const monotonic_ms = Math.round(performance.now() - started);
  const lines = batch
    .map((e) => JSON.stringify({ id: randomBytes(16).toString("hex"), kind: e.kind, at, monotonic_ms, data: e.data ?? {} }))
    .join("\n");
  if (lines) appendFileSync(join(opts["events-dir"], `${name}.jsonl`), lines + "\n");
  res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ count: batch.length }));
}

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  if (req.method === "POST") {
    const m = /^\/events\/([a-z0-9-]+)$/.exec(path);
    if (!m) return res.writeHead(404).end();
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => {
      body += d;
      if (body.length > 4 << 20) req.destroy();
    });
    req.on("end", () => recordEvents(m[1], body, res));
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") return res.writeHead(405).end();
  if (path === "/plan.json") return sendFile(req, res, opts.plan, TYPES[".json"], "no-store");
  if (path.startsWith("/blobs/")) {
    const sha = path.slice("/blobs/".length);
    const type = blobTypes.get(sha);
    if (!type) return res.writeHead(404).end();
    return sendFile(req, res, join(opts.bundle, "blobs", sha), type);
  }
  if (path.startsWith("/media/")) {
    const file = inside(opts.media, path.slice("/media/".length));
    if (!file) return res.writeHead(403).end();
    return sendFile(req, res, file, TYPES[extname(file).toLowerCase()] ?? "application/octet-stream");
  }
  const file = inside(opts.ui, path === "/" ? "index.html" : path.slice(1));
  if (!file) return res.writeHead(403).end();
  return sendFile(req, res, file, TYPES[extname(file).toLowerCase()] ?? "application/octet-stream");
});

server.listen(0, "127.0.0.1", () => {
  writeFileSync(opts["port-file"], String(server.address().port));
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
