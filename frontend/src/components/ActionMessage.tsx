/** The outcome of a user action, shown beside the control that started it. */
import type { ActionMessage as Message } from "./useAction";

export function ActionMessage({ message }: { message: Message | null }) {
  if (!message) return null;
  return (
    <p className={`alert ${message.ok ? "ok" : "error"}`} role={message.ok ? "status" : "alert"} style={{ marginTop: 10 }}>
      {message.text}
    </p>
  );
}
