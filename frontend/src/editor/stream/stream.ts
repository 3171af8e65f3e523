/**
 * The labeling stream: the current task, and the next one fetched (and its images preloaded) as soon as
 * the current one is shown, so "submit" shows the next task at once while the save runs in the queue.
 * Framework-free; the page subscribes.
 */
import { ApiError } from "../../api/client";
import { getTask, nextTask, type LabelTask, type StreamQuery } from "./api";

export type StreamStatus = "loading" | "ready" | "done" | "error";

export interface StreamState {
  status: StreamStatus;
  task: LabelTask | null;
  error: string | null;
  /** Tasks shown earlier in this session, newest last, for "previous". */
  history: number[];
}

/** Ids the server might not yet know as labeled (their saves may still be queued): keep them out of `next`. */
const EXCLUDE_LIMIT = 300;

export interface StreamDeps {
  next: typeof nextTask;
  get: typeof getTask;
  /** Starts loading a task's media so it shows instantly later. */
  preload: (task: LabelTask) => void;
}

export class LabelingStream {
  state: StreamState = { status: "loading", task: null, error: null, history: [] };
  private listeners = new Set<() => void>();
  private done: number[] = [];
  private prefetched: { after: number; promise: Promise<LabelTask | null> } | null = null;
  private epoch = 0;
  /** The task an advance() is moving away from, until the next one shows. */
  private leaving: number | null = null;

  constructor(
    private readonly projectId: number,
    private readonly query: StreamQuery,
    private readonly deps: StreamDeps,
  ) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<StreamState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of [...this.listeners]) fn();
  }

  private exclude(extra: number[] = []): number[] {
    return [...new Set([...this.done.slice(-EXCLUDE_LIMIT), ...extra])];
  }

  private fetchNext(extra: number[]): Promise<LabelTask | null> {
    return this.deps.next(this.projectId, this.query, this.exclude(extra)).catch((err) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
  }

  /** Open a given task, or the first task of the stream. */
  async open(taskId?: number, back = false): Promise<void> {
    const epoch = ++this.epoch;
    this.leaving = null;
    this.prefetched = null;
    this.set({ status: "loading", error: null });
    try {
      const task = taskId !== undefined ? await this.deps.get(taskId) : await this.fetchNext([]);
      if (epoch !== this.epoch) return;
      if (back) this.set({ history: this.state.history.slice(0, -1), task: null });
      this.show(task);
    } catch (err) {
      if (epoch === this.epoch) this.set({ status: "error", error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The task shown before this one. */
  async back(): Promise<void> {
    const previous = this.state.history[this.state.history.length - 1];
    if (previous !== undefined) await this.open(previous, true);
  }

  private show(task: LabelTask | null): void {
    if (!task) {
      this.set({ status: "done", task: null });
      return;
    }
    const prev = this.state.task;
    const history = prev && prev.id !== task.id ? [...this.state.history, prev.id].slice(-50) : this.state.history;
    this.set({ status: "ready", task, error: null, history });
    this.prefetch(task.id);
  }

  private prefetch(after: number): void {
    const promise = this.fetchNext([after]);
    // A failed prefetch is retried by advance(); do not leave an unhandled rejection behind.
    promise.then((t) => t && this.deps.preload(t)).catch(() => undefined);
    this.prefetched = { after, promise };
  }

  /**
   * Task `from` was submitted or skipped: show the next one (already fetched, usually). Only once per task,
   * and only while `from` is the task shown: a late second submit must not move the stream past a task
   * nobody saw.
   */
  async advance(from?: number): Promise<void> {
    const current = this.state.task;
    if (from !== undefined && (current?.id !== from || this.leaving === from)) return;
    this.leaving = current?.id ?? null;
    if (current) this.done.push(current.id);
    const epoch = ++this.epoch;
    const pre = current && this.prefetched?.after === current.id ? this.prefetched.promise : null;
    this.prefetched = null;
    try {
      let task = pre ? await pre.catch(() => undefined) : undefined;
      if (task === undefined || (task && this.done.includes(task.id))) task = await this.fetchNext([]);
      if (epoch === this.epoch) this.show(task);
    } catch (err) {
      if (epoch === this.epoch) this.set({ status: "error", error: err instanceof Error ? err.message : String(err) });
    } finally {
      if (epoch === this.epoch) this.leaving = null;
    }
  }

  /** Replace the current task's copy (after a save came back) without moving. */
  replaceTask(task: LabelTask): void {
    if (this.state.task?.id === task.id) this.set({ task });
  }

  markDone(taskId: number): void {
    this.done.push(taskId);
  }
}
