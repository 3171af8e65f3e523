/**
 * What a task opens with (the user's newest draft, their annotation, or the newest prediction as an
 * editable pre-annotation) and what blocks a submit (required controls left empty). Pure functions.
 */
import type { ParsedConfig } from "./config/parse";
import { boardOf, isRanked } from "./ranker/ranking";
import { EMPTY_DOC, fromResults, type Doc } from "./store/doc";
import { authorId, type Annotation, type LabelTask } from "./stream/api";

export interface Initial {
  doc: Doc;
  annotation: Annotation | null;
  source: string | null;
  predictionId: number | null;
  draftId: number | null;
}

/** The project's say on pre-annotations (Label Studio's show_collab_predictions and model_version). */
export interface Prefill {
  /** false: tasks open empty whatever predictions they have. */
  predictions: boolean;
  /** Set: only predictions of this model version pre-fill. */
  modelVersion?: string | null;
}

export function initialDoc(
  config: ParsedConfig,
  task: LabelTask,
  userId: number | null,
  prefill: Prefill = { predictions: true },
): Initial {
  const mine = task.annotations
    .filter((a) => authorId(a) === userId && !a.was_cancelled)
    .sort((a, b) => b.id - a.id)[0];
  const draft = [...(task.drafts ?? [])].sort((a, b) => b.id - a.id)[0];
  const annotation = mine ?? null;
  if (draft && (!mine || draft.updated_at >= mine.updated_at))
    return {
      doc: fromResults(draft.result ?? [], config),
      annotation,
      source: "your unsaved draft",
      predictionId: null,
      draftId: draft.id,
    };
  if (mine)
    return { doc: fromResults(mine.result ?? [], config), annotation, source: null, predictionId: null, draftId: null };
  const shown = prefill.predictions
    ? (task.predictions ?? []).filter((p) => !prefill.modelVersion || p.model_version === prefill.modelVersion)
    : [];
  const pred = [...shown].sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? "") || b.id - a.id)[0];
  if (pred && Array.isArray(pred.result) && pred.result.length)
    return {
      doc: fromResults(pred.result, config, "prediction"),
      annotation: null,
      source: `prediction${pred.model_version ? ` ${pred.model_version}` : ""}${scoreText(pred.score)}`,
      predictionId: pred.id,
      draftId: null,
    };
  return { doc: EMPTY_DOC, annotation: null, source: null, predictionId: null, draftId: null };
}

/** " (score 0.71)": a model's score to two decimals; the badge is read at a glance, not compared. */
function scoreText(score: number | null): string {
  return score != null && Number.isFinite(score) ? ` (score ${Number(score.toFixed(2))})` : "";
}

/** Required controls left empty: control name -> message. */
export function validate(config: ParsedConfig, doc: Doc): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const c of config.controls) {
    if (c.node.attrs.required !== "true") continue;
    const message = c.node.attrs.requiredmessage ?? `“${c.name}” is required.`;
    if (c.perRegion) {
      const missing = doc.regions.filter(
        (r) => c.toName.includes(r.toName) && !r.parts.some((p) => p.fromName === c.name),
      );
      if (missing.length)
        errors[c.name] = `${message} (${missing.length} region${missing.length > 1 ? "s" : ""} without it)`;
    } else if (c.type === "ranker") {
      const saved = doc.classifications.find((x) => x.fromName === c.name)?.payload;
      if (!isRanked(boardOf(c, ""), saved)) errors[c.name] = message;
    } else if (c.kind === "classification") {
      if (!doc.classifications.some((x) => x.fromName === c.name)) errors[c.name] = message;
    } else if (c.kind === "labels" && !doc.regions.some((r) => r.parts.some((p) => p.fromName === c.name))) {
      errors[c.name] = message;
    }
  }
  return errors;
}
