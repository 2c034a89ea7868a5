// The channel's draft as the story and playlist pages edit it: the copy being edited,
// the revision it is based on, and what happened on the last save. Saving sends the
// revision; a 409 draft_conflict never overwrites: the person chooses to reload the
// other version, or to keep editing and then deliberately save over it.

import { ApiError } from "../api/client";
import { getDraft, saveDraft } from "../api/routes";
import type { ContentPack, Draft } from "../api/types";
import { createStore, type Store } from "./store";
import { tidy } from "./tidy";

type Conflict = { message: string; theirs: Draft | null };

export type DraftState = {
  channel: string;
  loading: boolean;
  error: ApiError | null;
  /** The draft as the server last gave it. */
  server: Draft | null;
  /** The copy being edited. */
  content: ContentPack | null;
  dirty: boolean;
  saving: boolean;
  saveError: ApiError | null;
  conflict: Conflict | null;
  /** Set after "keep editing" on a conflict: the newer revision a save would replace. */
  replaces: Draft | null;
  justSaved: boolean;
};

const stores = new Map<string, Store<DraftState>>();

export function draftStore(channel: string): Store<DraftState> {
  let store = stores.get(channel);
  if (!store) {
    store = createStore<DraftState>({
      channel,
      loading: false,
      error: null,
      server: null,
      content: null,
      dirty: false,
      saving: false,
      saveError: null,
      conflict: null,
      replaces: null,
      justSaved: false,
    });
    stores.set(channel, store);
  }
  return store;
}

/** Whether any channel has edits not yet saved (asked before leaving the page). */
export function anyUnsaved(): boolean {
  return [...stores.values()].some((s) => s.get().dirty);
}

/** Loads the draft unless edits are pending (then the copy being edited stays). */
export async function loadDraft(channel: string, force = false): Promise<void> {
  const store = draftStore(channel);
  if (store.get().loading || (!force && (store.get().dirty || store.get().server))) return;
  store.update((s) => ({ ...s, loading: true, error: null }));
  try {
    const draft = await getDraft(channel);
    store.update((s) => ({
      ...s,
      loading: false,
      server: draft,
      content: draft.content,
      dirty: false,
      conflict: null,
      replaces: null,
    }));
  } catch (error) {
    store.update((s) => ({ ...s, loading: false, error: error as ApiError }));
  }
}

/** Changes the copy: `change` edits a fresh deep copy in place. */
export function editDraft(channel: string, change: (content: ContentPack) => void): void {
  draftStore(channel).update((s) => {
    if (!s.content) return s;
    const next = structuredClone(s.content);
    change(next);
    return { ...s, content: next, dirty: true, justSaved: false };
  });
}

/** Keeps the server's newer draft in mind after a save elsewhere (submit, reject…). */
export function draftChanged(channel: string, draft: Draft): void {
  draftStore(channel).update((s) => ({
    ...s,
    server: draft,
    content: s.dirty ? s.content : draft.content,
  }));
}

export async function save(channel: string): Promise<boolean> {
  const store = draftStore(channel);
  const { content, server, replaces } = store.get();
  if (!content || !server) return false;
  store.update((s) => ({ ...s, saving: true, saveError: null, justSaved: false }));
  const sent = content;
  try {
    const draft = await saveDraft(channel, { revision: (replaces ?? server).revision, content: tidy(sent) });
    store.update((s) => ({
      ...s,
      saving: false,
      server: draft,
      // Edits made while the save was on its way stay unsaved.
      content: s.content === sent ? draft.content : s.content,
      dirty: s.content !== sent,
      conflict: null,
      replaces: null,
      justSaved: true,
    }));
    return true;
  } catch (error) {
    const e = error as ApiError;
    if (e.code === "draft_conflict") {
      let theirs: Draft | null = null;
      try {
        theirs = await getDraft(channel);
      } catch {
        // The message alone still says who saved; reloading will try again.
      }
      store.update((s) => ({ ...s, saving: false, conflict: { message: e.message, theirs } }));
    } else {
      store.update((s) => ({ ...s, saving: false, saveError: e }));
    }
    return false;
  }
}

/** Conflict: take the other version and drop this person's edits. */
export async function reloadTheirs(channel: string): Promise<void> {
  const store = draftStore(channel);
  const theirs = store.get().conflict?.theirs;
  if (theirs) {
    store.update((s) => ({ ...s, server: theirs, content: theirs.content, dirty: false, conflict: null, replaces: null }));
  } else {
    store.update((s) => ({ ...s, dirty: false, conflict: null, replaces: null }));
    await loadDraft(channel, true);
  }
}

/** Conflict: keep this person's edits; a later save asks before replacing the other version. */
export function keepEditing(channel: string): void {
  draftStore(channel).update((s) => ({ ...s, replaces: s.conflict?.theirs ?? null, conflict: null }));
}
