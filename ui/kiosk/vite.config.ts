import { createReadStream, statSync } from "node:fs";
import { extname, resolve, sep } from "node:path";
import type { Connect, Plugin } from "vite";
import { defineConfig } from "vite";

/** The default content pack, served at /media/ so the mock backend can show the
 *  real pictures and films while the interface is designed in a plain browser. */
const MEDIA_DIR = resolve(__dirname, "../../media");

const TYPES: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".pdf": "application/pdf",
};

/** Serves MEDIA_DIR with Range support (a <video> needs it to seek). */
function mediaMiddleware(): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = req.url ?? "";
    if (!url.startsWith("/media/")) return next();
    const rel = decodeURIComponent(url.slice("/media/".length).split("?")[0]);
    const file = resolve(MEDIA_DIR, rel);
    if (!file.startsWith(MEDIA_DIR + sep)) {
      res.statusCode = 403;
      return res.end();
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error("not a file");
      size = st.size;
    } catch {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader("Content-Type", TYPES[extname(file).toLowerCase()] ?? "application/octet-stream");
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Cache-Control", "no-cache");
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (range && size > 0) {
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) {
        res.statusCode = 416;
        res.setHeader("Content-Range", `bytes */${size}`);
        return res.end();
      }
      res.statusCode = 206;
      res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
      res.setHeader("Content-Length", String(end - start + 1));
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.setHeader("Content-Length", String(size));
    createReadStream(file).pipe(res);
  };
}

function mediaPack(): Plugin {
  return {
    name: "kiosk-media-pack",
    configureServer(server) {
      server.middlewares.use(mediaMiddleware());
    },
    configurePreviewServer(server) {
      server.middlewares.use(mediaMiddleware());
    },
  };
}

// WebKitGTK 2.50 (Tauri on Linux) and Chromium; Safari 17 is the oldest engine we aim at.
const TARGETS = ["es2022", "safari17", "chrome120"];

export default defineConfig({
  base: "./",
  plugins: [mediaPack()],
  build: {
    target: TARGETS,
    cssTarget: TARGETS,
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173, strictPort: false },
});
