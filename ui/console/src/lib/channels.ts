// The channels the signed-in person may see, and the one chosen in the header
// (remembered in localStorage).

import { listChannels } from "../api/routes";
import type { ChannelRow, Me } from "../api/types";
import { seesChannel } from "./roles";
import { createStore } from "./store";

const STORAGE_KEY = "console.channel";

type ChannelsState = { rows: ChannelRow[]; current: string; loaded: boolean; error: string | null };

function remembered(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

export const channels = createStore<ChannelsState>({ rows: [], current: remembered(), loaded: false, error: null });

export function chooseChannel(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Private mode: the choice lasts this visit.
  }
  channels.update((s) => ({ ...s, current: name }));
}

/** Channels of the server that `me` has a role on; the first one becomes current if none is. */
export async function loadChannels(me: Me): Promise<void> {
  try {
    const { channels: all } = await listChannels();
    const rows = all.filter((row) => seesChannel(me, row.name));
    const current = rows.some((r) => r.name === channels.get().current) ? channels.get().current : (rows[0]?.name ?? "");
    channels.set({ rows, current, loaded: true, error: null });
  } catch (error) {
    // Without the list, fall back to the channels named in the person's roles.
    const named = me.roles.map((g) => g.channel).filter((c) => c !== "*");
    const rows = [...new Set(named)].map((name) => ({ name, version: null, manifest_sha256: null, published_at: null }));
    const current = rows.some((r) => r.name === channels.get().current) ? channels.get().current : (rows[0]?.name ?? "");
    channels.set({ rows, current, loaded: true, error: String((error as Error).message ?? error) });
  }
}
