/** Settings → Background jobs: the project's recent conversions, webhook deliveries, predictions and writes to
 * export storage, with how each ended; a failed one can be run again. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "../api/client";
import { listJobs, retryJob, type Job } from "../api/integrations";
import { ActionMessage } from "./ActionMessage";
import { useAction } from "./useAction";

const KINDS: Record<string, string> = {
  convert: "Export conversion",
  webhook: "Webhook delivery",
  retrieve_tasks_predictions: "Predictions",
  storage_export: "Write to target storage",
};

const running = (j: Job) => j.status === "queued" || j.status === "running";

function state(j: Job): string {
  if (j.status === "running" && j.total) return `running · ${j.done} of ${j.total}`;
  if (j.status === "queued" && j.attempts > 1) return `queued · attempt ${j.attempts}`;
  return j.status;
}

export function JobsSection({ projectId }: { projectId: number }) {
  const client = useQueryClient();
  const key = ["jobs", projectId];
  const jobs = useQuery({
    queryKey: key,
    queryFn: () => listJobs(projectId),
    refetchInterval: (q) => (q.state.data?.some(running) ? 1000 : false),
  });
  const { busy, message, run } = useAction(() => client.invalidateQueries({ queryKey: key }));
  return (
    <section className="panel" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Background jobs</h2>
      <p className="muted">
        Work the server does after a request has answered: the newest 100. A job whose server process stopped is taken
        over by another process, up to three attempts.
      </p>
      {jobs.isPending && <p className="muted">Loading…</p>}
      {jobs.isError && <p className="alert error">Could not load jobs: {errorMessage(jobs.error)}</p>}
      {jobs.data && jobs.data.length === 0 && <p className="muted">No background jobs yet.</p>}
      {jobs.data && jobs.data.length > 0 && (
        <table className="simple-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Job</th>
              <th>Started</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((j) => (
              <tr key={j.id}>
                <td>{j.id}</td>
                <td>{KINDS[j.kind] ?? j.kind}</td>
                <td>{new Date(j.created_at).toLocaleString()}</td>
                <td aria-label={`job ${j.id} state`}>
                  {j.status === "failed" ? <span className="text-danger">Failed: {j.error}</span> : state(j)}
                </td>
                <td className="actions-cell">
                  {j.can_retry && (
                    <button
                      className="btn"
                      disabled={busy}
                      onClick={() =>
                        run(
                          () => retryJob(j.id),
                          () => `Job ${j.id} queued again.`,
                        )
                      }
                    >
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionMessage message={message} />
    </section>
  );
}
