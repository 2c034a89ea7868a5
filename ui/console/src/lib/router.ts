// Pages are addressed by the URL's hash (#/media), so the server only ever serves
// /console/index.html. A page may keep what the reader chose after a "?" in the hash
// (#/reports?report=play&from=2026-03-01), so a reload or a shared link shows the same.

import { createStore } from "./store";

export type Page = "overview" | "fleet" | "media" | "story" | "signage" | "review" | "releases" | "emergency" | "reports" | "audit" | "users";
export const PAGES: Page[] = ["overview", "fleet", "media", "story", "signage", "review", "releases", "emergency", "reports", "audit", "users"];

function parse(): Page {
  const name = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return (PAGES as string[]).includes(name) ? (name as Page) : "overview";
}

function parseQuery(): string {
  const at = location.hash.indexOf("?");
  return at < 0 ? "" : location.hash.slice(at + 1);
}

export const route = createStore<Page>(parse());
/** The hash's query ("report=play&from=…"), "" when it has none. */
export const routeQuery = createStore<string>(parseQuery());
window.addEventListener("hashchange", () => {
  routeQuery.set(parseQuery());
  route.set(parse());
});

export const href = (page: Page, params?: Record<string, string>) => {
  const query = new URLSearchParams(Object.entries(params ?? {}).filter(([, value]) => value !== "")).toString();
  return query ? `#/${page}?${query}` : `#/${page}`;
};

/** Keeps `params` in the current page's address without a new history entry for every change. */
export function replaceQuery(page: Page, params: Record<string, string>): void {
  const next = href(page, params);
  if (location.hash === next) return;
  history.replaceState(history.state, "", next);
  routeQuery.set(parseQuery());
}
