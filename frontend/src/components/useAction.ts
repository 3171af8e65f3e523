/** Run one user action: busy while it runs, then a message to show beside the control that started it. */
import { useState } from "react";
import { errorMessage } from "../api/client";

export interface ActionMessage {
  ok: boolean;
  text: string;
}

export function useAction(after?: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const run = async <T,>(what: () => Promise<T>, done: (result: T) => string) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await what();
      setMessage({ ok: true, text: done(result) });
      await after?.();
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, run };
}
