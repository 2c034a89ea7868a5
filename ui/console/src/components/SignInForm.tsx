// Name and password; clear words for a wrong password, a locked account (until when)
// and an ended session.

import { useState } from "preact/hooks";
import { signIn } from "../api/routes";
import { useLang, useT } from "../i18n";
import { formatDateTime, lockedUntil } from "../lib/format";
import { signedIn } from "../lib/session";
import { useAction } from "../lib/use-action";
import { ErrorNotice } from "./ErrorNotice";
import { Notice } from "./Notice";

export function SignInForm({ notice, name: knownName }: { notice?: "expired" | "signed-out" | "lapsed" | null; name?: string }) {
  const t = useT();
  const lang = useLang();
  const [name, setName] = useState(knownName ?? "");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const me = await signIn({ name: name.trim(), password });
      setPassword("");
      signedIn(me);
    });
  }

  let message = null;
  if (error?.code === "bad_credentials") {
    message = (
      <Notice kind="error" title={t("signin.wrong")} testId="signin-error">
        {t("signin.wrongHint")}
      </Notice>
    );
  } else if (error?.code === "locked") {
    const until = lockedUntil(error.message);
    message = (
      <Notice kind="error" title={t("signin.locked")} testId="signin-error">
        {until ? t("signin.lockedUntil", { until: formatDateTime(until, lang) }) : error.message}{" "}
        {t("signin.lockedHint")}
      </Notice>
    );
  } else if (error) {
    message = <ErrorNotice error={error} testId="signin-error" />;
  } else if (notice === "expired") {
    message = <Notice kind="warning" title={t("signin.expired")}>{t("signin.expiredHint")}</Notice>;
  } else if (notice === "lapsed") {
    message = <Notice kind="warning" title={t("signin.lapsed")}>{t("signin.lapsedHint")}</Notice>;
  } else if (notice === "signed-out") {
    message = <Notice kind="success" title={t("signin.signedOut")} />;
  }

  return (
    <form class="form signin-form" onSubmit={submit} aria-describedby={message ? "signin-message" : undefined}>
      <div id="signin-message" aria-live="polite">
        {message}
      </div>
      <div class="field">
        <label for="signin-name">{t("signin.name")}</label>
        <input
          id="signin-name"
          name="username"
          autoComplete="username"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
        />
      </div>
      <div class="field">
        <label for="signin-password">{t("signin.password")}</label>
        <input
          id="signin-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
      </div>
      <button type="submit" class="button primary block" disabled={busy}>
        {busy ? t("signin.busy") : t("signin.submit")}
      </button>
    </form>
  );
}
