/** The upload half of an import dialog: progress, cancel, the result, and the caches to refresh after it. */
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { errorMessage } from "../../api/client";
import { keys } from "../../api/endpoints";
import { upload } from "../../api/transfer";

export type ImportPhase<R> = { kind: "edit" } | { kind: "upload"; fraction: number } | { kind: "done"; result: R };

export function useImportUpload<R>(projectId: number) {
  const client = useQueryClient();
  const [phase, setPhase] = useState<ImportPhase<R>>({ kind: "edit" });
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  /** Sends `body` to `url`; `started` is the progress to show at once (1 when nothing is uploaded). */
  const send = async (url: string, body: string | FormData, started = 0) => {
    setError(null);
    setPhase({ kind: "upload", fraction: started });
    abort.current = new AbortController();
    try {
      const result = await upload<R>(
        url,
        body,
        (fraction) => setPhase({ kind: "upload", fraction }),
        abort.current.signal,
      );
      setPhase({ kind: "done", result });
      for (const key of [keys.tasks(projectId), keys.project(projectId), keys.projects, keys.modelVersions(projectId)])
        client.invalidateQueries({ queryKey: key });
    } catch (err) {
      setPhase({ kind: "edit" });
      setError(
        err instanceof DOMException && err.name === "AbortError"
          ? "Import cancelled; nothing was imported."
          : errorMessage(err),
      );
    }
  };

  return { phase, error, setError, send, cancel: () => abort.current?.abort() };
}
