/** Settings → Machine learning: connect model servers (Label Studio's protocol), test them, train them. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/client";
import { addBackend, listBackends, removeBackend, testBackend, trainBackend } from "../api/integrations";
import { ActionMessage } from "./ActionMessage";
import { useAction } from "./useAction";

export function MLBackendsSection({ projectId }: { projectId: number }) {
  const client = useQueryClient();
  const key = ["ml-backends", projectId];
  const backends = useQuery({ queryKey: key, queryFn: () => listBackends(projectId) });
  const [url, setUrl] = useState("http://localhost:9090");
  const [title, setTitle] = useState("");
  const { busy, message, run: runAction } = useAction(() => client.invalidateQueries({ queryKey: key }));
  const run = (what: () => Promise<unknown>, done: string) => runAction(what, () => done);

  return (
    <section className="panel" aria-labelledby="ml-heading">
      <h2 id="ml-heading">Machine learning</h2>
      <p className="hint" style={{ marginBottom: 12 }}>
        Connect a model server written for Label Studio (label-studio-ml, or <code>labelhive ml start</code>). It
        pre-labels tasks ("Retrieve predictions" in the data manager) and learns from new annotations.
      </p>
      {backends.isError && <p className="alert error">Could not load ML backends: {errorMessage(backends.error)}</p>}
      {backends.data && backends.data.length > 0 && (
        <table className="simple-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>State</th>
              <th>Model version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {backends.data.map((b) => (
              <tr key={b.id}>
                <td>{b.title}</td>
                <td>
                  <code>{b.url}</code>
                </td>
                <td title={b.error_message ?? undefined}>{b.readable_state}</td>
                <td>{b.model_version || "—"}</td>
                <td className="actions-cell">
                  <div className="row" style={{ gap: 6, justifyContent: "flex-end" }}>
                    <button
                      className="btn"
                      disabled={busy}
                      onClick={() => run(() => testBackend(b.id), "The backend answered a test prediction.")}
                    >
                      Test
                    </button>
                    <button
                      className="btn"
                      disabled={busy}
                      onClick={() => run(() => trainBackend(b.id), "Training started.")}
                    >
                      Train
                    </button>
                    <button
                      className="btn danger"
                      disabled={busy}
                      onClick={() => run(() => removeBackend(b.id), "Disconnected.")}
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
        style={{ marginTop: 12, gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}
        onSubmit={(e) => {
          e.preventDefault();
          run(() => addBackend(projectId, url.trim(), title.trim()), "Connected.");
        }}
      >
        <label className="field" style={{ flex: 2, minWidth: 260 }}>
          <span>Backend URL</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} required aria-label="ML backend URL" />
        </label>
        <label className="field" style={{ flex: 1, minWidth: 160 }}>
          <span>Name</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="default" />
        </label>
        <button className="btn primary" type="submit" disabled={busy || !url.trim()}>
          {busy ? "Connecting…" : "Connect model"}
        </button>
      </form>
      <ActionMessage message={message} />
    </section>
  );
}
