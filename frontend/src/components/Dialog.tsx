/** A modal on the native <dialog>: focus is trapped and Escape closes it without extra code. */
import { useEffect, useId, useRef, type ReactNode } from "react";

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** What went wrong with the dialog's action, shown under its content. */
  error?: string | null;
}

export function Dialog({ title, onClose, children, footer, wide, error }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? " wide" : ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <span className="spacer" />
        <button className="btn ghost icon" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="dialog-body">
        {children}
        {error && (
          <p className="alert error" role="alert">
            {error}
          </p>
        )}
      </div>
      {footer && <div className="dialog-foot">{footer}</div>}
    </dialog>
  );
}
