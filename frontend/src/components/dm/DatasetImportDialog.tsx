/** Import a labeled dataset (COCO, YOLO, Pascal VOC): upload it (a zip, a folder or its files) or name a folder on
 * the server. The server checks everything before it writes anything, so an error means nothing was imported. */
import { useRef, useState } from "react";
import { importDatasetUrl } from "../../api/endpoints";
import type { ImportResult } from "../../api/types";
import { formatBytes, importSummary } from "../../lib/importInput";
import { Dialog } from "../Dialog";
import { useImportUpload } from "./useImportUpload";

interface Props {
  projectId: number;
  onClose: () => void;
  onBack: () => void;
}

interface DatasetResult extends ImportResult {
  label_config_generated: boolean;
}

const FORMATS = [
  { name: "COCO", hint: "a COCO .json (and its images), or a zip of both" },
  { name: "YOLO", hint: "classes.txt or data.yaml, images/ and labels/ — as a zip or a folder" },
  { name: "VOC", hint: "Annotations/*.xml and JPEGImages/ (or images/) — as a zip or a folder" },
] as const;

export function DatasetImportDialog({ projectId, onClose, onBack }: Props) {
  const [format, setFormat] = useState<string>("COCO");
  const [as, setAs] = useState<"annotations" | "predictions">("annotations");
  const [modelVersion, setModelVersion] = useState("");
  const [onServer, setOnServer] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [path, setPath] = useState("");
  const [images, setImages] = useState("");
  const { phase, error, send, cancel } = useImportUpload<DatasetResult>(projectId);
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement | null>(null);

  const add = (list: FileList | null) => {
    const picked = Array.from(list ?? []); // now: the input is cleared right after, which empties the FileList
    setFiles((old) => [...old, ...picked]);
  };
  const nothing = onServer ? !path.trim() : files.length === 0;

  const start = async () => {
    const fields: Record<string, string> = { format, as };
    if (as === "predictions" && modelVersion.trim()) fields.model_version = modelVersion.trim();
    if (images.trim()) fields.images = images.trim();
    let body: string | FormData;
    if (onServer) body = JSON.stringify({ ...fields, path: path.trim() });
    else {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      // A picked folder keeps its layout (images/, labels/): the server pairs files by their paths.
      for (const f of files) form.append("file", f, f.webkitRelativePath || f.name);
      body = form;
    }
    await send(importDatasetUrl(projectId), body, onServer ? 1 : 0);
  };

  const footer =
    phase.kind === "done" ? (
      <button className="btn primary" onClick={onClose} autoFocus>
        Done
      </button>
    ) : phase.kind === "upload" ? (
      <button className="btn" onClick={cancel}>
        Cancel
      </button>
    ) : (
      <>
        <button className="btn ghost" onClick={onBack}>
          Back to files and URLs
        </button>
        <span className="spacer" />
        <button className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn primary" onClick={start} disabled={nothing}>
          Import dataset
        </button>
      </>
    );

  return (
    <Dialog
      error={error}
      title="Import a dataset (COCO / YOLO / VOC)"
      onClose={phase.kind === "upload" ? () => undefined : onClose}
      footer={footer}
      wide
    >
      {phase.kind === "done" ? (
        <p className="alert ok" role="status">
          {importSummary(phase.result)}
          {phase.result.label_config_generated ? "; the labeling config was made from the dataset's classes" : ""}.
        </p>
      ) : phase.kind === "upload" ? (
        <div className="stack" role="status" aria-live="polite">
          <p>
            {phase.fraction < 1
              ? `Uploading ${files.length.toLocaleString()} file(s), ${Math.round(phase.fraction * 100)}%…`
              : "The server is reading the dataset and creating tasks…"}
          </p>
          <div className="bar" role="progressbar" aria-valuenow={Math.round(phase.fraction * 100)}>
            <div style={{ width: `${Math.round(phase.fraction * 100)}%` }} />
          </div>
        </div>
      ) : (
        <>
          <div className="row">
            <label className="field">
              Format
              <select value={format} onChange={(e) => setFormat(e.target.value)} aria-label="Dataset format">
                {FORMATS.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name === "VOC" ? "Pascal VOC" : f.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Regions become
              <select value={as} onChange={(e) => setAs(e.target.value as typeof as)} aria-label="Import regions as">
                <option value="annotations">annotations</option>
                <option value="predictions">predictions</option>
              </select>
            </label>
            {as === "predictions" && (
              <label className="field">
                Model version
                <input
                  value={modelVersion}
                  placeholder={`${format} import`}
                  onChange={(e) => setModelVersion(e.target.value)}
                />
              </label>
            )}
          </div>
          <p className="hint">{FORMATS.find((f) => f.name === format)?.hint}</p>
          <label className="row">
            <input type="checkbox" checked={onServer} onChange={(e) => setOnServer(e.target.checked)} />
            The dataset is in a folder on the server (its images are served from there)
          </label>
          {onServer ? (
            <label className="field">
              Folder (or COCO file) on the server
              <input value={path} placeholder="/home/me/data/pets" onChange={(e) => setPath(e.target.value)} />
            </label>
          ) : (
            <div className="dropzone">
              <p>
                <button className="btn small" type="button" onClick={() => filePicker.current?.click()}>
                  Choose a zip or files
                </button>{" "}
                <button className="btn small" type="button" onClick={() => folderPicker.current?.click()}>
                  Choose a folder
                </button>
              </p>
              <input
                ref={filePicker}
                type="file"
                multiple
                hidden
                data-testid="dataset-files"
                onChange={(e) => {
                  add(e.target.files);
                  e.target.value = "";
                }}
              />
              <input
                ref={(el) => {
                  folderPicker.current = el;
                  el?.setAttribute("webkitdirectory", "");
                }}
                type="file"
                hidden
                onChange={(e) => {
                  add(e.target.files);
                  e.target.value = "";
                }}
              />
              {files.length > 0 && (
                <div className="row">
                  <b>
                    {files.length.toLocaleString()} file{files.length === 1 ? "" : "s"} ·{" "}
                    {formatBytes(files.reduce((n, f) => n + f.size, 0))}
                  </b>
                  <span className="spacer" />
                  <button className="btn ghost small" onClick={() => setFiles([])}>
                    Clear
                  </button>
                </div>
              )}
            </div>
          )}
          <label className="field">
            Images, if the dataset does not include them <span className="hint">a URL prefix or a server folder</span>
            <input
              value={images}
              placeholder="https://cdn.example.com/pets/"
              onChange={(e) => setImages(e.target.value)}
            />
          </label>
        </>
      )}
    </Dialog>
  );
}
