// The sign-in dialog over the page when a session ends mid-work: the page and its
// unsaved edits stay; the interrupted request is repeated once signed in.

import { useT } from "../i18n";
import { useStore } from "../lib/store";
import { giveUpReauth, session } from "../lib/session";
import { Dialog } from "./Dialog";
import { SignInForm } from "./SignInForm";

export function ReauthDialog() {
  const t = useT();
  const { reauth, me } = useStore(session);
  if (!reauth) return null;
  return (
    <Dialog title={t("signin.again")} onClose={giveUpReauth} testId="reauth-dialog">
      <SignInForm notice={reauth.code === "session_expired" ? "expired" : "lapsed"} name={me?.name} />
    </Dialog>
  );
}
