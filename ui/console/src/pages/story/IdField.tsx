// A stable id (lowercase letters, digits and "-"), with the rule shown when broken.

import { useT } from "../../i18n";

export function IdField({
  id,
  value,
  problem,
  disabled,
  onChange,
}: {
  id: string;
  value: string;
  problem: string | null;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const t = useT();
  return (
    <div class={problem ? "field id-field invalid" : "field id-field"}>
      <label for={id}>{t("story.id")}</label>
      <input
        id={id}
        value={value}
        disabled={disabled}
        spellcheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <p id={`${id}-hint`} class={problem ? "field-error" : "hint"}>
        {problem ?? t("story.idHint")}
      </p>
    </div>
  );
}
