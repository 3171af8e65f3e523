/** Export: which tasks (the open tab's, only annotated ones), the formats that fit the config, then download. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/client";
import {
  convertSnapshot,
  createSnapshot,
  deleteSnapshot,
  exportFormats,
  getSnapshot,
  keys,
  snapshotUrl,
} from "../../api/endpoints";
import type { ExportSnapshot } from "../../api/types";
import { download } from "../../api/transfer";
import { Dialog } from "../Dialog";
import { useToast } from "../Toasts";
import { plural } from "../../lib/plural";

interface Props {
  projectId: number;
  viewId: number | null;
  /** Tasks the tab shows, when it has filters; null when it shows every task. */
  filteredCount: number | null;
  /** Saves pending tab edits so the server exports what is on screen. */
  flush: () => Promise<void>;
  onClose: () => void;
}

const POLL_MS = 400;
/** Short waits first (a small project's export is ready in a few milliseconds), then every POLL_MS. */
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(POLL_MS, 25 * 2 ** attempt)));

/** "Exporting… 12,000 of 100,000 tasks" while the server writes the snapshot. */
export function progressText(snap: ExportSnapshot): string {
  const done = snap.counters?.task_number ?? 0;
  const total = snap.counters?.total;
  return total ? `Exporting… ${done.toLocaleString()} of ${plural(total, "task")}` : "Exporting…";
}

/** Which tasks to export: a tab's (by its saved view) or all, and of those only the annotated ones or all. */
interface Scope {
  viewId: number | null;
  onlyAnnotated: boolean;
}

async function exportTasks(
  projectId: number,
  scope: Scope,
  format: string,
  onProgress: (text: string) => void,
): Promise<string> {
  // The server writes a snapshot in the background (a tab's tasks are filtered by its saved view, which
  // scales to any number of tasks where ids in a URL would not); other formats are converted from it.
  let snap = await createSnapshot(projectId, scope);
  try {
    const running = (status?: string) => status === "created" || status === "in_progress";
    /** Re-reads the snapshot until `busy` says it is done. */
    const poll = async (busy: (s: ExportSnapshot) => boolean, progress: (s: ExportSnapshot) => string) => {
      for (let attempt = 0; busy(snap); attempt++) {
        onProgress(progress(snap));
        await pause(attempt);
        snap = await getSnapshot(projectId, snap.id);
      }
    };
    await poll((s) => running(s.status), progressText);
    if (snap.status !== "completed") throw new Error(`The export failed: ${snap.error ?? snap.status}.`);
    if (format !== "JSON") {
      // Other formats are made from the snapshot on the server too, so a big COCO or YOLO export never
      // has to finish inside one request.
      await convertSnapshot(projectId, snap.id, format);
      const entryOf = (s: ExportSnapshot) => s.converted_formats?.find((c) => c.export_type === format);
      snap = await getSnapshot(projectId, snap.id);
      await poll(
        (s) => running(entryOf(s)?.status),
        () => `Converting to ${format}…`,
      );
      const entry = entryOf(snap);
      if (entry?.status !== "completed")
        throw new Error(`Converting to ${format} failed: ${entry?.traceback ?? "unknown error"}.`);
    }
    onProgress("Preparing the download…");
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
  const [onlyAnnotated, setOnlyAnnotated] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState("");
  const [error, setError] = useState<string | null>(null);
  const format = chosen ?? formats.data?.find((f) => !f.disabled)?.name ?? null;

  const run = async () => {
    if (!format) return;
    setBusy(true);
    setError(null);
    try {
      const view = onlyView && viewId !== null && filteredCount !== null ? viewId : null;
      if (view !== null) await flush();
      const name = await exportTasks(projectId, { viewId: view, onlyAnnotated }, format, setProgress);
      toast.ok(`Downloaded ${name}.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      error={error}
      title="Export"
      wide
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={run} disabled={!format || busy}>
            {busy ? "Exporting…" : error ? "Retry" : "Download"}
          </button>
        </>
      }
    >
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 6 }}>
        <legend className="sr-only">Tasks</legend>
        <label className="row">
          <input
            type="checkbox"
            checked={onlyView && filteredCount !== null}
            disabled={filteredCount === null}
            onChange={(e) => setOnlyView(e.target.checked)}
          />
          {filteredCount === null
            ? "Only tasks in this view (the tab has no filters: all tasks are exported)"
            : `Only tasks in this view (${plural(filteredCount, "task")})`}
        </label>
        <label className="row">
          <input type="checkbox" checked={onlyAnnotated} onChange={(e) => setOnlyAnnotated(e.target.checked)} />
          Only annotated tasks <span className="hint">(with at least one annotation; a skipped task counts)</span>
        </label>
      </fieldset>
      {formats.isPending && <p className="muted">Loading formats…</p>}
      {formats.isError && <p className="alert error">Could not load the formats: {errorMessage(formats.error)}</p>}
      {formats.data && (
        <fieldset className="formats" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sr-only">Format</legend>
          {/* The formats this config can produce first; the rest stay listed, greyed, as Label Studio shows them. */}
          {[...formats.data]
            .sort((a, b) => Number(a.disabled) - Number(b.disabled))
            .map((f) => (
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
      {busy && progress && (
        <p className="muted" role="status">
          {progress}
        </p>
      )}
    </Dialog>
  );
}
