// Pages are addressed by the URL's hash (#/media), so the server only ever serves
// /console/index.html.

import { createStore } from "./store";

export type Page = "overview" | "fleet" | "media" | "story" | "signage" | "review" | "releases" | "emergency" | "audit" | "users";
export const PAGES: Page[] = ["overview", "fleet", "media", "story", "signage", "review", "releases", "emergency", "audit", "users"];

function parse(): Page {
  const name = location.hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return (PAGES as string[]).includes(name) ? (name as Page) : "overview";
}

export const route = createStore<Page>(parse());
window.addEventListener("hashchange", () => route.set(parse()));

export const href = (page: Page) => `#/${page}`;
