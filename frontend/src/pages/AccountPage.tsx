/** /account: who is logged in, and the API token (copy, reset). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/client";
import { getToken, keys, resetToken, whoami } from "../api/endpoints";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useToast } from "../components/Toasts";

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Plain http on another host has no Clipboard API; the old path still works there.
  const area = document.createElement("textarea");
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser refused to copy; select the token and copy it by hand.");
}

export function AccountPage() {
  const client = useQueryClient();
  const toast = useToast();
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami });
  const token = useQuery({ queryKey: keys.token, queryFn: getToken });
  const [resetting, setResetting] = useState(false);
  const origin = window.location.origin;
  return (
    <div className="page" style={{ maxWidth: 820 }}>
      <div className="page-head">
        <h1>Account</h1>
      </div>
      <section className="panel">
        <h2>Profile</h2>
        {me.isError && <p className="alert error">Could not load your account: {errorMessage(me.error)}</p>}
        <dl className="facts">
          <dt>Email</dt>
          <dd data-testid="account-email">{me.data?.email ?? "…"}</dd>
          <dt>User id</dt>
          <dd>{me.data?.id ?? "…"}</dd>
        </dl>
      </section>
      <section className="panel">
        <h2>API token</h2>
        <p className="hint" style={{ marginBottom: 10 }}>
          Send it as <code>Authorization: Token &lt;token&gt;</code>, or pass it to{" "}
          <code>label_studio_sdk.Client("{origin}", "&lt;token&gt;")</code>.
        </p>
        {token.isError && <p className="alert error">Could not load your token: {errorMessage(token.error)}</p>}
        <div className="token">
          <code aria-label="API token">{token.data?.token ?? "…"}</code>
          <button
            className="btn"
            disabled={!token.data}
            onClick={() =>
              copyText(token.data!.token).then(
                () => toast.ok("Token copied to the clipboard."),
                (err) => toast.error(err, "Could not copy"),
              )
            }
          >
            Copy
          </button>
          <button className="btn" onClick={() => setResetting(true)}>
            Reset…
          </button>
        </div>
      </section>
      <section className="panel">
        <h2>Session</h2>
        <a className="btn" href="/user/logout">
          Log out
        </a>
      </section>
      {resetting && (
        <ConfirmDialog
          title="Reset API token?"
          confirmLabel="Reset token"
          danger
          onClose={() => setResetting(false)}
          onConfirm={async () => {
            const fresh = await resetToken();
            client.setQueryData(keys.token, fresh);
            toast.ok("A new token is active; the old one no longer works.");
          }}
        >
          <p>
            Scripts, SDK clients and ML backends that use the current token will stop working until you give them the
            new one.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
