// A stable id (lowercase letters, digits and "-"), with the rule shown when broken or
// when another item beside it has the same id.

import { type T, useT } from "../../i18n";
import { isSlug } from "../../lib/slug";

/** What is wrong with an id among the ids `taken` by its neighbours, or null. */
export function idProblem(value: string, taken: string[], t: T): string | null {
  return !isSlug(value) ? t("story.idRule") : taken.includes(value) ? t("story.idTaken") : null;
}

export function IdField({
  id,
  value,
  taken,
  disabled,
  onChange,
}: {
  id: string;
  value: string;
  /** The ids of the items beside this one. */
  taken: string[];
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const t = useT();
  const problem = idProblem(value, taken, t);
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
