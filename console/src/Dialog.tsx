// A modal dialog that asks before a change: the browser's own <dialog> (focus kept inside,
// Escape cancels), with a form whose fields the change reads, its error, and Cancel.

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from "react";
import { useChange } from "./hooks";
import { Problem } from "./Problem";

export interface ConfirmProps {
  title: string;
  /** What the confirm button says: the change, e.g. "Suspend". */
  confirm: string;
  danger?: boolean;
  /** Makes the change with the form's fields; the dialog closes when it succeeds. */
  onConfirm: (form: FormData) => Promise<unknown>;
  onClose: () => void;
  children?: ReactNode;
}

/** Open while it is rendered. */
export function ConfirmDialog({ title, confirm, danger, onConfirm, onClose, children }: ConfirmProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  const change = useChange();
  useEffect(() => {
    const element = dialog.current;
    // Removing it from the page closes it; opened once (StrictMode runs this twice).
    if (element && !element.open) element.showModal();
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void change.run(() => onConfirm(form)).then((done) => done && onClose());
  }

  return (
    <dialog ref={dialog} className="confirm" aria-labelledby={heading} onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id={heading}>{title}</h2>
        {children}
        <Problem error={change.error} />
        <div className="actions">
          <button type="submit" className={danger ? "danger" : "primary"} disabled={change.busy}>{confirm}</button>
          <button type="button" onClick={onClose} disabled={change.busy}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
