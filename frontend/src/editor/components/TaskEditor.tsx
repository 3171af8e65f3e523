/**
 * The editor for one task: loads the user's annotation, draft or the newest prediction into a store,
 * renders the config, handles the keyboard, autosaves a draft 2 s after each change, and hands submit,
 * update, skip and delete to the save queue without waiting for it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { csrfToken } from "../../api/client";
import { encodeBrush } from "../brush/masks";
import type { ParsedConfig } from "../config/parse";
import {
  actionFor,
  actionsFor,
  comboOf,
  isSpanAction,
  isTyping,
  loadKeymap,
  type Action,
  type Keymap,
} from "../hotkeys";
import { isMediaAction, runMediaAction } from "../media/keys";
import { withDefaultRankings } from "../ranker/ranking";
import { EMPTY_DOC, toResults } from "../store/doc";
import { EditorStore } from "../store/store";
import type { Annotation, AnnotationBody, LabelTask } from "../stream/api";
import { initialDoc, validate, type Prefill } from "../taskDoc";
import { LeadTimer } from "../stream/leadTime";
import type { Job, SaveQueue } from "../stream/saveQueue";
import { ConfirmEmptyDialog } from "./ConfirmEmptyDialog";
import { applyLabelKey, isChoiceKey } from "./controls";
import { EditorContext, newEditorEnv, type ImageHandle } from "./EditorContext";
import { EditorScreen } from "./EditorScreen";
import { HelpOverlay } from "./HelpOverlay";
import { defaultTool, runImageAction } from "./imageActions";
import { runSpanAction } from "./spans";
import { useSettle } from "./useSettle";

const DRAFT_DELAY_MS = 2000;

export interface TaskEditorProps {
  config: ParsedConfig;
  task: LabelTask;
  userId: number | null;
  showSkip: boolean;
  /** The project's enable_empty_annotation: false refuses a submit with no result. */
  allowEmpty?: boolean;
  /** Whether (and which) predictions pre-fill a task nobody has labeled. */
  prefill?: Prefill;
  queue: SaveQueue;
  /** After submit, update or skip of the task (its id): show the next one. */
  onNext: (taskId: number) => void;
  onPrevious: (() => void) | null;
}

export function TaskEditor({
  config,
  task,
  userId,
  showSkip,
  allowEmpty = true,
  prefill,
  queue,
  onNext,
  onPrevious,
}: TaskEditorProps) {
  // Once per task (the page keys this component by task id): later copies of the task must not reset edits.
  const [initial] = useState(() => initialDoc(config, task, userId, prefill));
  const [store] = useState(() => new EditorStore(initial.doc, { tool: defaultTool(config) }));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [annotation, setAnnotation] = useState<Annotation | null>(initial.annotation);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [hint, setHint] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [keymap, setKeymap] = useState<Keymap>(loadKeymap);
  /** A submit of a cleared prediction, captured when pressed, waiting for the user's yes. */
  const [confirmEmpty, setConfirmEmpty] = useState<Extract<Job, { kind: "submit" | "update" }> | null>(null);
  const { ready, fresh } = useSettle();
  const timer = useMemo(() => new LeadTimer(), []);
  const finished = useRef(false);
  const draftTimer = useRef<number | null>(null);
  const hintTimer = useRef<number | null>(null);

  useEffect(() => {
    if (initial.draftId !== null) queue.setDraftId(task.id, initial.draftId);
  }, [initial, queue, task.id]);

  const showHint = useCallback((text: string) => {
    setHint(text);
    if (hintTimer.current) window.clearTimeout(hintTimer.current);
    hintTimer.current = window.setTimeout(() => setHint(null), 3500);
  }, []);

  const env = useMemo(() => newEditorEnv(store, config, task.data, showHint), [store, config, task.data, showHint]);
  const envWithErrors = useMemo(() => ({ ...env, errors }), [env, errors]);

  // Lead time: only while the tab is visible.
  useEffect(() => {
    const onVis = () => timer.setVisible(!document.hidden);
    document.addEventListener("visibilitychange", onVis);
    return () => document.removeEventListener("visibilitychange", onVis);
  }, [timer]);

  const results = useCallback(() => toResults(store.state.doc, encodeBrush), [store]);
  const leadTime = useCallback(
    () => Math.round(((annotation?.lead_time ?? 0) + timer.seconds()) * 1000) / 1000,
    [annotation, timer],
  );

  // Draft autosave, 2 s after the last change; flushed when leaving the task unsaved.
  const saveDraft = useCallback(() => {
    if (draftTimer.current) window.clearTimeout(draftTimer.current);
    draftTimer.current = null;
    if (finished.current) return;
    queue.push({ kind: "draft", taskId: task.id, body: { result: results(), lead_time: leadTime() } });
  }, [queue, task.id, results, leadTime]);

  useEffect(() => {
    if (state.revision === 0) return;
    if (draftTimer.current) window.clearTimeout(draftTimer.current);
    draftTimer.current = window.setTimeout(saveDraft, DRAFT_DELAY_MS);
  }, [state.revision, saveDraft]);

  useEffect(() => {
    const onHide = () => {
      if (!draftTimer.current || finished.current) return;
      // The page is going away: send the draft now, with keepalive so it outlives the page.
      window.clearTimeout(draftTimer.current);
      draftTimer.current = null;
      void fetch(`/api/tasks/${task.id}/drafts`, {
        method: "POST",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ result: results(), lead_time: leadTime() }),
      }).catch(() => undefined);
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      if (draftTimer.current) saveDraft();
    };
  }, [task.id, results, leadTime, saveDraft]);

  // ---- actions --------------------------------------------------------------------------------------------
  // Submit and skip act once per task: `finished` stops a second one, whatever sends it, before the next
  // task replaces this editor. (Input meant for this task that reaches the next one is stopped by useSettle.)
  const finish = useCallback(
    (job: Job | null) => {
      if (finished.current) return;
      if (draftTimer.current) window.clearTimeout(draftTimer.current);
      draftTimer.current = null;
      finished.current = true;
      if (job) queue.push(job);
      onNext(task.id);
    },
    [queue, onNext, task.id],
  );

  const submit = useCallback(() => {
    if (finished.current) return;
    const found = validate(config, store.state.doc);
    setErrors(found);
    if (Object.keys(found).length) {
      showHint(Object.values(found)[0]);
      return;
    }
    // The job is made now, from what is on screen at the press, whatever happens before it is sent.
    const doc = withDefaultRankings(store.state.doc, config, task.data);
    const body: AnnotationBody = { result: toResults(doc, encodeBrush), lead_time: leadTime() };
    const job: Extract<Job, { kind: "submit" | "update" }> = annotation
      ? { kind: "update", taskId: task.id, annotationId: annotation.id, body }
      : {
          kind: "submit",
          taskId: task.id,
          body: initial.predictionId !== null ? { ...body, parent_prediction: initial.predictionId } : body,
        };
    if (!body.result.length) {
      if (!allowEmpty) {
        showHint(`This project does not take empty annotations: label something${showSkip ? ", or skip" : " first"}.`);
        return;
      }
      // A prediction the user cleared is more likely a slip than an answer: ask.
      if (initial.predictionId !== null) {
        setConfirmEmpty(job);
        return;
      }
    }
    finish(job);
  }, [config, store, leadTime, annotation, task.id, task.data, initial, allowEmpty, showSkip, finish, showHint]);

  const skip = useCallback(() => {
    if (!showSkip) return;
    finish(
      annotation
        ? null
        : { kind: "submit", taskId: task.id, body: { result: results(), lead_time: leadTime(), was_cancelled: true } },
    );
  }, [showSkip, annotation, task.id, results, leadTime, finish]);

  const remove = useCallback(() => {
    if (!annotation) return;
    if (!window.confirm("Delete your annotation of this task?")) return;
    queue.push({ kind: "delete", taskId: task.id, annotationId: annotation.id });
    setAnnotation(null);
    store.load(EMPTY_DOC);
  }, [annotation, queue, task.id, store]);

  const active = (): ImageHandle | undefined =>
    (env.activeImage.current && env.images.get(env.activeImage.current)) || env.images.values().next().value;

  const run = useCallback(
    (action: Action): boolean => {
      if (isMediaAction(action)) return runMediaAction(env.media, action);
      if (isSpanAction(action)) return runSpanAction(store, env.texts, action);
      switch (action) {
        case "submit":
          submit();
          return true;
        case "skip":
          skip();
          return showSkip;
        case "undo":
          store.undo();
          return true;
        case "redo":
          store.redo();
          return true;
        case "help":
          setHelp(true);
          return true;
        default:
          return runImageAction(store, config, active(), action);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, config, submit, skip, showSkip, env],
  );

  /** A label or choice hotkey from the config. */
  const labelKey = useCallback((combo: string) => applyLabelKey(store, config, combo), [config, store]);

  useEffect(() => {
    if (help || confirmEmpty) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat && !/^arrow/i.test(e.key)) return;
      const combo = comboOf(e);
      const typing = isTyping(e.target);
      if (typing) {
        if (e.key === "Escape") (e.target as HTMLElement).blur();
        // In a text field only Ctrl shortcuts that are not text editing apply.
        if (!e.ctrlKey && !e.metaKey) return;
        const action = actionFor(keymap, combo);
        if (action !== "submit" && action !== "skip") return;
      }
      // One key may mean several actions (arrows pan an image, step a video): the first that applies runs.
      const actions = actionsFor(keymap, combo);
      // Submit, skip and choice keys that come before the task has settled were meant for the task before.
      // (A key picking the label to draw with decides nothing, so it is not held back.)
      const decides = actions.length ? actions.some((a) => a === "submit" || a === "skip") : isChoiceKey(config, combo);
      if (decides && !fresh(e.timeStamp)) {
        if (actions.length) e.preventDefault();
        return;
      }
      if (actions.length ? actions.some(run) : labelKey(combo)) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [help, confirmEmpty, keymap, run, labelKey, fresh, config]);

  useEffect(() => {
    if (Object.keys(errors).length) setErrors(validate(config, state.doc));
    // Re-check only as the user fixes things after a failed submit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.doc]);

  return (
    <EditorContext.Provider value={envWithErrors}>
      <div className="editor-bar" role="toolbar" aria-label="Task actions">
        {onPrevious && (
          <button type="button" className="btn" onClick={onPrevious} title="Previous task" aria-label="Previous task">
            ←
          </button>
        )}
        <span className="task-id" data-testid="task-id">
          Task #{task.id}
        </span>
        {/* Until the user changes what the task opened with (undoing back to it shows the badge again). */}
        {initial.source && state.doc === initial.doc && (
          <span className="badge" data-testid="prefill-badge">
            Showing {initial.source}
          </span>
        )}
        {annotation && <span className="badge ok">Annotated</span>}
        <span className="seg-group">
          <button
            type="button"
            className="btn small seg"
            disabled={!state.canUndo}
            onClick={() => store.undo()}
            title="Undo (Ctrl+Z)"
          >
            Undo
          </button>
          <button
            type="button"
            className="btn small seg"
            disabled={!state.canRedo}
            onClick={() => store.redo()}
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
        </span>
        <span className="spacer" />
        {hint && (
          <span className="editor-hint" role="status">
            {hint}
          </span>
        )}
        <button
          type="button"
          className="btn ghost"
          onClick={() => setHelp(true)}
          title="Keyboard shortcuts (?)"
          aria-label="Keyboard shortcuts"
        >
          ?
        </button>
        {annotation && (
          <button type="button" className="btn danger" onClick={remove}>
            Delete
          </button>
        )}
        {showSkip && !annotation && (
          <button
            type="button"
            className="btn"
            aria-disabled={!ready}
            onClick={(e) => fresh(e.nativeEvent.timeStamp) && skip()}
            title="Skip (Ctrl+Space)"
          >
            Skip
          </button>
        )}
        <button
          type="button"
          className="btn primary"
          aria-disabled={!ready}
          onClick={(e) => fresh(e.nativeEvent.timeStamp) && submit()}
          title={`${annotation ? "Update" : "Submit"} (Ctrl+Enter)`}
        >
          {annotation ? "Update" : "Submit"}
        </button>
      </div>
      <EditorScreen config={config} />
      {help && <HelpOverlay keymap={keymap} onChange={setKeymap} onClose={() => setHelp(false)} />}
      {confirmEmpty && initial.source && (
        <ConfirmEmptyDialog
          source={initial.source}
          onConfirm={() => finish(confirmEmpty)}
          onClose={() => setConfirmEmpty(null)}
        />
      )}
    </EditorContext.Provider>
  );
}
