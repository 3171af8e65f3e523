/** Short notices in the corner; errors stay until dismissed so they are never missed. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { errorMessage } from "../api/client";

interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

interface ToastApi {
  ok: (text: string) => void;
  error: (errOrText: unknown, prefix?: string) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast outside <ToastProvider>");
  return ctx;
}

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (kind: Toast["kind"], text: string) => {
      const id = nextId++;
      setToasts((ts) => [...ts.slice(-2), { id, kind, text }]);
      if (kind === "ok") window.setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      ok: (text) => push("ok", text),
      error: (err, prefix) => {
        const text = typeof err === "string" ? err : errorMessage(err);
        push("error", prefix ? `${prefix}: ${text}` : text);
      },
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} role={t.kind === "error" ? "alert" : undefined}>
            <p>{t.text}</p>
            <button className="btn ghost small" onClick={() => dismiss(t.id)} aria-label="Dismiss">
              ✕
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
