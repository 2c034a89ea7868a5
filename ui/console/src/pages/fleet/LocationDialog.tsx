// Where a screen stands (admins): a short text the fleet page and the alerts show.

import { useState } from "preact/hooks";
import { changeScreen } from "../../api/routes";
import type { FleetScreen } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n";
import { charCount } from "../../lib/format";
import { useAction } from "../../lib/use-action";

const MAX = 120;

export function LocationDialog({ screen, onDone, onClose }: { screen: FleetScreen; onDone: (saved: FleetScreen) => void; onClose: () => void }) {
  const t = useT();
  const [location, setValue] = useState(screen.location ?? "");
  const { busy, error, run } = useAction();
  const count = charCount(location);

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      onDone(await changeScreen(screen.id, { location: location.trim() || null }));
    });
  }

  return (
    <Dialog title={t("fleet.setLocationOf", { name: screen.name })} onClose={onClose} testId="location-dialog">
      <form class="form" onSubmit={submit}>
        <ErrorNotice error={error} testId="location-error" />
        <div class={count > MAX ? "field invalid" : "field"}>
          <label for="screen-location">{t("fleet.location")}</label>
          <input
            id="screen-location"
            value={location}
            autoComplete="off"
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby="screen-location-hint screen-location-count"
          />
          <p id="screen-location-hint" class="hint">
            {t("fleet.locationHint")}
          </p>
          <p id="screen-location-count" class={count > MAX ? "field-error counter" : "hint counter"}>
            {t("fleet.locationCount", { n: count })}
          </p>
        </div>
        <div class="dialog-actions inline">
          <button type="button" class="button" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" class="button primary" disabled={busy}>
            {t("save.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
