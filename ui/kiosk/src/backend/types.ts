// The payloads the kiosk app sends to the interface, generated from the Rust
// types that make them (`crates/kiosk-device`, by ts-rs: `cargo test` writes
// `../generated/`, and the test run fails when the two drift apart).

export type { Session } from "../generated/Session";
export type { LocaleInfo } from "../generated/LocaleInfo";
export type { ReleaseInfo } from "../generated/ReleaseInfo";
export type { LocalizedContent } from "../generated/LocalizedContent";
export type { Brand } from "../generated/Brand";
export type { Attract } from "../generated/Attract";
export type { Chapter } from "../generated/Chapter";
export type { Scene } from "../generated/Scene";
export type { Survey } from "../generated/Survey";
export type { SurveyOption } from "../generated/SurveyOption";
export type { Brochure } from "../generated/Brochure";
export type { Social } from "../generated/Social";
export type { SocialChannel } from "../generated/SocialChannel";
export type { PlayerPlan } from "../generated/PlayerPlan";
export type { GroupClockView } from "../generated/GroupClockView";
export type { Role } from "../generated/Role";
export type { PlanReason } from "../generated/PlanReason";
export type { PlayerItem } from "../generated/PlayerItem";
export type { CardText } from "../generated/CardText";
export type { DroppedItem } from "../generated/DroppedItem";
export type { StaffStatus } from "../generated/StaffStatus";
export type { SyncStatus } from "../generated/SyncStatus";
export type { EmergencyView } from "../generated/EmergencyView";
export type { EmergencyLine } from "../generated/EmergencyLine";
export type { CheckIn } from "../generated/CheckIn";
export type { UsbNotice } from "../generated/UsbNotice";
export type { Tour } from "../generated/Tour";
export type { TourStop } from "../generated/TourStop";
export type { SceneLink } from "../generated/SceneLink";
export type { PlayerTour } from "../generated/PlayerTour";
export type { PlayerTourStop } from "../generated/PlayerTourStop";

import type { PlayerItem } from "../generated/PlayerItem";

/** What a playlist item is. */
export type PlayerItemKind = PlayerItem["kind"];

/** A proof-of-play or interaction event, as the interface reports it. */
export type { InterfaceEvent as KioskEvent } from "../generated/InterfaceEvent";
