/** The labeling stream's API calls, named after the server's operation ids. */
import { api, as } from "../../api/client";
import type { ResultItem } from "../store/doc";

export interface Annotation {
  id: number;
  result: ResultItem[];
  /** An id, or the user object GET /api/tasks/{id} expands it to (as Label Studio does). */
  completed_by: number | { id: number } | null;
  was_cancelled: boolean;
  lead_time: number | null;
  updated_at: string;
}

/** The id of an annotation's author, however the server wrote it. */
export function authorId(a: Annotation): number | null {
  return typeof a.completed_by === "object" && a.completed_by !== null ? a.completed_by.id : a.completed_by;
}

export interface Prediction {
  id: number;
  result: ResultItem[];
  score: number | null;
  model_version: string;
  created_at: string;
}

export interface Draft {
  id: number;
  result: ResultItem[];
  lead_time: number | null;
  annotation: number | null;
  updated_at: string;
}

export interface LabelTask {
  id: number;
  data: Record<string, unknown>;
  annotations: Annotation[];
  predictions: Prediction[];
  drafts: Draft[];
}

export interface AnnotationBody {
  result: ResultItem[];
  lead_time: number;
  was_cancelled?: boolean;
  draft_id?: number;
  parent_prediction?: number;
}

export interface StreamQuery {
  view?: number;
  /** JSON {filters, ordering}, when the stream follows a query instead of a saved view. */
  query?: string;
}

export const getTask = (id: number, signal?: AbortSignal) =>
  as<LabelTask>(api("get", "/api/tasks/{task_id}", { path: { task_id: id }, signal }));

/** The next task to label in the view's filter and order, skipping `exclude`; 404 when none is left. */
export const nextTask = (projectId: number, q: StreamQuery, exclude: number[], signal?: AbortSignal) =>
  as<LabelTask>(
    api("get", "/api/projects/{project_id}/next", {
      path: { project_id: projectId },
      query: { view: q.view, query: q.query, exclude: exclude.length ? exclude.join(",") : undefined },
      signal,
    }),
  );

/** How many tasks the stream has left for this user in the view, counted up to a cap ("more": past it). */
export const remainingTasks = (projectId: number, q: StreamQuery) =>
  as<{ remaining: number; more: boolean }>(
    api("get", "/api/projects/{project_id}/next/remaining", {
      path: { project_id: projectId },
      query: { view: q.view, query: q.query },
    }),
  );

export const createAnnotation = (taskId: number, body: AnnotationBody) =>
  as<Annotation>(
    api("post", "/api/tasks/{task_id}/annotations", {
      path: { task_id: taskId },
      query: { was_cancelled: body.was_cancelled ? 1 : undefined },
      body,
    }),
  );

export const updateAnnotation = (id: number, body: Partial<AnnotationBody>) =>
  as<Annotation>(api("patch", "/api/annotations/{annotation_id}", { path: { annotation_id: id }, body }));

export const deleteAnnotation = (id: number) =>
  as<void>(api("delete", "/api/annotations/{annotation_id}", { path: { annotation_id: id } }));

export const createDraft = (taskId: number, body: { result: ResultItem[]; lead_time: number }) =>
  as<Draft>(api("post", "/api/tasks/{task_id}/drafts", { path: { task_id: taskId }, body }));

export const updateDraft = (id: number, body: { result: ResultItem[]; lead_time: number }) =>
  as<Draft>(api("patch", "/api/drafts/{draft_id}", { path: { draft_id: id }, body }));

export const deleteDraft = (id: number) =>
  as<void>(api("delete", "/api/drafts/{draft_id}", { path: { draft_id: id } }));
