/** Settings → Cloud and local storage: where tasks come from (import) and where annotations go (export). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/client";
import {
  addStorage,
  isSyncing,
  listStorages,
  removeStorage,
  syncStorage,
  validateStorage,
  type Storage,
  type StorageKind,
} from "../api/integrations";
import { ActionMessage } from "./ActionMessage";
import { IMAGE_FILTER, rootHint, rootPlaceholder, syncProgressText, useLocalRoot } from "./dm/folderSync";
import { useAction } from "./useAction";
import { plural } from "../lib/plural";

/** Per type: its fields as [name, label, placeholder?], and what to know before filling them in. */
const TYPES: Record<string, { title: string; fields: [string, string, string?][] }> = {
  localfiles: {
    title: "Local folder",
    fields: [["path", "Absolute folder path on the server"]], // placeholder and hint name the server's root
  },
  s3: {
    title: "Amazon S3 (or compatible)",
    fields: [
      ["bucket", "Bucket"],
      ["prefix", "Prefix"],
      ["s3_endpoint", "Endpoint URL (for S3-compatible servers)"],
      ["aws_access_key_id", "Access key id"],
      ["aws_secret_access_key", "Secret access key"],
    ],
  },
  azure: {
    title: "Azure Blob Storage",
    fields: [
      ["container", "Container"],
      ["prefix", "Prefix"],
      ["account_name", "Account name"],
      ["account_key", "Account key"],
      ["azure_endpoint", "Endpoint URL (Azurite or a private endpoint)"],
    ],
  },
  gcs: {
    title: "Google Cloud Storage",
    fields: [
      ["bucket", "Bucket"],
      ["prefix", "Prefix"],
      ["google_application_credentials", "Service account JSON"],
      ["gcs_endpoint", "Endpoint URL (for an emulator)"],
    ],
  },
};

function where(s: Storage): string {
  return s.path ?? [s.bucket ?? s.container, s.prefix].filter(Boolean).join("/");
}

function syncStatus(s: Storage, kind: StorageKind): string {
  if (isSyncing(s)) return syncProgressText(s);
  if (!s.last_sync) return "never";
  const what = kind === "import" ? "new task" : "annotation";
  return `${new Date(s.last_sync).toLocaleString()} · ${plural(s.last_sync_count ?? 0, what)}`;
}

function StorageList({ projectId, kind }: { projectId: number; kind: StorageKind }) {
  const client = useQueryClient();
  const key = ["storages", projectId, kind];
  const storages = useQuery({
    queryKey: key,
    queryFn: () => listStorages(projectId, kind),
    // While a sync runs in the background, its progress is read from the storage itself.
    refetchInterval: (q) => (q.state.data?.some(isSyncing) ? 500 : false),
  });
  const [type, setType] = useState("localfiles");
  const root = useLocalRoot();
  const [values, setValues] = useState<Record<string, string>>({});
  const defaultRegex = kind === "import" ? IMAGE_FILTER : "";
  const [regex, setRegex] = useState(defaultRegex);
  const { busy, message, run } = useAction(() =>
    Promise.all([
      client.invalidateQueries({ queryKey: key }),
      client.invalidateQueries({ queryKey: ["project", projectId] }),
    ]),
  );
  const settings = () => ({
    ...values,
    ...(kind === "import" ? { regex_filter: regex || null, use_blob_urls: true } : {}),
    title: values.path ?? values.bucket ?? values.container ?? type,
  });

  return (
    <div style={{ marginBottom: 18 }}>
      <h3>
        {kind === "import" ? "Source storage (tasks come from here)" : "Target storage (annotations are written here)"}
      </h3>
      {storages.isError && <p className="alert error">Could not load storages: {errorMessage(storages.error)}</p>}
      {storages.data && storages.data.length > 0 && (
        <table className="simple-table">
          <thead>
            <tr>
              <th>Type</th>
              <th>Location</th>
              <th>Last sync</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {storages.data.map((s) => (
              <tr key={s.id}>
                <td>{TYPES[s.type]?.title ?? s.type}</td>
                <td>
                  <code>{where(s)}</code>
                </td>
                <td title={s.traceback ?? undefined} aria-label={`${kind} storage ${s.id} status`}>
                  {s.status === "failed" ? (
                    <span className="text-danger">Failed: {(s.traceback ?? "").split("\n")[0]}</span>
                  ) : (
                    syncStatus(s, kind)
                  )}
                </td>
                <td className="actions-cell">
                  <div className="row" style={{ gap: 6, justifyContent: "flex-end" }}>
                    <button
                      className="btn"
                      disabled={busy || isSyncing(s)}
                      onClick={() =>
                        run(
                          () => syncStorage(kind, s),
                          () => "Sync started.",
                        )
                      }
                    >
                      {isSyncing(s) ? "Syncing…" : s.status === "failed" ? "Retry sync" : "Sync"}
                    </button>
                    <button
                      className="btn danger"
                      disabled={busy}
                      onClick={() =>
                        run(
                          () => removeStorage(kind, s),
                          () => "Removed.",
                        )
                      }
                    >
                      Remove
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row"
        style={{ marginTop: 10, gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}
        onSubmit={(e) => {
          e.preventDefault();
          run(
            async () => {
              const added = await addStorage(projectId, kind, type, settings());
              setValues({});
              setRegex(defaultRegex);
              // A source is synced at once: adding a folder is how one imports it.
              if (kind === "import") await syncStorage(kind, added);
              return added;
            },
            (added) =>
              kind === "import"
                ? `Added ${where(added)}; its files are being imported (see Last sync above).`
                : `Added ${where(added)}: annotations are written there as they are saved. Sync writes the ones made before.`,
          );
        }}
      >
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label={`${kind} storage type`}>
            {Object.entries(TYPES).map(([name, t]) => (
              <option key={name} value={name}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
        {TYPES[type].fields.map(([name, label, placeholder]) => (
          <label className="field" key={name} style={{ minWidth: 200, flex: 1 }}>
            <span>{label}</span>
            <input
              value={values[name] ?? ""}
              type={name.includes("secret") || name.includes("key") ? "password" : "text"}
              aria-label={`${kind} ${label}`}
              placeholder={type === "localfiles" ? rootPlaceholder(root) : placeholder}
              onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            />
          </label>
        ))}
        {kind === "import" && (
          <label className="field" style={{ minWidth: 200 }}>
            <span>File filter (regex)</span>
            <input value={regex} onChange={(e) => setRegex(e.target.value)} aria-label="import file filter" />
          </label>
        )}
        <button
          className="btn"
          type="button"
          disabled={busy}
          onClick={() =>
            run(
              () => validateStorage(projectId, kind, type, settings()),
              (r) => `${r.detail} Nothing was saved.`,
            )
          }
        >
          Test connection
        </button>
        <button className="btn primary" type="submit" disabled={busy}>
          Add {kind === "import" ? "source" : "target"}
        </button>
      </form>
      {type === "localfiles" && (
        <p className="hint" style={{ marginTop: 6 }}>
          {rootHint(root)}
        </p>
      )}
      <ActionMessage message={message} />
    </div>
  );
}

export function StoragesSection({ projectId }: { projectId: number }) {
  return (
    <section className="panel" aria-labelledby="storage-heading">
      <h2 id="storage-heading">Cloud and local storage</h2>
      <StorageList projectId={projectId} kind="import" />
      <StorageList projectId={projectId} kind="export" />
    </section>
  );
}
