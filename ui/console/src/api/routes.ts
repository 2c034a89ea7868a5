// One function per route of docs/console-api.md that the console calls.

import { request, requestFile } from "./client";
import type {
  Alerts,
  AuditLog,
  Channels,
  Draft,
  MediaItem,
  MediaKind,
  MediaList,
  Me,
  NewUser,
  Published,
  Releases,
  Review,
  ScreenChange,
  ScreenshotAsked,
  Screenshots,
  TokenRevoked,
  DraftSave,
  SignIn,
  DraftStep,
  EmergencyState,
  Fleet,
  FleetScreen,
  Issued,
  IssuedOnChannels,
  RaiseEmergency,
  RaiseGroupEmergency,
  ReportKind,
  ReportPage,
  Upload,
  User,
  UserChange,
  Users,
  WithdrawGroupEmergency,
} from "./types";


const enc = encodeURIComponent;
const channelPath = (channel: string) => `/v1/admin/channels/${enc(channel)}`;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// Sessions
export const currentSession = () => request<Me>("GET", "/v1/session", undefined, { reauth: false });
export const signIn = (body: SignIn) => request<Me>("POST", "/v1/session", body, { reauth: false });
export const signOut = () => request<void>("DELETE", "/v1/session", undefined, { reauth: false });

// Channels, drafts, review, releases
export const listChannels = () => request<Channels>("GET", "/v1/admin/channels");
export const getDraft = (channel: string) => request<Draft>("GET", `${channelPath(channel)}/draft`);
export const saveDraft = (channel: string, body: DraftSave) => request<Draft>("PUT", `${channelPath(channel)}/draft`, body);
export const submitDraft = (channel: string, body: DraftStep) =>
  request<Draft>("POST", `${channelPath(channel)}/draft/submit`, body);
export const approveDraft = (channel: string, body: DraftStep) =>
  request<Published>("POST", `${channelPath(channel)}/draft/approve`, body);
export const rejectDraft = (channel: string, body: DraftStep) =>
  request<Draft>("POST", `${channelPath(channel)}/draft/reject`, body);
export const getReview = (channel: string) => request<Review>("GET", `${channelPath(channel)}/review`);
export const listReleases = (channel: string) => request<Releases>("GET", `${channelPath(channel)}/releases`);
export const rollback = (channel: string, toVersion: number) =>
  request<Published>("POST", `${channelPath(channel)}/rollback`, { to_version: toVersion });

// The media library
export const listMedia = (q = "", kind: MediaKind | "" = "") =>
  request<MediaList>("GET", `/v1/admin/media${query({ q, kind })}`);
export const createUpload = (name: string, size: number) => request<Upload>("POST", "/v1/admin/uploads", { name, size });
export const getUpload = (id: string) => request<Upload>("GET", `/v1/admin/uploads/${enc(id)}`);
export const finishUpload = (id: string) => request<MediaItem>("POST", `/v1/admin/uploads/${enc(id)}/finish`);
export const uploadPath = (id: string) => `/v1/admin/uploads/${enc(id)}`;
export const thumbnailUrl = (sha256: string) => `/v1/admin/media/${enc(sha256)}/thumbnail`;
export const fileUrl = (sha256: string) => `/v1/admin/media/${enc(sha256)}/file`;
export const qrUrl = (text: string) => `/v1/admin/qr.svg${query({ text })}`;

// The fleet: every screen's health, alerts of screens gone quiet
export const getFleet = (reauth = true) => request<Fleet>("GET", "/v1/admin/fleet", undefined, { reauth });
export const listAlerts = (limit = 100) => request<Alerts>("GET", `/v1/admin/alerts${query({ limit })}`);
export const changeScreen = (id: string, body: ScreenChange) => request<FleetScreen>("PUT", `/v1/admin/devices/${enc(id)}`, body);
export const revokeScreen = (id: string) => request<TokenRevoked>("POST", `/v1/admin/devices/${enc(id)}/revoke`);

// Screenshots of a screen: asked of it, listed, each picture
export const askScreenshot = (id: string) => request<ScreenshotAsked>("POST", `/v1/admin/devices/${enc(id)}/screenshot`);
export const listScreenshots = (id: string) => request<Screenshots>("GET", `/v1/admin/devices/${enc(id)}/screenshots`);
export const screenshotUrl = (id: string, n: number) => `/v1/admin/devices/${enc(id)}/screenshots/${n}.png`;

// Emergency messages
export const getEmergency = (channel: string) => request<EmergencyState>("GET", `${channelPath(channel)}/emergency`);
export const raiseEmergency = (channel: string, body: RaiseEmergency) =>
  request<Issued>("POST", `${channelPath(channel)}/emergency`, body);
export const withdrawEmergency = (channel: string) => request<Issued>("DELETE", `${channelPath(channel)}/emergency`);
export const raiseOnChannels = (body: RaiseGroupEmergency) => request<IssuedOnChannels>("POST", "/v1/admin/emergency", body);
export const withdrawOnChannels = (body: WithdrawGroupEmergency) =>
  request<IssuedOnChannels>("POST", "/v1/admin/emergency/withdraw", body);

// The audit log
export const listAudit = (channel = "", actor = "", limit = 200) =>
  request<AuditLog>("GET", `/v1/admin/audit${query({ channel, actor, limit })}`);

// Users
export const listUsers = () => request<Users>("GET", "/v1/admin/users");
export const createUser = (body: NewUser) => request<User>("POST", "/v1/admin/users", body);
export const changeUser = (name: string, body: UserChange) => request<User>("PUT", `/v1/admin/users/${enc(name)}`, body);

// Reports: a page of numbers as JSON, each of its tables as CSV, the yearly PDF
export type ReportRange = { from: string; to: string; channel: string };
const reportUrl = (kind: ReportKind, { from, to, channel }: ReportRange, extra: Record<string, string> = {}) =>
  `/v1/admin/reports/${enc(kind)}${query({ from, to, channel, ...extra })}`;
export const getReport = (kind: ReportKind, range: ReportRange) => request<ReportPage>("GET", reportUrl(kind, range));
export const reportCsvUrl = (kind: ReportKind, range: ReportRange, table: string) => reportUrl(kind, range, { format: "csv", table });
export const yearlyReportUrl = (year: number, lang: string, channel: string) => `/v1/admin/yearly-report${query({ year, lang, channel })}`;
export const getYearlyReport = (year: number, lang: string, channel: string) => requestFile(yearlyReportUrl(year, lang, channel));
