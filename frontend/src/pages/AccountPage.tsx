/** /account: who is logged in, their password, and the API token (copy, reset). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../api/client";
import { changePassword, getToken, keys, resetToken, whoami } from "../api/endpoints";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useToast } from "../components/Toasts";
import { copyText } from "../lib/clipboard";
import { roleName } from "../lib/roles";

const MIN_PASSWORD = 8;

export function AccountPage() {
  const client = useQueryClient();
  const toast = useToast();
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami });
  const token = useQuery({ queryKey: keys.token, queryFn: getToken });
  const [resetting, setResetting] = useState(false);
  const [tokenReset, setTokenReset] = useState(false);
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
          <dt>Role</dt>
          <dd>{me.data ? roleName(me.data.role) : "…"}</dd>
        </dl>
      </section>
      <PasswordSection />
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
        {tokenReset && (
          <p className="alert ok" role="status" style={{ marginTop: 10 }}>
            This is a new token: the old one stopped working. Give the new one to your scripts, SDK clients and ML
            backends.
          </p>
        )}
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
            setTokenReset(true);
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

function PasswordSection() {
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await changePassword({ current_password: current, new_password: next });
      setCurrent("");
      setNext("");
      toast.ok("Password changed; your other sessions were logged out.");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <p className="hint" style={{ marginBottom: 12 }}>
        Changing it logs you out everywhere else (other browsers and devices); this session stays.
      </p>
      <form className="password-form" onSubmit={submit}>
        <label className="field">
          <span>Current password</span>
          <input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </label>
        <label className="field">
          <span>New password</span>
          <input
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            minLength={MIN_PASSWORD}
            required
            aria-describedby="new-password-hint"
          />
          <span className="hint" id="new-password-hint">
            At least {MIN_PASSWORD} characters.
          </span>
        </label>
        <div>
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
        {error && (
          <p className="alert error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
