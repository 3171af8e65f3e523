/** Import: drop or pick any number of files, attach a folder on the server, give a URL, or paste JSON/CSV. */
import { useRef, useState } from "react";
import { importUrl } from "../../api/endpoints";
import type { ImportResult } from "../../api/types";
import {
  formatBytes,
  IMPORT_EXTENSIONS,
  importSummary,
  jsonProblem,
  pastedKind,
  splitByType,
} from "../../lib/importInput";
import { Dialog } from "../Dialog";
import { DatasetImportDialog } from "./DatasetImportDialog";
import { FolderImportDialog } from "./FolderImportDialog";
import { useImportUpload } from "./useImportUpload";

interface Props {
  projectId: number;
  requiredKeys: string[];
  onClose: () => void;
}

const SHOWN_FILES = 8;

export function ImportDialog({ projectId, requiredKeys, onClose }: Props) {
  const [files, setFiles] = useState<File[]>([]);
  const [url, setUrl] = useState("");
  const [pasted, setPasted] = useState("");
  const [over, setOver] = useState(false);
  const { phase, error, setError, send, cancel } = useImportUpload<ImportResult>(projectId);
  const picker = useRef<HTMLInputElement>(null);
  const [other, setOther] = useState<"dataset" | "folder" | null>(null);

  const addFiles = (list: FileList | null) => {
    const { accepted, rejected } = splitByType(Array.from(list ?? []));
    setFiles((old) => [...old, ...accepted]);
    setError(
      rejected.length
        ? `Not imported (unsupported type): ${rejected
            .map((f) => f.name)
            .slice(0, 5)
            .join(
              ", ",
            )}${rejected.length > 5 ? ` and ${rejected.length - 5} more` : ""}. Supported: ${IMPORT_EXTENSIONS.join(" ")}`
        : null,
    );
  };

  const kind = pastedKind(pasted);
  const nothing = files.length === 0 && !url.trim() && !kind;
  const totalBytes = files.reduce((n, f) => n + f.size, 0);

  const start = async () => {
    if (kind === "json") {
      const problem = jsonProblem(pasted);
      if (problem) return setError(problem);
    }
    let body: string | FormData;
    if (files.length === 0 && !url.trim() && kind === "json") body = pasted;
    else {
      const form = new FormData();
      for (const f of files) form.append("file", f, f.name);
      if (kind) form.append("file", new File([pasted], kind === "csv" ? "pasted.csv" : "pasted.json"));
      if (url.trim()) form.append("url", url.trim());
      body = form;
    }
    await send(importUrl(projectId), body);
  };

  const footer =
    phase.kind === "done" ? (
      <button className="btn primary" onClick={onClose} autoFocus>
        Done
      </button>
    ) : phase.kind === "upload" ? (
      <button className="btn" onClick={cancel}>
        Cancel upload
      </button>
    ) : (
      <>
        <button className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn primary" onClick={start} disabled={nothing}>
          Import
        </button>
      </>
    );

  if (other === "dataset")
    return <DatasetImportDialog projectId={projectId} onClose={onClose} onBack={() => setOther(null)} />;
  if (other === "folder")
    return <FolderImportDialog projectId={projectId} onClose={onClose} onBack={() => setOther(null)} />;

  return (
    <Dialog
      error={error}
      title="Import data"
      onClose={phase.kind === "upload" ? () => undefined : onClose}
      footer={footer}
      wide
    >
      {phase.kind === "done" ? (
        <p className="alert ok" role="status">
          {importSummary(phase.result)}.
        </p>
      ) : phase.kind === "upload" ? (
        <div className="stack" role="status" aria-live="polite">
          <p>
            {phase.fraction < 1
              ? `Uploading ${files.length ? `${files.length.toLocaleString()} file(s), ` : ""}${Math.round(phase.fraction * 100)}%…`
              : "Uploaded; the server is creating tasks…"}
          </p>
          <div
            className="bar"
            role="progressbar"
            aria-valuenow={Math.round(phase.fraction * 100)}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div style={{ width: `${Math.round(phase.fraction * 100)}%` }} />
          </div>
        </div>
      ) : (
        <>
          {requiredKeys.length > 0 && (
            <p className="alert info">
              Each task needs the data field{requiredKeys.length > 1 ? "s" : ""}{" "}
              {requiredKeys.map((k) => `“${k}”`).join(", ")} (a CSV column or a JSON key). Other fields are kept and can
              be filtered. Media files become one task each.
            </p>
          )}
          <div
            className={`dropzone${over ? " over" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(false);
              addFiles(e.dataTransfer.files);
            }}
          >
            <p>
              Drop files here (CSV, TSV, JSON, TXT, images, audio, video — as many as you like), or{" "}
              <button className="btn small" type="button" onClick={() => picker.current?.click()}>
                choose files
              </button>
            </p>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              data-testid="import-files"
              accept={IMPORT_EXTENSIONS.join(",")}
              onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = "";
              }}
            />
          </div>
          {files.length > 0 && (
            <div>
              <div className="row">
                <b>
                  {files.length.toLocaleString()} file{files.length === 1 ? "" : "s"} · {formatBytes(totalBytes)}
                </b>
                <span className="spacer" />
                <button className="btn ghost small" onClick={() => setFiles([])}>
                  Clear
                </button>
              </div>
              <ul className="file-list">
                {files.slice(0, SHOWN_FILES).map((f, i) => (
                  <li key={`${f.name}-${i}`}>{f.name}</li>
                ))}
                {files.length > SHOWN_FILES && <li>and {(files.length - SHOWN_FILES).toLocaleString()} more</li>}
              </ul>
            </div>
          )}
          <p>
            Files already on the server?{" "}
            <button className="btn small" type="button" onClick={() => setOther("folder")}>
              Attach a folder on this server
            </button>
          </p>
          <p>
            Labeled images from elsewhere?{" "}
            <button className="btn small" type="button" onClick={() => setOther("dataset")}>
              Dataset (COCO / YOLO / VOC)
            </button>
          </p>
          <label className="field">
            Or a URL of a file to import
            <input
              type="url"
              placeholder="https://example.com/tasks.json"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          <label className="field">
            Or paste JSON or CSV{" "}
            <span className="hint">
              {kind ? `Read as ${kind.toUpperCase()}` : "A JSON list of tasks, or CSV with a header row"}
            </span>
            <textarea
              className="code"
              rows={5}
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              spellCheck={false}
            />
          </label>
        </>
      )}
    </Dialog>
  );
}
