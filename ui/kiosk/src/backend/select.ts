import type { KioskBackend } from "./backend";

/** The Tauri backend inside the app, the mock in a plain browser. */
export async function selectBackend(): Promise<KioskBackend> {
  if ("__TAURI_INTERNALS__" in window) {
    const { tauriBackend } = await import("./tauri");
    return tauriBackend;
  }
  const { mockBackend } = await import("./mock");
  return mockBackend;
}
