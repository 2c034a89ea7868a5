// Picks a file of one kind from the media library, in a dialog.

import { useEffect, useState } from "preact/hooks";
import type { MediaKind } from "../api/types";
import { useT } from "../i18n";
import { library, loadLibrary } from "../lib/library";
import { useStore } from "../lib/store";
import { Dialog } from "./Dialog";
import { MediaFacts } from "./MediaFacts";
import { MediaThumb } from "./MediaThumb";

type Props = {
  kind: MediaKind;
  title: string;
  current?: string | null;
  onPick: (sha256: string) => void;
  onClose: () => void;
};

export function MediaPicker({ kind, title, current, onPick, onClose }: Props) {
  const t = useT();
  const { items, loaded } = useStore(library);
  const [q, setQ] = useState("");
  useEffect(() => {
    void loadLibrary(true);
  }, []);
  const shown = items.filter((item) => item.kind === kind && item.name.toLowerCase().includes(q.trim().toLowerCase()));
  return (
    <Dialog title={title} onClose={onClose} wide testId="media-picker">
      <div class="field">
        <label for="picker-search">{t("media.search")}</label>
        <input id="picker-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      {!loaded && <p class="muted">{t("loading")}</p>}
      {loaded && shown.length === 0 && <p class="empty">{t("picker.none", { kind: t(`kind.${kind}`) })}</p>}
      <ul class="picker-grid">
        {shown.map((item) => (
          <li key={item.sha256}>
            <button
              type="button"
              class={item.sha256 === current ? "picker-item selected" : "picker-item"}
              aria-pressed={item.sha256 === current}
              onClick={() => onPick(item.sha256)}
              data-name={item.name}
            >
              <MediaThumb item={item} size="sm" />
              <span class="picker-name">{item.name}</span>
              <MediaFacts item={item} />
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** The chosen file as a small card with "choose" and (when optional) "remove". */
export function MediaSlot({
  label,
  kind,
  value,
  onChange,
  optional = true,
  disabled,
}: {
  label: string;
  kind: MediaKind;
  value: string | null;
  onChange: (sha256: string | null) => void;
  optional?: boolean;
  disabled?: boolean;
}) {
  const t = useT();
  const { items } = useStore(library);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    void loadLibrary();
  }, []);
  const item = items.find((i) => i.sha256 === value);
  return (
    <div class="media-slot" role="group" aria-label={label}>
      <span class="slot-label">{label}</span>
      <div class="slot-body">
        <MediaThumb item={item} size="sm" />
        <span class="slot-name" data-testid="slot-name">
          {value ? (item?.name ?? `${value.slice(0, 12)}…`) : t("picker.nothing")}
        </span>
        {!disabled && (
          <span class="slot-actions">
            <button type="button" class="button small" onClick={() => setOpen(true)} aria-label={`${t("picker.choose")}: ${label}`}>
              {t("picker.choose")}
            </button>
            {optional && value && (
              <button type="button" class="button small ghost" onClick={() => onChange(null)} aria-label={`${t("picker.remove")}: ${label}`}>
                {t("picker.remove")}
              </button>
            )}
          </span>
        )}
      </div>
      {open && (
        <MediaPicker
          kind={kind}
          title={`${t("picker.title")}: ${label}`}
          current={value}
          onPick={(sha) => {
            onChange(sha);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
