import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import type { LabelTask } from "./api";
import { LeadTimer } from "./leadTime";
import { SaveQueue, type Transport } from "./saveQueue";
import { settled, SETTLE_MS } from "./settle";
import { LabelingStream } from "./stream";

const task = (id: number): LabelTask => ({ id, data: {}, annotations: [], predictions: [], drafts: [] });

describe("LabelingStream", () => {
  it("prefetches the next task, excluding the current one, and advances without waiting", async () => {
    const calls: number[][] = [];
    const pool = [1, 2, 3];
    const next = vi.fn(async (_p: number, _q: object, exclude: number[]) => {
      calls.push(exclude);
      const id = pool.find((i) => !exclude.includes(i));
      if (id === undefined) throw new ApiError(404, "No more tasks to label");
      return task(id);
    });
    const preload = vi.fn();
    const s = new LabelingStream(1, { view: 5 }, { next, get: vi.fn(), preload });
    await s.open();
    expect(s.state.task?.id).toBe(1);
    expect(calls).toEqual([[], [1]]);
    await Promise.resolve();
    await s.advance();
    expect(s.state.task?.id).toBe(2);
    expect(preload).toHaveBeenCalledWith(task(2));
    expect(calls.at(-1)).toEqual([1, 2]);
    await s.advance();
    await s.advance();
    expect(s.state.status).toBe("done");
    expect(s.state.history).toEqual([1, 2]);
  });

  it("goes back through the tasks shown, without growing the history", async () => {
    const get = vi.fn(async (id: number) => task(id));
    const next = vi.fn(async (_p: number, _q: object, exclude: number[]) => task(Math.max(0, ...exclude) + 1));
    const s = new LabelingStream(1, {}, { next, get, preload: vi.fn() });
    await s.open();
    await s.advance();
    await s.advance();
    expect(s.state.task?.id).toBe(3);
    await s.back();
    expect([s.state.task?.id, s.state.history]).toEqual([2, [1]]);
    await s.back();
    expect([s.state.task?.id, s.state.history]).toEqual([1, []]);
  });
});

describe("one submit, one advance", () => {
  it("moves on from a task once, and only while it is the task shown", async () => {
    const next = vi.fn(async (_p: number, _q: object, exclude: number[]) => task(Math.max(0, ...exclude) + 1));
    const s = new LabelingStream(1, {}, { next, get: vi.fn(), preload: vi.fn() });
    await s.open();
    // A double submit of task 1: the second call comes while the first is still on its way.
    const first = s.advance(1);
    const second = s.advance(1);
    await Promise.all([first, second]);
    expect(s.state.task?.id).toBe(2);
    // A late one, from the editor of task 1 after task 2 is shown, does not skip task 2.
    await s.advance(1);
    expect([s.state.task?.id, s.state.history]).toEqual([2, [1]]);
    await s.advance(2);
    expect(s.state.task?.id).toBe(3);
  });

  it("takes no input before the first paint or in the settle time after it", () => {
    expect(settled(null, 5000)).toBe(false);
    expect(settled(1000, 1000 + 30)).toBe(false);
    expect(settled(1000, 1000 + SETTLE_MS - 1)).toBe(false);
    expect(settled(1000, 1000 + SETTLE_MS)).toBe(true);
    // An event made before the paint, handled after it (the page was busy), is judged by when it was made.
    expect(settled(1000, 990)).toBe(false);
  });
});

describe("SaveQueue", () => {
  const transport = (over: Partial<Transport> = {}): Transport => ({
    createAnnotation: vi.fn(async () => ({ id: 9 }) as never),
    updateAnnotation: vi.fn(async () => ({ id: 9 }) as never),
    deleteAnnotation: vi.fn(async () => undefined),
    createDraft: vi.fn(async () => ({ id: 77 }) as never),
    updateDraft: vi.fn(async () => ({ id: 77 }) as never),
    deleteDraft: vi.fn(async () => undefined),
    ...over,
  });

  it("saves drafts, then submits with the draft id; waiting drafts are dropped by the submit", async () => {
    const t = transport();
    const q = new SaveQueue(null, t, async () => undefined);
    q.push({ kind: "draft", taskId: 1, body: { result: [], lead_time: 1 } });
    await q.idle();
    q.push({ kind: "draft", taskId: 1, body: { result: [], lead_time: 2 } });
    q.push({ kind: "submit", taskId: 1, body: { result: [], lead_time: 3 } });
    await q.idle();
    expect(t.createDraft).toHaveBeenCalledTimes(1);
    expect(t.createAnnotation).toHaveBeenCalledWith(1, { result: [], lead_time: 3, draft_id: 77 });
  });

  it("retries network errors, keeps a failed job, and saves it on retry", async () => {
    let fail = 3;
    const t = transport({
      createAnnotation: vi.fn(async () => {
        if (fail-- > 0) throw new TypeError("Failed to fetch");
        return { id: 1 } as never;
      }),
    });
    const q = new SaveQueue(null, t, async () => undefined);
    q.push({ kind: "submit", taskId: 4, body: { result: [], lead_time: 1 } });
    await q.idle();
    expect(q.failed()).toHaveLength(1);
    expect(q.failed()[0].error).toContain("Failed to fetch");
    q.retry();
    await q.idle();
    expect(q.jobs).toHaveLength(0);
    expect(t.createAnnotation).toHaveBeenCalledTimes(4);
  });

  it("does not retry a 400", async () => {
    const t = transport({ createAnnotation: vi.fn(async () => Promise.reject(new ApiError(400, "bad"))) });
    const q = new SaveQueue(null, t, async () => undefined);
    q.push({ kind: "submit", taskId: 4, body: { result: [], lead_time: 1 } });
    await q.idle();
    expect(t.createAnnotation).toHaveBeenCalledTimes(1);
    expect(q.failed()[0].error).toBe("bad");
  });
});

describe("LeadTimer", () => {
  it("counts only visible time", () => {
    let now = 0;
    const timer = new LeadTimer(() => now, true);
    now = 2000;
    timer.setVisible(false);
    now = 60000;
    timer.setVisible(true);
    now = 61500;
    expect(timer.seconds()).toBe(3.5);
  });
});
