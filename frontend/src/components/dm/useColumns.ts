/** Columns for a project: data fields from the config plus every key seen in loaded tasks, kept for the session. */
import { useMemo, useRef } from "react";
import type { Project, Task } from "../../api/types";
import { buildColumns, TASK_COLUMNS, type Column } from "../../lib/columns";

export function useColumns(project: Project | undefined, sample: Task[] | undefined): Column[] {
  // Filtering can hide every task that has some field; keep columns (and their types) once seen.
  const seen = useRef(new Map<string, Column>());
  return useMemo(() => {
    if (!project) return TASK_COLUMNS;
    for (const c of buildColumns(project, sample ?? [])) {
      const old = seen.current.get(c.id);
      if (!old || (old.type === "String" && c.type !== "String" && c.kind === "data")) seen.current.set(c.id, c);
    }
    return [...seen.current.values()];
  }, [project, sample]);
}
