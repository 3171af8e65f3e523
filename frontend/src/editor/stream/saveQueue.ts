/**
 * Saves never block labeling: submits, updates, skips, deletes and drafts go into one ordered queue that
 * runs in the background. A job that fails after retries stays (in localStorage too, so a reload does not
 * lose it) until the user retries or discards it. Framework-free; the page subscribes to show its state.
 */
import { ApiError, errorMessage } from "../../api/client";
import type { ResultItem } from "../store/doc";
import {
  createAnnotation,
  createDraft,
  deleteAnnotation,
  deleteDraft,
  updateAnnotation,
  updateDraft,
  type Annotation,
  type AnnotationBody,
} from "./api";

export type Job =
  | { kind: "submit"; taskId: number; body: AnnotationBody }
  | { kind: "update"; taskId: number; annotationId: number; body: Partial<AnnotationBody> }
  | { kind: "delete"; taskId: number; annotationId: number }
  | { kind: "draft"; taskId: number; body: { result: ResultItem[]; lead_time: number } };

export interface QueuedJob {
  seq: number;
  job: Job;
  state: "waiting" | "running" | "failed";
  error: string | null;
}

export interface Transport {
  createAnnotation: typeof createAnnotation;
  updateAnnotation: typeof updateAnnotation;
  deleteAnnotation: typeof deleteAnnotation;
  createDraft: typeof createDraft;
  updateDraft: typeof updateDraft;
  deleteDraft: typeof deleteDraft;
}

const HTTP: Transport = { createAnnotation, updateAnnotation, deleteAnnotation, createDraft, updateDraft, deleteDraft };
const RETRY_DELAYS_MS = [500, 2000];

export class SaveQueue {
  jobs: QueuedJob[] = [];
  /** Task id -> its draft on the server, so later drafts update it and the submit deletes it. */
  private drafts = new Map<number, number>();
  private seq = 0;
  private running = false;
  private listeners = new Set<() => void>();
  /** Called with the saved annotation, e.g. to show "Update" when the user goes back to the task. */
  onSaved: (taskId: number, annotation: Annotation | null) => void = () => undefined;

  constructor(
    private readonly storageKey: string | null = null,
    private readonly transport: Transport = HTTP,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (storageKey) {
      try {
        const saved = JSON.parse(localStorage.getItem(storageKey) ?? "[]") as Job[];
        for (const job of saved)
          this.jobs.push({ seq: ++this.seq, job, state: "failed", error: "Not saved before the page closed." });
      } catch {
        // A corrupt entry is not worth blocking the editor for.
      }
    }
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    // A new array each time: subscribers (useSyncExternalStore) compare snapshots by identity.
    this.jobs = this.jobs.slice();
    if (this.storageKey) {
      const pending = this.jobs.filter((j) => j.job.kind !== "draft").map((j) => j.job);
      if (pending.length) localStorage.setItem(this.storageKey, JSON.stringify(pending));
      else localStorage.removeItem(this.storageKey);
    }
    for (const fn of [...this.listeners]) fn();
  }

  /** Jobs still to run or failed, for one task or all. */
  pending(taskId?: number): QueuedJob[] {
    return this.jobs.filter((j) => taskId === undefined || j.job.taskId === taskId);
  }

  failed(): QueuedJob[] {
    return this.jobs.filter((j) => j.state === "failed");
  }

  setDraftId(taskId: number, draftId: number): void {
    this.drafts.set(taskId, draftId);
  }

  push(job: Job): void {
    if (job.kind === "draft") {
      // Only the newest draft of a task matters: replace one that has not started yet.
      const waiting = this.jobs.find(
        (j) => j.state === "waiting" && j.job.kind === "draft" && j.job.taskId === job.taskId,
      );
      if (waiting) {
        waiting.job = job;
        this.changed();
        return;
      }
    } else {
      // A submit or skip makes waiting drafts of the task pointless.
      this.jobs = this.jobs.filter(
        (j) => !(j.state === "waiting" && j.job.kind === "draft" && j.job.taskId === job.taskId),
      );
    }
    this.jobs.push({ seq: ++this.seq, job, state: "waiting", error: null });
    this.changed();
    void this.run();
  }

  retry(): void {
    for (const j of this.jobs) if (j.state === "failed") Object.assign(j, { state: "waiting", error: null });
    this.changed();
    void this.run();
  }

  discard(seq: number): void {
    this.jobs = this.jobs.filter((j) => j.seq !== seq);
    this.changed();
  }

  /** Resolves when nothing is waiting or running (failed jobs stay). */
  async idle(taskId?: number): Promise<void> {
    while (this.pending(taskId).some((j) => j.state !== "failed")) {
      await new Promise<void>((resolve) => {
        const off = this.subscribe(() => {
          off();
          resolve();
        });
      });
    }
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.jobs.find((j) => j.state === "waiting");
        if (!next) break;
        next.state = "running";
        this.changed();
        try {
          await this.attempt(next.job);
          this.jobs = this.jobs.filter((j) => j !== next);
        } catch (err) {
          next.state = "failed";
          next.error = errorMessage(err);
        }
        this.changed();
      }
    } finally {
      this.running = false;
    }
  }

  private async attempt(job: Job): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await this.execute(job);
        return;
      } catch (err) {
        // A 4xx will answer the same again; a network error or 5xx may not.
        const final = (err instanceof ApiError && err.status < 500) || i >= RETRY_DELAYS_MS.length;
        if (final) throw err;
        await this.sleep(RETRY_DELAYS_MS[i]);
      }
    }
  }

  private async execute(job: Job): Promise<void> {
    const t = this.transport;
    switch (job.kind) {
      case "submit": {
        const draftId = this.drafts.get(job.taskId);
        const body = draftId !== undefined ? { ...job.body, draft_id: draftId } : job.body;
        const saved = await t.createAnnotation(job.taskId, body);
        this.drafts.delete(job.taskId);
        this.onSaved(job.taskId, saved);
        return;
      }
      case "update": {
        const saved = await t.updateAnnotation(job.annotationId, job.body);
        // Only a new annotation takes over its draft on the server; an updated one leaves it to us.
        const draftId = this.drafts.get(job.taskId);
        if (draftId !== undefined) await t.deleteDraft(draftId).catch(() => undefined);
        this.drafts.delete(job.taskId);
        this.onSaved(job.taskId, saved);
        return;
      }
      case "delete":
        await t.deleteAnnotation(job.annotationId);
        this.onSaved(job.taskId, null);
        return;
      case "draft": {
        const id = this.drafts.get(job.taskId);
        if (id !== undefined) {
          try {
            await t.updateDraft(id, job.body);
            return;
          } catch (err) {
            // Gone (submitted elsewhere, or deleted): start a new one.
            if (!(err instanceof ApiError && err.status === 404)) throw err;
          }
        }
        const draft = await t.createDraft(job.taskId, job.body);
        this.drafts.set(job.taskId, draft.id);
      }
    }
  }
}
