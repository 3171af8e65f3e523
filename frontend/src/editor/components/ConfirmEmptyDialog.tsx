/**
 * "Submit with no labels?" when a task that opened with a prediction is about to be saved empty. Enter
 * confirms (the button has focus), Escape cancels (the native dialog). The Ctrl+Enter that opened it may be
 * held or tapped again: Enter and Space do nothing while held or in the dialog's first frames (useSettle).
 */
import { useEffect, useRef } from "react";
import { Dialog } from "../../components/Dialog";
import { useSettle } from "./useSettle";

interface Props {
  /** What the task opened with, e.g. "prediction v1". */
  source: string;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmEmptyDialog({ source, onConfirm, onClose }: Props) {
  const { ready, fresh } = useSettle();
  const confirm = useRef<HTMLButtonElement>(null);
  // Not autoFocus: React focuses on mount, before Dialog's effect opens the <dialog>, and showModal() then
  // moves focus to the first button (Close). This effect runs after the child's.
  useEffect(() => confirm.current?.focus(), []);
  useEffect(() => {
    const guard = (e: KeyboardEvent) => {
      if ((e.key === "Enter" || e.key === " ") && (e.repeat || !fresh(e.timeStamp))) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("keydown", guard, true);
    return () => window.removeEventListener("keydown", guard, true);
  }, [fresh]);
  return (
    <Dialog
      title="Submit with no labels?"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary enter-default"
            aria-disabled={!ready}
            onClick={(e) => fresh(e.nativeEvent.timeStamp) && onConfirm()}
            ref={confirm}
          >
            Submit empty
          </button>
        </>
      }
    >
      <p>
        This task opened with {source}, and nothing is chosen now. Submit it as labeled with nothing? (Escape goes back
        to it; Undo brings the prediction back.)
      </p>
    </Dialog>
  );
}
