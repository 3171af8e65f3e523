/**
 * Columns for a project: data fields from the config, every key of the project's tasks (its summary), and
 * any key seen in loaded tasks, kept for the session.
 */
import { useMemo, useRef } from "react";
import type { Project, ProjectSummary, Task } from "../../api/types";
import { buildColumns, TASK_COLUMNS, type Column } from "../../lib/columns";

export function useColumns(
  project: Project | undefined,
  sample: Task[] | undefined,
  summary: ProjectSummary | undefined,
): Column[] {
  // Filtering can hide every task that has some field; keep columns (and their types) once seen.
  const seen = useRef(new Map<string, Column>());
  return useMemo(() => {
    if (!project) return TASK_COLUMNS;
    for (const c of buildColumns(project, sample ?? [], summary)) {
      const old = seen.current.get(c.id);
      // The summary's type covers every task; a type guessed from a page gives way to it, or to a closer guess.
      const better = c.field !== undefined && summary?.data_column_types[c.field] !== undefined;
      if (!old || better || (old.type === "String" && c.type !== "String" && c.kind === "data"))
        seen.current.set(c.id, c);
    }
    // In buildColumns' order (ID, the data fields, the task's bookkeeping), with fields seen late among the
    // data rather than after the bookkeeping columns, past the window's right edge.
    const all = [...seen.current.values()];
    const [id, ...rest] = TASK_COLUMNS;
    return [id, ...all.filter((c) => c.field !== undefined), ...rest.map((c) => seen.current.get(c.id) ?? c)];
  }, [project, sample, summary]);
}
