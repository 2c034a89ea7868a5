// Every payload type the console uses, from one place: generated from Rust
// (src/generated/, by `cargo test`), and the few names of ./pending-types.ts.

export type * from "../generated/Alerts";
export type * from "../generated/ApiErrorBody";
export type * from "../generated/AuditEntry";
export type * from "../generated/AuditLog";
export type * from "../generated/ChannelRow";
export type * from "../generated/Channels";
export type * from "../generated/Draft";
export type * from "../generated/DraftSave";
export type * from "../generated/DraftStep";
export type * from "../generated/EmergencyNow";
export type * from "../generated/EmergencyState";
export type * from "../generated/EnrolmentCode";
export type * from "../generated/Fleet";
export type * from "../generated/FleetAlert";
export type * from "../generated/FleetScreen";
export type * from "../generated/Issued";
export type * from "../generated/Me";
export type * from "../generated/MediaItem";
export type * from "../generated/MediaList";
export type * from "../generated/MediaUse";
export type * from "../generated/NewUpload";
export type * from "../generated/NewUser";
export type * from "../generated/Published";
export type * from "../generated/RaiseEmergency";
export type * from "../generated/ReleaseRow";
export type * from "../generated/Releases";
export type * from "../generated/Review";
export type * from "../generated/ReviewBlob";
export type * from "../generated/ReviewChange";
export type * from "../generated/Role";
export type * from "../generated/ScreenChange";
export type * from "../generated/ScreenStatus";
export type * from "../generated/RoleGrant";
export type * from "../generated/Rollback";
export type * from "../generated/SignIn";
export type * from "../generated/Upload";
export type * from "../generated/User";
export type * from "../generated/UserChange";
export type * from "../generated/Users";

export type * from "../generated/content/Attract";
export type * from "../generated/content/BlobId";
export type * from "../generated/content/Brand";
export type * from "../generated/content/Brochure";
export type * from "../generated/content/BrochureFile";
export type * from "../generated/content/Chapter";
export type * from "../generated/content/ContentPack";
export type * from "../generated/content/Day";
export type * from "../generated/content/LocaleInfo";
export type * from "../generated/content/LocaleTag";
export type * from "../generated/content/Localized";
export type * from "../generated/content/Playlist";
export type * from "../generated/content/PlaylistItem";
export type * from "../generated/content/Scene";
export type * from "../generated/content/Schedule";
export type * from "../generated/content/ScheduleEntry";
export type * from "../generated/content/Show";
export type * from "../generated/content/Signage";
export type * from "../generated/content/Social";
export type * from "../generated/content/SocialChannel";
export type * from "../generated/content/TimeWindow";

export type * from "../../../wire/Heartbeat";

export type * from "./pending-types";
