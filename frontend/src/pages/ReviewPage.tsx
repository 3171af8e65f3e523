/**
 * /projects/:id/review: the review stream. One submitted annotation at a time, in the editor so the reviewer
 * can fix it (the config's label and choice keys, Ctrl+Z to undo); Accept (Ctrl+Enter; with changes, the fix is
 * accepted in its place), Reject with a comment (Ctrl+Backspace, then Ctrl+Enter to send) or pass it by for now
 * (Ctrl+Space).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Link, useParams } from "react-router-dom";
import { api, ApiError, as, errorMessage } from "../api/client";
import { getProject, keys } from "../api/endpoints";
import { parseConfig, type ParsedConfig } from "../editor/config/parse";
import { encodeBrush } from "../editor/brush/masks";
import { applyLabelKey } from "../editor/components/controls";
import { EditorContext, newEditorEnv } from "../editor/components/EditorContext";
import { EditorScreen } from "../editor/components/EditorScreen";
import { defaultTool } from "../editor/components/imageActions";
import { comboOf, isTyping } from "../editor/hotkeys";
import { fromResults, toResults } from "../editor/store/doc";
import { EditorStore } from "../editor/store/store";
import type { LabelTask } from "../editor/stream/api";
import { useToast } from "../components/Toasts";

type ReviewItem = LabelTask & { review: { annotation: number; waiting: number } };

const nextToReview = (pid: number, exclude: number[]) =>
  as<ReviewItem>(
    api("get", "/api/projects/{project_id}/review/next", {
      path: { project_id: pid },
      query: { exclude: exclude.join(",") },
    }),
  );
const sendReview = (body: { annotation: number; accepted: boolean; comment?: string; result?: unknown[] }) =>
  as<{ id: number }>(api("post", "/api/annotation-reviews", { body }));

export function ReviewPage() {
  const projectId = Number(useParams().id);
  const client = useQueryClient();
  const project = useQuery({ queryKey: keys.project(projectId), queryFn: () => getProject(projectId) });
  const config = useMemo(() => (project.data ? parseConfig(project.data.label_config) : null), [project.data]);
  const [passed, setPassed] = useState<number[]>([]);
  const item = useQuery({
    queryKey: ["review", projectId, passed],
    queryFn: () => nextToReview(projectId, passed),
    retry: false,
  });
  const done = item.error instanceof ApiError && item.error.status === 404;
  const next = useCallback(
    (pass?: number) => {
      if (pass !== undefined) setPassed((p) => [...p, pass]);
      else void item.refetch();
      void client.invalidateQueries({ queryKey: keys.tasks(projectId) });
    },
    [item, client, projectId],
  );

  let body;
  if (project.isError || (item.isError && !done))
    body = <p className="alert error">Could not load: {errorMessage(project.error ?? item.error)}</p>;
  else if (done)
    body = (
      <div className="empty-state" data-testid="review-done">
        <h2>Nothing left to review</h2>
        <p>Every submitted annotation has a review{passed.length ? ", but the ones you passed by" : ""}.</p>
        <Link className="btn primary" to={`/projects/${projectId}`}>
          Back to the data manager
        </Link>
      </div>
    );
  else if (!config || !item.data) body = <p className="hint">Loading…</p>;
  else
    body = (
      <ReviewEditor
        key={item.data.review.annotation}
        config={config}
        item={item.data}
        onDone={() => next()}
        onPass={() => next(item.data!.review.annotation)}
      />
    );
  return (
    <div className="labeling">
      <div className="labeling-head">
        <p className="crumbs">
          <Link to="/projects">Projects</Link> / <Link to={`/projects/${projectId}`}>{project.data?.title ?? "…"}</Link>{" "}
          / Review
        </p>
        <span className="spacer" />
        {item.data && (
          <span className="tasks-left" data-testid="reviews-left">
            {item.data.review.waiting.toLocaleString()} waiting
          </span>
        )}
      </div>
      {body}
    </div>
  );
}

function ReviewEditor({
  config,
  item,
  onDone,
  onPass,
}: {
  config: ParsedConfig;
  item: ReviewItem;
  onDone: () => void;
  onPass: () => void;
}) {
  const toast = useToast();
  const target = item.annotations.find((a) => a.id === item.review.annotation)!;
  const [store] = useState(
    () => new EditorStore(fromResults(target.result ?? [], config), { tool: defaultTool(config) }),
  );
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [hint, setHint] = useState<string | null>(null);
  const env = useMemo(() => newEditorEnv(store, config, item.data, setHint), [store, config, item.data]);
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const commentBox = useRef<HTMLTextAreaElement>(null);
  // The task view expands authors ({id, email, ...}); the id alone when it does not.
  const author = target.completed_by as { id: number; email?: string } | number | null;
  const byWhom = typeof author === "object" && author ? (author.email ?? `user ${author.id}`) : `user ${author}`;

  const send = useCallback(
    async (accepted: boolean) => {
      if (busy) return;
      if (!accepted && !comment.trim()) {
        setHint("Say what to fix: the annotator reads this comment.");
        commentBox.current?.focus();
        return;
      }
      setBusy(true);
      try {
        const fixed = accepted && state.revision > 0;
        await sendReview({
          annotation: target.id,
          accepted,
          ...(accepted ? {} : { comment: comment.trim() }),
          ...(fixed ? { result: toResults(store.state.doc, encodeBrush) } : {}),
        });
        toast.ok(accepted ? (fixed ? "Fixed and accepted." : "Accepted.") : "Rejected: sent back to its author.");
        onDone();
      } catch (err) {
        setBusy(false);
        setHint(errorMessage(err));
      }
    },
    [busy, comment, state.revision, target.id, store, toast, onDone],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === "Enter") {
        e.preventDefault();
        void send(!rejecting);
      } else if (mod && e.key === "Backspace") {
        e.preventDefault();
        setRejecting(true);
        window.setTimeout(() => commentBox.current?.focus());
      } else if (mod && e.key === " ") {
        e.preventDefault();
        onPass();
      } else if (e.key === "Escape" && rejecting) {
        setRejecting(false);
      } else if (mod && e.key.toLowerCase() === "z" && !isTyping(e.target)) {
        e.preventDefault();
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (!mod && !isTyping(e.target) && applyLabelKey(store, config, comboOf(e))) {
        e.preventDefault(); // the config's label and choice keys fix the annotation as in the labeling stream
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [send, rejecting, onPass, store, config]);

  return (
    <EditorContext.Provider value={env}>
      <div className="editor-bar" role="toolbar" aria-label="Review actions">
        <span data-testid="task-id">Task #{item.id}</span>
        <span className="muted" data-testid="review-author">
          Annotation #{target.id} by {byWhom}
          {state.revision > 0 && " · changed: accepting keeps your fix"}
        </span>
        <span className="spacer" />
        {hint && (
          <span className="editor-hint" role="status">
            {hint}
          </span>
        )}
        <button type="button" className="btn" onClick={onPass} title="Pass it by for now (Ctrl+Space)">
          Skip
        </button>
        <button
          type="button"
          className="btn danger"
          onClick={() => {
            setRejecting(true);
            window.setTimeout(() => commentBox.current?.focus());
          }}
          title="Reject with a comment (Ctrl+Backspace)"
        >
          Reject…
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => void send(true)}
          title="Accept (Ctrl+Enter)"
        >
          {state.revision > 0 ? "Fix and accept" : "Accept"}
        </button>
      </div>
      {rejecting && (
        <div className="panel" style={{ margin: "8px 0" }}>
          <label className="field">
            What should the annotator fix?
            <textarea
              ref={commentBox}
              autoFocus
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Ctrl+Enter sends the rejection; Escape cancels."
            />
          </label>
          <button type="button" className="btn danger" disabled={busy} onClick={() => void send(false)}>
            Reject and send back
          </button>
        </div>
      )}
      <EditorScreen config={config} />
    </EditorContext.Provider>
  );
}
