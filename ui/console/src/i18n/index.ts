// The interface's language: Vietnamese or English, remembered in localStorage. Every
// word is in vi.ts or en.ts; `t(key, {name})` fills in {name}.

import { createStore, useStore } from "../lib/store";
import { en } from "./en";
import { vi, type Dict, type Key } from "./vi";

export type Lang = "vi" | "en";
export type { Key };

const STORAGE_KEY = "console.lang";
const DICTS: Record<Lang, Dict> = { vi, en };

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export const lang = createStore<Lang>(initialLang());

export function setLang(next: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts this visit.
  }
  document.documentElement.lang = next;
  lang.set(next);
}
document.documentElement.lang = lang.get();

type Params = Record<string, string | number>;
export type T = (key: Key, params?: Params) => string;

function translate(to: Lang, key: Key, params?: Params): string {
  const text = DICTS[to][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The translate function of the current language; re-renders on a switch. */
export function useT(): T {
  const current = useStore(lang);
  return (key, params) => translate(current, key, params);
}

export function useLang(): Lang {
  return useStore(lang);
}
