// A modal dialog on the native <dialog> element: focus stays inside, Escape closes,
// the title names it for screen readers.

import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";
import { useT } from "../i18n";
import { Icon } from "./Icon";

type Props = {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Buttons at the bottom. */
  actions?: ComponentChildren;
  wide?: boolean;
  /** false: Escape and the close button do nothing (a dialog that must be answered). */
  closable?: boolean;
  testId?: string;
};

export function Dialog({ title, onClose, children, actions, wide, closable = true, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const t = useT();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (closable) onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        {closable && (
          <button type="button" class="icon-button" onClick={onClose} aria-label={t("close")}>
            <Icon name="close" />
          </button>
        )}
      </div>
      <div class="dialog-body">{children}</div>
      {actions && <div class="dialog-actions">{actions}</div>}
    </dialog>
  );
}

type ConfirmProps = {
  title: string;
  message: ComponentChildren;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
};

/** Asks before something that cannot simply be undone. */
export function ConfirmDialog({ title, message, confirm, danger, busy, onConfirm, onClose, testId }: ConfirmProps) {
  const t = useT();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={testId}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="button" class={danger ? "button danger" : "button primary"} onClick={onConfirm} disabled={busy}>
            {confirm}
          </button>
        </>
      }
    >
      <div class="confirm-message">{message}</div>
    </Dialog>
  );
}
