// Revoking a screen's token (admins), after asking: the screen can no longer sync
// or report, and needs a new enrolment code to come back.

import { revokeScreen } from "../../api/routes";
import type { FleetScreen, TokenRevoked } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n";
import { useAction } from "../../lib/use-action";

export function RevokeDialog({ screen, onDone, onClose }: { screen: FleetScreen; onDone: (revoked: TokenRevoked) => void; onClose: () => void }) {
  const t = useT();
  const { busy, error, run } = useAction();
  return (
    <ConfirmDialog
      title={t("fleet.revokeOf", { name: screen.name })}
      message={
        <>
          <ErrorNotice error={error} testId="revoke-error" />
          <p>{t("fleet.revokeConfirm", { name: screen.name })}</p>
        </>
      }
      confirm={t("fleet.revoke")}
      danger
      busy={busy}
      testId="revoke-dialog"
      onClose={onClose}
      onConfirm={() => run(async () => onDone(await revokeScreen(screen.id)))}
    />
  );
}
