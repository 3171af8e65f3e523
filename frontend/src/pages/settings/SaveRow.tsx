/** A section's one Save button, with its error or confirmation right beside it. */
import { useState } from "react";
import { errorMessage } from "../../api/client";

interface Props {
  disabled?: boolean;
  onSave: () => Promise<unknown>;
}

export function SaveRow({ disabled, onSave }: Props) {
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({
    busy: false,
    error: null,
    saved: false,
  });
  const run = async () => {
    setState({ busy: true, error: null, saved: false });
    try {
      await onSave();
      setState({ busy: false, error: null, saved: true });
    } catch (err) {
      setState({ busy: false, error: errorMessage(err), saved: false });
    }
  };
  return (
    <div className="row save-row">
      <button className="btn primary" disabled={disabled || state.busy} onClick={run}>
        {state.busy ? "Saving…" : "Save"}
      </button>
      {state.saved && <span className="hint">✓ Saved</span>}
      {state.error && (
        <p className="alert error" role="alert">
          Could not save: {state.error}
        </p>
      )}
    </div>
  );
}
