/** Export: the formats that fit the config, optionally only the tasks of the open tab, then download. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/client";
import { createSnapshot, deleteSnapshot, exportFormats, exportUrl, keys, snapshotUrl } from "../../api/endpoints";
import { download } from "../../api/transfer";
import { Dialog } from "../Dialog";
import { useToast } from "../Toasts";

interface Props {
  projectId: number;
  viewId: number | null;
  /** Tasks the tab shows, when it has filters; null when it shows every task. */
  filteredCount: number | null;
  /** Saves pending tab edits so the server exports what is on screen. */
  flush: () => Promise<void>;
  onClose: () => void;
}

async function exportView(projectId: number, viewId: number, format: string): Promise<string> {
  // A snapshot filtered by the saved view scales to any number of tasks (ids in a URL do not).
  const snap = await createSnapshot(projectId, viewId);
  try {
    if (snap.status !== "completed") throw new Error(`The export ended with status “${snap.status}”.`);
    return await download(snapshotUrl(projectId, snap.id, format), `project-${projectId}-export`);
  } finally {
    deleteSnapshot(projectId, snap.id).catch(() => undefined);
  }
}

export function ExportDialog({ projectId, viewId, filteredCount, flush, onClose }: Props) {
  const toast = useToast();
  const formats = useQuery({ queryKey: keys.exportFormats(projectId), queryFn: () => exportFormats(projectId) });
  const [chosen, setChosen] = useState<string | null>(null);
  const [onlyView, setOnlyView] = useState(filteredCount !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const format = chosen ?? formats.data?.find((f) => !f.disabled)?.name ?? null;

  const run = async () => {
    if (!format) return;
    setBusy(true);
    setError(null);
    try {
      let name: string;
      if (onlyView && viewId !== null && filteredCount !== null) {
        await flush();
        name = await exportView(projectId, viewId, format);
      } else {
        name = await download(exportUrl(projectId, format), `project-${projectId}-export`);
      }
      toast.ok(`Downloaded ${name}.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Export"
      wide
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={run} disabled={!format || busy}>
            {busy ? "Preparing…" : "Download"}
          </button>
        </>
      }
    >
      {formats.isPending && <p className="muted">Loading formats…</p>}
      {formats.isError && <p className="alert error">Could not load the formats: {errorMessage(formats.error)}</p>}
      {formats.data && (
        <fieldset className="formats" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sr-only">Format</legend>
          {formats.data.map((f) => (
            <label
              key={f.name}
              className={f.disabled ? "disabled" : undefined}
              title={f.disabled ? "Not available for this labeling config" : undefined}
            >
              <input
                type="radio"
                name="format"
                value={f.name}
                disabled={f.disabled}
                checked={format === f.name}
                onChange={() => setChosen(f.name)}
              />
              <span>
                {f.title}
                <small>{f.disabled ? "Not available for this labeling config" : f.description}</small>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <label className="row">
        <input
          type="checkbox"
          checked={onlyView && filteredCount !== null}
          disabled={filteredCount === null}
          onChange={(e) => setOnlyView(e.target.checked)}
        />
        {filteredCount === null
          ? "Only tasks in this view (the tab has no filters: all tasks are exported)"
          : `Only tasks in this view (${filteredCount.toLocaleString()} tasks)`}
      </label>
      {error && (
        <p className="alert error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
