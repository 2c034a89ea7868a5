/** Reports each media URL the webview could not show, once per URL (the first
 *  reason wins), however often a visitor comes back to it. */

type Reporter = (url: string, reason: string) => Promise<void>;

let reporter: Reporter = async () => {};
const reported = new Set<string>();

export function setMediaErrorReporter(fn: Reporter): void {
  reporter = fn;
}

export function reportMediaError(url: string, reason: string): void {
  if (reported.has(url)) return;
  reported.add(url);
  console.warn(`[kiosk] media unavailable: ${url} (${reason})`);
  reporter(url, reason).catch((e) => console.warn("[kiosk] reportMediaError failed", e));
}

/** Forget what was reported (a new release may bring the same names back). */
export function resetReportedMedia(): void {
  reported.clear();
}
