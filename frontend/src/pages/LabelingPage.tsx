/**
 * /projects/:id/label[/:taskId]?view=V: the labeling stream. It follows the data manager's tab (view) —
 * its filters and order — shows one task at a time, prefetches the next, and saves in the background.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { Link, useLocation, useNavigate, useNavigationType, useParams, useSearchParams } from "react-router-dom";
import { errorMessage } from "../api/client";
import { getProject, keys, whoami } from "../api/endpoints";
import type { Project } from "../api/types";
import { ConfigError, parseConfig, resolveValue, type ParsedConfig } from "../editor/config/parse";
import { SafeHtml } from "../editor/components/SafeHtml";
import { TaskEditor } from "../editor/components/TaskEditor";
import type { LabelTask, StreamQuery } from "../editor/stream/api";
import { SaveQueue } from "../editor/stream/saveQueue";
import { LabelingStream } from "../editor/stream/stream";
import { getTask, nextTask, remainingTasks } from "../editor/stream/api";

/** Image URLs a task will show, for preloading. */
export function imageUrls(config: ParsedConfig, task: LabelTask): string[] {
  const out: string[] = [];
  for (const o of config.objects) {
    if (o.tag !== "Image") continue;
    const v = resolveValue(o.attrs.value ?? o.attrs.valuelist, task.data);
    for (const u of Array.isArray(v) ? v.slice(0, 1) : [v]) if (typeof u === "string" && u) out.push(u);
  }
  return out;
}

export function LabelingPage() {
  const { id, taskId } = useParams();
  const [params] = useSearchParams();
  const view = params.get("view") ?? params.get("tab");
  const query = params.get("query");
  // A fresh stream per project and view.
  return (
    <Labeling
      key={`${id}:${view}:${query}`}
      projectId={Number(id)}
      taskId={taskId ? Number(taskId) : null}
      view={view}
      query={query}
    />
  );
}

function Labeling({
  projectId,
  taskId,
  view,
  query,
}: {
  projectId: number;
  taskId: number | null;
  view: string | null;
  query: string | null;
}) {
  const navigate = useNavigate();
  // URLs the stream itself set (below) carry this mark: they follow the task shown and must not reopen it;
  // unless the browser's Back or Forward brought one back (a POP), which asks for that task.
  const popped = useNavigationType() === "POP";
  const fromStream = (useLocation().state as { fromStream?: boolean } | null)?.fromStream === true && !popped;
  const client = useQueryClient();
  const project = useQuery({ queryKey: keys.project(projectId), queryFn: () => getProject(projectId) });
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami, staleTime: Infinity });

  const parsed = useMemo(() => {
    if (!project.data) return null;
    try {
      return { config: parseConfig(project.data.label_config), error: null };
    } catch (err) {
      return { config: null, error: err instanceof ConfigError ? err.message : String(err) };
    }
  }, [project.data]);
  const config = parsed?.config ?? null;

  const preloaded = useRef(new Map<string, HTMLImageElement>());
  const configRef = useRef<ParsedConfig | null>(null);
  configRef.current = config;
  const streamQuery = useMemo<StreamQuery>(
    () => ({ view: view ? Number(view) : undefined, query: query ?? undefined }),
    [view, query],
  );
  const stream = useMemo(
    () =>
      new LabelingStream(projectId, streamQuery, {
        next: nextTask,
        get: getTask,
        preload: (task) => {
          const cfg = configRef.current;
          if (!cfg) return;
          for (const url of imageUrls(cfg, task)) {
            if (preloaded.current.has(url)) continue;
            const img = new Image();
            img.src = url;
            img.decode().catch(() => undefined);
            preloaded.current.set(url, img);
            // Keep the last few decoded, so the browser does not drop them before they are shown.
            if (preloaded.current.size > 8) preloaded.current.delete(preloaded.current.keys().next().value!);
          }
        },
      }),
    [projectId, streamQuery],
  );
  const queue = useMemo(() => new SaveQueue(`labelhive.unsaved.${projectId}`), [projectId]);
  // Under keys.tasks, so every landed save (queue.onSaved below) counts again.
  const left = useQuery({
    queryKey: [...keys.tasks(projectId), "remaining", view, query],
    queryFn: () => remainingTasks(projectId, streamQuery),
  });
  const s = useSyncExternalStore(
    useCallback((fn) => stream.subscribe(fn), [stream]),
    () => stream.state,
  );
  const jobs = useSyncExternalStore(
    useCallback((fn) => queue.subscribe(fn), [queue]),
    () => queue.jobs,
  );

  useEffect(() => {
    queue.onSaved = () => void client.invalidateQueries({ queryKey: keys.tasks(projectId) });
  }, [queue, client, projectId]);

  // Open the task in the URL (or the first of the stream) once the config is known.
  useEffect(() => {
    if (!config) return;
    // A URL the stream set can arrive after the stream moved on (say, "Previous" right after a submit):
    // reopening it would undo that move. (After a reload the stream is new and does open it.)
    if (fromStream && stream.state.task) return;
    if (taskId !== null && stream.state.task?.id === taskId) return;
    if (taskId === null && stream.state.task) return;
    void (async () => {
      if (taskId !== null) await queue.idle(taskId);
      // Back to the task shown before: the stream steps back, so its own "previous" stays right.
      const { history } = stream.state;
      if (taskId !== null && history[history.length - 1] === taskId) await stream.back();
      else await stream.open(taskId ?? undefined);
    })();
  }, [config, taskId, stream, queue, fromStream]);

  // Keep the URL on the task shown, so a reload comes back to it. Each task the stream moves on to is a
  // history entry of its own, so the browser's Back goes to the task before (as Previous does); the first
  // task and steps back replace the entry instead.
  const search = view ? `?view=${view}` : query ? `?query=${encodeURIComponent(query)}` : "";
  const synced = useRef<number | null>(null);
  useEffect(() => {
    const id = s.task?.id ?? null;
    // Only when the stream moved: a URL that moved on its own (Back, Forward) is the open effect's to follow.
    if (id === synced.current || id === null) return;
    // Forward: the task shown before is now the stream's "previous" (a step back pops it instead).
    const forward = synced.current !== null && s.history[s.history.length - 1] === synced.current;
    synced.current = id;
    if (id !== taskId)
      navigate(`/projects/${projectId}/label/${id}${search}`, {
        replace: taskId === null || !forward,
        state: { fromStream: true },
      });
  }, [s.task, s.history, taskId, navigate, projectId, search]);

  useEffect(() => {
    if (project.data) document.title = `Label · ${project.data.title} · LabelHive`;
  }, [project.data]);

  const onNext = useCallback((from: number) => void stream.advance(from), [stream]);
  const previous = s.history.length ? s.history[s.history.length - 1] : null;
  const onPrevious = useCallback(() => {
    if (previous === null) return;
    void (async () => {
      await queue.idle(previous);
      await stream.back();
    })();
  }, [previous, queue, stream]);

  // The project's labeling settings; none until it loads.
  const settings: Partial<Project> = project.data ?? {};
  const backTo = `/projects/${projectId}${view ? `?tab=${view}` : ""}`;
  const failed = jobs.filter((j) => j.state === "failed");
  const saving = jobs.filter((j) => j.state !== "failed" && j.job.kind !== "draft").length;

  let body;
  if (project.isError)
    body = (
      <p className="alert error">
        Could not open project {projectId}: {errorMessage(project.error)}
      </p>
    );
  else if (parsed?.error)
    body = (
      <p className="alert error" role="alert">
        {parsed.error} Fix it in the project settings.
      </p>
    );
  else if (!config || !me.data || (s.status === "loading" && !s.task)) body = <p className="hint">Loading…</p>;
  else if (s.status === "error")
    body = (
      <p className="alert error" role="alert">
        Could not load the task: {s.error}{" "}
        <button className="btn small" onClick={() => void stream.open(taskId ?? undefined)}>
          Retry
        </button>
      </p>
    );
  else if (s.status === "done")
    body = (
      <div className="empty-state" data-testid="stream-done">
        <h2>All done</h2>
        <p>No more tasks to label in this view.</p>
        <Link className="btn primary" to={backTo}>
          Back to the data manager
        </Link>
      </div>
    );
  else if (s.task)
    body = (
      <TaskEditor
        key={s.task.id}
        config={config}
        task={s.task}
        userId={me.data.id}
        showSkip={settings.show_skip_button !== false}
        allowEmpty={settings.enable_empty_annotation !== false}
        prefill={{ predictions: settings.show_collab_predictions !== false, modelVersion: settings.model_version }}
        queue={queue}
        onNext={onNext}
        onPrevious={previous !== null ? onPrevious : null}
      />
    );

  return (
    <div className="labeling">
      <div className="labeling-head">
        <p className="crumbs">
          <Link to="/projects">Projects</Link> / <Link to={backTo}>{project.data?.title ?? "…"}</Link> / Labeling
        </p>
        <span className="spacer" />
        {left.data && s.status !== "done" && (
          <span className="tasks-left" data-testid="tasks-left" title="Tasks in this view still to label">
            {left.data.remaining.toLocaleString()}
            {left.data.more ? "+" : ""} left
          </span>
        )}
        <span className="save-state" aria-live="polite" data-testid="save-state">
          {saving > 0 ? `Saving ${saving}…` : failed.length ? "" : "All changes saved"}
        </span>
        {settings.expert_instruction && (
          // Open on arrival when the project says to show them before labeling.
          <details className="instructions" open={settings.show_instruction === true || undefined}>
            <summary>Instructions</summary>
            {/* HTML, as Label Studio shows them */}
            <SafeHtml className="instructions-body" html={settings.expert_instruction} />
          </details>
        )}
      </div>
      {failed.length > 0 && (
        <div className="alert error save-failed" role="alert" data-testid="save-failed">
          <span>
            {failed.length === 1 ? "A save failed" : `${failed.length} saves failed`} (task{" "}
            {[...new Set(failed.map((j) => `#${j.job.taskId}`))].join(", ")}): {failed[0].error?.replace(/\.$/, "")}.
            Your work is kept in this browser.
          </span>
          <button className="btn small" onClick={() => queue.retry()}>
            Retry
          </button>
          <button
            className="btn small ghost"
            onClick={() => window.confirm("Discard the unsaved work?") && failed.forEach((j) => queue.discard(j.seq))}
          >
            Discard
          </button>
        </div>
      )}
      {body}
    </div>
  );
}
