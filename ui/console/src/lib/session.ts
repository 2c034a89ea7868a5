// Who is signed in. Holds Me (and with it the CSRF token), and the sign-in dialog
// shown over the page when a session lapses mid-work.

import { ApiError, onUnauthorized, setCsrfToken } from "../api/client";
import { currentSession, signOut as endSession } from "../api/routes";
import type { Me } from "../api/types";
import { createStore } from "./store";

type Session = {
  /** "loading" until GET /v1/session has answered. */
  status: "loading" | "signed-in" | "signed-out";
  me: Me | null;
  /** Why the person was signed out: shown on the sign-in page. */
  reason: "expired" | "signed-out" | null;
  /** Set while the sign-in dialog is open over the page. */
  reauth: { code: string } | null;
};

export const session = createStore<Session>({ status: "loading", me: null, reason: null, reauth: null });

let waiting: Array<(ok: boolean) => void> = [];

export function signedIn(me: Me): void {
  setCsrfToken(me.csrf_token);
  session.set({ status: "signed-in", me, reason: null, reauth: null });
  waiting.forEach((resume) => resume(true));
  waiting = [];
}

/** The dialog was closed without signing in: the interrupted requests fail. */
export function giveUpReauth(): void {
  session.update((s) => ({ ...s, reauth: null }));
  waiting.forEach((resume) => resume(false));
  waiting = [];
}

export async function loadSession(): Promise<void> {
  try {
    signedIn(await currentSession());
  } catch (error) {
    const expired = error instanceof ApiError && error.code === "session_expired";
    session.set({ status: "signed-out", me: null, reason: expired ? "expired" : null, reauth: null });
  }
}

export async function signOut(): Promise<void> {
  try {
    await endSession();
  } finally {
    setCsrfToken("");
    session.set({ status: "signed-out", me: null, reason: "signed-out", reauth: null });
  }
}

// A 401 while signed in opens the dialog; the request waits and is repeated after.
onUnauthorized((error) => {
  if (session.get().status !== "signed-in") return Promise.resolve(false);
  session.update((s) => ({ ...s, reauth: { code: error.code } }));
  return new Promise((resume) => waiting.push(resume));
});
