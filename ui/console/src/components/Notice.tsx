// A message in the page: an error (announced at once), a warning, a success or a hint.

import type { ComponentChildren } from "preact";
import { Icon, type IconName } from "./Icon";

type Kind = "error" | "warning" | "success" | "info";
const ICONS: Record<Kind, IconName> = { error: "warning", warning: "warning", success: "check", info: "review" };

export function Notice({
  kind,
  title,
  children,
  actions,
  testId,
}: {
  kind: Kind;
  title?: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
  testId?: string;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"} data-testid={testId}>
      <Icon name={ICONS[kind]} size={20} />
      <div class="notice-text">
        {title && <strong class="notice-title">{title}</strong>}
        {children && <div>{children}</div>}
        {actions && <div class="notice-actions">{actions}</div>}
      </div>
    </div>
  );
}
