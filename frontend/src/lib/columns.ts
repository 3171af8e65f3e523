/** The data manager's columns: fixed task columns plus one per data field of the config or the tasks. */
import type { FilterType, Project, ProjectSummary, Task } from "../api/types";

export type ColumnKind =
  "id" | "date" | "number" | "annotators" | "score" | "agreement" | "versions" | "data" | "image";

export interface Column {
  /** Label Studio's column id, e.g. "tasks:id" or "tasks:data.cluster"; filters use "filter:" + id. */
  id: string;
  title: string;
  kind: ColumnKind;
  type: FilterType;
  sortable: boolean;
  width: number;
  /** The data key, for data columns. */
  field?: string;
}

export const TASK_COLUMNS: Column[] = [
  { id: "tasks:id", title: "ID", kind: "id", type: "Number", sortable: true, width: 80 },
  // Wide enough for "Nov 28, 2026, 12:14 AM", the medium date and short time the cell shows.
  { id: "tasks:completed_at", title: "Completed", kind: "date", type: "Datetime", sortable: true, width: 190 },
  { id: "tasks:total_annotations", title: "Annotations", kind: "number", type: "Number", sortable: true, width: 110 },
  { id: "tasks:cancelled_annotations", title: "Skipped", kind: "number", type: "Number", sortable: true, width: 90 },
  { id: "tasks:total_predictions", title: "Predictions", kind: "number", type: "Number", sortable: true, width: 110 },
  { id: "tasks:annotators", title: "Annotators", kind: "annotators", type: "List", sortable: false, width: 120 },
  { id: "tasks:assignees", title: "Assigned", kind: "annotators", type: "List", sortable: false, width: 110 },
  { id: "tasks:review_assignees", title: "Reviewers", kind: "annotators", type: "List", sortable: false, width: 110 },
  { id: "tasks:agreement", title: "Agreement", kind: "agreement", type: "Number", sortable: true, width: 110 },
  { id: "tasks:reviews_accepted", title: "Accepted", kind: "number", type: "Number", sortable: true, width: 100 },
  { id: "tasks:reviews_rejected", title: "Rejected", kind: "number", type: "Number", sortable: true, width: 100 },
  {
    id: "tasks:predictions_score",
    title: "Prediction score",
    kind: "score",
    type: "Number",
    sortable: true,
    width: 140,
  },
  {
    id: "tasks:predictions_model_versions",
    title: "Model versions",
    kind: "versions",
    type: "List",
    sortable: false,
    width: 150,
  },
];

export interface DataField {
  key: string;
  isImage: boolean;
}

/** Data keys the config reads ("$image" -> "image"), with whether an Image tag shows them. */
export function configFields(project: Pick<Project, "parsed_label_config">): DataField[] {
  const found = new Map<string, boolean>();
  for (const control of Object.values(project.parsed_label_config ?? {})) {
    for (const input of control.inputs ?? []) {
      const raw = input.value ?? input.valueList;
      if (!raw) continue;
      const key = raw.replace(/^\$/, "");
      found.set(key, (found.get(key) ?? false) || input.type === "Image");
    }
  }
  return [...found].map(([key, isImage]) => ({ key, isImage }));
}

/**
 * Config fields first (in config order), then every other key: those the project's summary lists (all its
 * tasks) and any seen in the loaded tasks, sorted.
 */
export function dataFields(
  project: Pick<Project, "parsed_label_config">,
  tasks: Pick<Task, "data">[],
  summary?: Pick<ProjectSummary, "data_column_types">,
): DataField[] {
  const fields = configFields(project);
  const known = new Set(fields.map((f) => f.key));
  const extra = new Set<string>(Object.keys(summary?.data_column_types ?? {}));
  for (const task of tasks) for (const key of Object.keys(task.data ?? {})) extra.add(key);
  for (const key of known) extra.delete(key);
  extra.delete("$undefined$");
  return [...fields, ...[...extra].sort().map((key) => ({ key, isImage: false }))];
}

/** Number or Boolean when every sampled value is one, otherwise String: decides the filter's operators. */
export function inferType(values: unknown[]): FilterType {
  const present = values.filter((v) => v !== null && v !== undefined && v !== "");
  if (present.length === 0) return "String";
  if (present.every((v) => typeof v === "number")) return "Number";
  if (present.every((v) => typeof v === "boolean")) return "Boolean";
  return "String";
}

/** Columns for the config's fields and every data key; types from the summary (all tasks) where it has them. */
export function buildColumns(
  project: Pick<Project, "parsed_label_config">,
  tasks: Pick<Task, "data">[],
  summary?: Pick<ProjectSummary, "data_column_types">,
): Column[] {
  const data = dataFields(project, tasks, summary).map((f): Column => {
    const known = summary?.data_column_types[f.key];
    const type = f.isImage ? "String" : (known ?? inferType(tasks.map((t) => t.data?.[f.key])));
    return {
      id: `tasks:data.${f.key}`,
      title: f.key,
      kind: f.isImage ? "image" : "data",
      type,
      sortable: true,
      // An image column fits its thumbnail and a file name, a number its digits.
      width: f.isImage ? Math.max(200, 9 * f.key.length + 48) : type === "Number" ? 110 : 220,
      field: f.key,
    };
  });
  // The task's own data right after its ID: it is what people look at and filter on, and with the
  // bookkeeping columns first it started past the right edge of a 1280px window.
  const [id, ...rest] = TASK_COLUMNS;
  return [id, ...data, ...rest];
}

export function filterName(column: Pick<Column, "id">): string {
  return `filter:${column.id}`;
}

/** "tasks:data.cluster" -> ["-tasks:data.cluster"] etc. One element, as Label Studio sends it. */
export function nextOrdering(current: string[] | undefined, columnId: string): string[] {
  const now = current?.[0];
  if (now === columnId) return [`-${columnId}`];
  if (now === `-${columnId}`) return [];
  return [columnId];
}

export function sortDirection(ordering: string[] | undefined, columnId: string): "asc" | "desc" | null {
  const now = ordering?.[0];
  if (now === columnId) return "asc";
  if (now === `-${columnId}`) return "desc";
  return null;
}
