/** Reports each media URL the webview could not show, once per URL and reason. */

type Reporter = (url: string, reason: string) => Promise<void>;

let reporter: Reporter = async () => {};
const reported = new Set<string>();

export function setMediaErrorReporter(fn: Reporter): void {
  reporter = fn;
}

export function reportMediaError(url: string, reason: string): void {
  const key = `${url}\n${reason}`;
  if (reported.has(key)) return;
  reported.add(key);
  console.warn(`[kiosk] media unavailable: ${url} (${reason})`);
  reporter(url, reason).catch((e) => console.warn("[kiosk] reportMediaError failed", e));
}
