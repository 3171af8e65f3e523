/** /organization: the members (deactivate, reactivate) and the invite link; for owners and administrators. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/client";
import { getInvite, keys, listMemberships, resetInvite, updateMembership, whoami } from "../api/endpoints";
import type { CurrentUser, Membership, Role } from "../api/types";
import { ActionMessage } from "../components/ActionMessage";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { useToast } from "../components/Toasts";
import { useAction } from "../components/useAction";
import { copyText } from "../lib/clipboard";
import { managesOrganization, memberAction, REACTIVATED_ROLE, roleName } from "../lib/roles";

const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatDate(iso: string | undefined, fmt: Intl.DateTimeFormat): string {
  return iso ? fmt.format(new Date(iso)) : "—";
}

function fullName(m: Membership): string {
  return [m.user.first_name, m.user.last_name].filter(Boolean).join(" ");
}

/** The server may answer with a path; people are sent the whole address. */
function absolute(url: string): string {
  return new URL(url, window.location.origin).href;
}

export function OrganizationPage() {
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami });
  if (me.isError) {
    return (
      <div className="page" style={{ maxWidth: 980 }}>
        <p className="alert error">Could not load your account: {errorMessage(me.error)}</p>
      </div>
    );
  }
  if (!me.data)
    return (
      <p className="hint" style={{ padding: 24 }}>
        Loading…
      </p>
    );
  if (!managesOrganization(me.data.role)) {
    return (
      <div className="page" style={{ maxWidth: 980 }}>
        <div className="panel empty">
          <h2>Organization</h2>
          <p>Only the owner and administrators manage the organization's members and invite link.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="page" style={{ maxWidth: 980 }}>
      <div className="page-head">
        <h1>Organization</h1>
      </div>
      <MembersSection me={me.data} />
      <InviteSection owner={me.data.role === "OW"} />
    </div>
  );
}

function MembersSection({ me }: { me: CurrentUser }) {
  const client = useQueryClient();
  const toast = useToast();
  const orgId = me.active_organization;
  const members = useQuery({ queryKey: keys.memberships(orgId), queryFn: () => listMemberships(orgId) });
  const refresh = () => client.invalidateQueries({ queryKey: keys.memberships(orgId) });
  const { busy, message, run } = useAction(refresh);
  const [deactivating, setDeactivating] = useState<Membership | null>(null);
  const rows = members.data?.results ?? [];

  return (
    <section className="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {members.isError && <p className="alert error">Could not load the members: {errorMessage(members.error)}</p>}
      {members.isPending && <p className="hint">Loading…</p>}
      {rows.length > 0 && (
        <table className="simple-table members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Joined</th>
              <th>Last activity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const action = memberAction({ id: m.user.id, role: m.role }, me);
              const name = fullName(m);
              return (
                <tr key={m.user.id} className={m.role === "DI" ? "inactive" : undefined}>
                  <td>
                    {name && <div>{name}</div>}
                    <div className={name ? "hint" : undefined}>
                      {m.user.email}
                      {m.user.id === me.id && " (you)"}
                    </div>
                  </td>
                  <td>{roleName(m.role)}</td>
                  <td>{formatDate(m.user.date_joined, dayFmt)}</td>
                  <td>{formatDate(m.user.last_activity, timeFmt)}</td>
                  <td className="actions">
                    {action === "deactivate" && (
                      <button className="btn small" disabled={busy} onClick={() => setDeactivating(m)}>
                        Deactivate…
                      </button>
                    )}
                    {action === "reactivate" && (
                      <button
                        className="btn small"
                        disabled={busy}
                        onClick={() =>
                          run(
                            () => updateMembership(orgId, m.user.id, REACTIVATED_ROLE),
                            () => `${m.user.email} is active again, as ${roleName(REACTIVATED_ROLE).toLowerCase()}.`,
                          )
                        }
                      >
                        Reactivate
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {members.data && members.data.count > rows.length && (
        <p className="hint">
          Showing the first {rows.length} of {members.data.count} members.
        </p>
      )}
      <ActionMessage message={message} />
      {deactivating && (
        <ConfirmDialog
          title={`Deactivate ${deactivating.user.email}?`}
          confirmLabel="Deactivate"
          danger
          onClose={() => setDeactivating(null)}
          onConfirm={async () => {
            await updateMembership(orgId, deactivating.user.id, "DI");
            await refresh();
            toast.ok(`${deactivating.user.email} is deactivated.`);
          }}
        >
          <p>
            Their sessions and API token stop working at once, and they cannot log in. Their annotations stay. You can
            reactivate them later.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function InviteSection({ owner }: { owner: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [role, setRole] = useState<Role>("AN");
  const invite = useQuery({ queryKey: [...keys.invite, role], queryFn: () => getInvite(role) });
  const [resetting, setResetting] = useState(false);
  const link = invite.data ? absolute(invite.data.invite_url) : "";

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite link</h2>
      <p className="hint" style={{ marginBottom: 10 }}>
        Anyone who opens this link can create an account in this organization, with the role chosen here; sign-up
        without a link is closed.
      </p>
      <label className="field" style={{ maxWidth: 260 }}>
        Joins as
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {(["AN", "RE", "MA", ...(owner ? (["AD"] as Role[]) : [])] as Role[]).map((r) => (
            <option key={r} value={r}>
              {roleName(r)}
            </option>
          ))}
        </select>
      </label>
      {invite.isError && <p className="alert error">Could not load the invite link: {errorMessage(invite.error)}</p>}
      <div className="token">
        <input
          readOnly
          aria-label="Invite link"
          value={link || "…"}
          onFocus={(e) => e.currentTarget.select()}
          style={{ flex: 1 }}
        />
        <button
          className="btn"
          disabled={!link}
          onClick={() =>
            copyText(link).then(
              () => toast.ok("Invite link copied to the clipboard."),
              (err) => toast.error(err, "Could not copy"),
            )
          }
        >
          Copy
        </button>
        <button className="btn" onClick={() => setResetting(true)}>
          Reset link…
        </button>
      </div>
      {resetting && (
        <ConfirmDialog
          title="Reset the invite link?"
          confirmLabel="Reset link"
          danger
          onClose={() => setResetting(false)}
          onConfirm={async () => {
            await resetInvite();
            // Every role's link changes with the reset.
            await client.invalidateQueries({ queryKey: keys.invite });
            toast.ok("A new invite link is active; the old one no longer works.");
          }}
        >
          <p>
            The current link stops working: people who have it but have not signed up yet will need the new one.
            Accounts already created stay.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
