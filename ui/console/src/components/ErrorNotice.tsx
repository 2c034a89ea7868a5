// An API error in the page: a title in the interface's language for the codes the
// console knows, and always the server's own sentence (its reason) beneath.

import { ApiError, NETWORK_ERROR } from "../api/client";
import { useT, type Key } from "../i18n";
import { Notice } from "./Notice";

const TITLES: Record<string, Key> = {
  [NETWORK_ERROR]: "error.network",
  forbidden: "error.forbidden",
  csrf: "error.csrf",
  own_change: "error.ownChange",
  not_in_review: "error.notInReview",
  draft_conflict: "error.conflict",
  invalid_content: "error.invalidContent",
  missing_media: "error.missingMedia",
  not_media: "error.notMedia",
  undecodable_media: "error.undecodable",
  unknown_type: "error.unknownType",
  too_large: "error.tooLarge",
  weak_password: "error.weakPassword",
  user_exists: "error.userExists",
  invalid_user: "error.invalidUser",
  no_release: "error.noRelease",
  invalid_emergency: "error.invalidEmergency",
  invalid_location: "error.invalidLocation",
  no_device: "error.noDevice",
  invalid_range: "error.invalidRange",
  session_expired: "signin.expired",
  unauthorized: "signin.required",
};

export function errorTitleKey(error: ApiError): Key {
  return TITLES[error.code] ?? (error.status >= 500 ? "error.server" : "error.generic");
}

export function ErrorNotice({ error, testId }: { error: ApiError | Error | null; testId?: string }) {
  const t = useT();
  if (!error) return null;
  const api = error instanceof ApiError ? error : new ApiError(0, "client", error.message);
  return (
    <Notice kind="error" title={t(errorTitleKey(api))} testId={testId ?? "error"}>
      <span class="server-message">{api.message}</span>
    </Notice>
  );
}
