/**
 * Rows of the task list, fetched a page of 100 at a time as they scroll into view. Pages are cached by
 * react-query under (project, query, page); only the pages around the viewport are ever requested, so a
 * jump to row 90,000 loads page 901 and nothing in between.
 */
import { keepPreviousData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { keys, listTasks } from "../../api/endpoints";
import type { Task, TaskPage } from "../../api/types";
import { offsetInPage, PAGE_SIZE, pageOf, pagesFor } from "../../lib/paging";

/** The latest value, at most every `ms`: dragging the scrollbar across 10,000 pages fetches a handful. */
function useThrottled<T>(value: T, ms: number, same: (a: T, b: T) => boolean): T {
  const [held, setHeld] = useState(value);
  const [last, setLast] = useState(0);
  useEffect(() => {
    if (same(held, value)) return;
    const wait = Math.max(0, last + ms - Date.now());
    const timer = window.setTimeout(() => {
      setHeld(value);
      setLast(Date.now());
    }, wait);
    return () => window.clearTimeout(timer);
  }, [value, held, last, ms, same]);
  return held;
}

const samePages = (a: number[], b: number[]) => a.length === b.length && a.every((p, i) => p === b[i]);

export function useTaskRows(projectId: number, query: string, first: number, last: number) {
  const client = useQueryClient();
  const fetchPage = (page: number) => ({
    queryKey: keys.taskPage(projectId, query, page),
    queryFn: ({ signal }: { signal: AbortSignal }) => listTasks(projectId, query, page, PAGE_SIZE, signal),
    staleTime: 30_000,
  });
  // Page 1 carries the total; keep the previous total on screen while a new filter loads.
  const head = useQuery({ ...fetchPage(1), placeholderData: keepPreviousData });
  const total = head.data?.total ?? 0;
  // Until the new total is known, ask for nothing else: the old total could point past the new end (404).
  const ready = head.isSuccess && !head.isPlaceholderData;
  const wanted = useThrottled(pagesFor(first, last, ready ? total : 0), 120, samePages);
  const others = wanted.filter((p) => p !== 1);
  const pages = useQueries({ queries: others.map(fetchPage) });

  const loaded = new Map<number, TaskPage>();
  if (ready && head.data) loaded.set(1, head.data);
  others.forEach((p, i) => {
    const data = pages[i]?.data;
    if (data) loaded.set(p, data);
  });

  const taskAt = (index: number): Task | undefined => {
    const page = pageOf(index);
    const data = loaded.get(page) ?? client.getQueryData<TaskPage>(keys.taskPage(projectId, query, page));
    return data?.tasks[offsetInPage(index)];
  };

  const failed = [head, ...pages].find((q) => q.isError);
  return {
    total,
    totals: head.data,
    isLoading: head.isPending || head.isPlaceholderData,
    error: failed?.error ?? null,
    retry: () => client.invalidateQueries({ queryKey: keys.tasks(projectId) }),
    taskAt,
  };
}
