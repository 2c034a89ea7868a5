import { defineConfig } from "vite";

// The console is served by kiosk-server at /console/, on the same origin as the API.
// `npm run dev` proxies the API to a local server (KIOSK_SERVER, default :8780).
const API = process.env.KIOSK_SERVER ?? "http://127.0.0.1:8780";

// Chromium, Firefox and Safari of the last two years: staff use ordinary office browsers.
const TARGETS = ["es2022", "safari16", "chrome110", "firefox110"];

export default defineConfig({
  base: "/console/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    target: TARGETS,
    cssTarget: TARGETS,
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: { host: "127.0.0.1", port: 5174, proxy: { "/v1": API } },
});
