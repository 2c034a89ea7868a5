// Names of docs/console-api.md that the generated types (src/generated/) write as a
// plain string; kept here as the unions the contract lists. When a generated type
// covers one, delete it here.

/** `kind` of a MediaItem and of `GET /v1/admin/media?kind=`. */
export type MediaKind = "image" | "video" | "sound" | "document";

/** `state` of a Draft or Review. */
export type DraftState = "editing" | "in_review";

/** `kind` of a ReviewChange. */
export type ChangeKind = "added" | "removed" | "changed";
