/** Attach a folder on the server to the project and import it at once: one task per file, served in place. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { keys } from "../../api/endpoints";
import type { Storage } from "../../api/integrations";
import { Dialog } from "../Dialog";
import {
  attachFolder,
  IMAGE_FILTER,
  rootHint,
  rootPlaceholder,
  storageError,
  syncProgressText,
  syncToEnd,
  useLocalRoot,
} from "./folderSync";

interface Props {
  projectId: number;
  onClose: () => void;
  onBack: () => void;
}

type Phase = { kind: "edit" } | { kind: "busy"; text: string } | { kind: "done"; storage: Storage; again: boolean };

function summary(s: Storage, again: boolean): string {
  const n = s.last_sync_count ?? 0;
  if (n > 0) return `Imported ${n.toLocaleString()} task${n === 1 ? "" : "s"} from ${s.path}.`;
  if (again) return `${s.path} was already attached and has no new files: nothing to import.`;
  return `No file in ${s.path} matches the filter${s.regex_filter ? ` “${s.regex_filter}”` : ""}: no tasks were imported.`;
}

export function FolderImportDialog({ projectId, onClose, onBack }: Props) {
  const client = useQueryClient();
  const [path, setPath] = useState("");
  const [regex, setRegex] = useState(IMAGE_FILTER);
  const root = useLocalRoot();
  const [phase, setPhase] = useState<Phase>({ kind: "edit" });
  const [error, setError] = useState<string | null>(null);
  // Closing the dialog stops the polling, not the sync: the server finishes it either way.
  const closed = useRef(false);
  useEffect(() => {
    closed.current = false;
    return () => {
      closed.current = true;
    };
  }, []);

  const start = async () => {
    setError(null);
    setPhase({ kind: "busy", text: "Checking the folder…" });
    let attached = false;
    try {
      const { storage, again } = await attachFolder(projectId, path, regex);
      attached = true;
      const done = await syncToEnd(
        storage,
        (s) => setPhase({ kind: "busy", text: syncProgressText(s) }),
        () => closed.current,
      );
      setPhase({ kind: "done", storage: done, again });
    } catch (err) {
      setPhase({ kind: "edit" });
      setError(attached ? `The folder is attached, but importing it failed: ${storageError(err)}` : storageError(err));
    } finally {
      for (const key of [keys.tasks(projectId), keys.project(projectId), keys.projects, ["storages", projectId]])
        client.invalidateQueries({ queryKey: key });
    }
  };

  const footer =
    phase.kind === "done" ? (
      <button className="btn primary" onClick={onClose} autoFocus>
        Done
      </button>
    ) : (
      <>
        <button className="btn ghost" onClick={onBack} disabled={phase.kind === "busy"}>
          Back to files and URLs
        </button>
        <span className="spacer" />
        <button className="btn" onClick={onClose}>
          {phase.kind === "busy" ? "Close (the import goes on)" : "Cancel"}
        </button>
        <button className="btn primary" onClick={start} disabled={!path.trim() || phase.kind === "busy"}>
          Attach and import
        </button>
      </>
    );

  return (
    <Dialog error={error} title="Attach a folder on this server" onClose={onClose} footer={footer} wide>
      {phase.kind === "done" ? (
        <>
          <p className="alert ok" role="status">
            {summary(phase.storage, phase.again)}
          </p>
          <p className="hint">
            The files stay where they are and are served from there. Add files to the folder later and sync it again in
            Settings → Cloud and local storage: only new files become tasks.
          </p>
        </>
      ) : (
        <>
          <p className="hint">
            Each file becomes a task that points at it: nothing is uploaded or copied, and no file server is needed.
          </p>
          <label className="field">
            Folder path on the server
            <input
              value={path}
              placeholder={rootPlaceholder(root)}
              onChange={(e) => setPath(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && path.trim() && phase.kind === "edit") void start();
              }}
              disabled={phase.kind === "busy"}
              autoFocus
            />
            <span className="hint">{rootHint(root)}</span>
          </label>
          <label className="field">
            File filter (regular expression, optional)
            <input
              value={regex}
              onChange={(e) => setRegex(e.target.value)}
              disabled={phase.kind === "busy"}
              spellCheck={false}
            />
            <span className="hint">
              Only files whose path inside the folder matches become tasks (subfolders are included). The default takes
              images; leave it empty for every file.
            </span>
          </label>
          {phase.kind === "busy" && (
            <p className="muted" role="status" aria-live="polite">
              {phase.text}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
