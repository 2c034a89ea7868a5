// The fleet as the server last told it (GET /v1/admin/fleet), polled once for every
// part of the console that wants it: the alert banner asks every 30 s, the fleet page
// every 15 s; one timer runs at the shortest interval asked for, and stops when
// nothing asks. A new answer replaces the old one only when it has come, so what is
// shown never blanks between polls.

import { useEffect } from "preact/hooks";
import { ApiError } from "../api/client";
import { getFleet } from "../api/routes";
import type { Fleet } from "../api/types";
import { session } from "./session";
import { createStore, useStore } from "./store";

type FleetState = {
  data: Fleet | null;
  error: ApiError | null;
  /** Browser time of the last answer (good or bad), for the next poll's timing. */
  at: number;
};

export const BANNER_POLL_MS = 30_000;
export const PAGE_POLL_MS = 15_000;

export const fleet = createStore<FleetState>({ data: null, error: null, at: 0 });

/** What each mounted user asked for: the poll interval in ms. */
const wanted = new Map<symbol, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<void> | null = null;
let owner: string | null = null;

function every(): number | null {
  return wanted.size ? Math.min(...wanted.values()) : null;
}

function schedule(): void {
  clearTimeout(timer);
  const interval = every();
  if (interval === null) return;
  const due = fleet.get().at + interval - Date.now();
  timer = setTimeout(() => void refreshFleet(false), Math.max(0, due));
}

/**
 * Asks the server now. `interactive`: a person is waiting (the page opened, the
 * Refresh button), so a lapsed session asks them to sign in again; a background
 * poll just records the error.
 */
export function refreshFleet(interactive = true): Promise<void> {
  if (inFlight) return inFlight;
  const who = session.get().me?.name ?? null;
  inFlight = getFleet(interactive)
    .then(
      (data) => {
        if (who === owner) fleet.set({ data, error: null, at: Date.now() });
      },
      (error: ApiError) => {
        if (who === owner) fleet.update((s) => ({ ...s, error, at: Date.now() }));
      },
    )
    .finally(() => {
      inFlight = null;
      schedule();
    });
  return inFlight;
}

// Someone else signing in on this tab never sees the last person's fleet.
session.subscribe(() => {
  const who = session.get().me?.name ?? null;
  if (who === owner) return;
  owner = who;
  fleet.set({ data: null, error: null, at: 0 });
});
owner = session.get().me?.name ?? null;

/** The fleet, kept fresh at least every `intervalMs` while the caller is mounted. */
export function useFleet(intervalMs: number): FleetState {
  useEffect(() => {
    const id = Symbol("fleet");
    wanted.set(id, intervalMs);
    if (Date.now() - fleet.get().at >= intervalMs) void refreshFleet(true);
    else schedule();
    return () => {
      wanted.delete(id);
      schedule();
    };
  }, [intervalMs]);
  return useStore(fleet);
}
