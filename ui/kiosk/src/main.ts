import "@fontsource/be-vietnam-pro/400.css";
import "@fontsource/be-vietnam-pro/500.css";
import "@fontsource/be-vietnam-pro/600.css";
import "@fontsource/be-vietnam-pro/700.css";
import "@fontsource/be-vietnam-pro/800.css";
import "./styles/index.css";

import { App, loadPack } from "./app";
import { CheckInLoop, showDisplayOff } from "./check-in";
import { selectBackend } from "./backend/select";
import { EmergencyBanner } from "./emergency";
import { lockDown } from "./lockdown";
import { setMediaErrorReporter } from "./ui/media-errors";

/** Boot: lock the screen down, pick the backend (the app's, or the mock in a plain
 *  browser), load the pack in every language and start on the attract loop. */
async function boot(): Promise<void> {
  lockDown();
  const root = document.getElementById("app");
  if (!root) throw new Error("#app missing from index.html");

  const backend = await selectBackend();
  setMediaErrorReporter((url, reason) => backend.reportMediaError(url, reason));
  new EmergencyBanner(document.body, backend).start();
  const checkIn = new CheckInLoop(document.body, backend);
  const displayOn = await checkIn.first();
  checkIn.start();
  if (!displayOn) {
    showDisplayOff(root);
    return;
  }

  // The app may still be opening its store: keep trying, on a calm branded screen.
  for (let attempt = 1; ; attempt++) {
    try {
      const pack = await loadPack(backend);
      new App(root, backend, pack).start();
      return;
    } catch (e) {
      console.warn(`[kiosk] loading the pack failed (attempt ${attempt})`, e);
      document.body.dataset.screen = "boot";
      await new Promise((r) => setTimeout(r, Math.min(10000, 1000 * attempt)));
    }
  }
}

void boot();
