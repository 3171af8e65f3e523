/** The editable forms of Settings, kept by the page across its sections so switching sections loses nothing. */
import type { Project, Sampling } from "../../api/types";
import type { ProjectFieldValues } from "../../components/ProjectFields";

export interface GeneralDraft extends ProjectFieldValues {
  sampling: Sampling;
}

export interface AnnotationDraft {
  expert_instruction: string;
  show_instruction: boolean;
  show_skip_button: boolean;
  show_collab_predictions: boolean;
  model_version: string;
}

/** Who labels what, and how their work is checked. */
export interface QualityDraft {
  maximum_annotations: number;
  overlap_cohort_percentage: number;
  distribution: "auto_distribution" | "assigned_only";
  honeypot_percentage: number;
  annotators_see_others: boolean;
}

export interface Drafts {
  general: GeneralDraft;
  labeling: string;
  annotation: AnnotationDraft;
  quality: QualityDraft;
}

export type FormSection = keyof Drafts;

/** The forms as the saved project fills them. */
export function draftsOf(project: Project): Drafts {
  return {
    general: {
      title: project.title,
      description: project.description ?? "",
      // <input type="color"> only takes #rrggbb; Label Studio projects may carry other CSS colors.
      color: /^#[0-9a-f]{6}$/i.test(project.color) ? project.color : "#d97706",
      sampling: project.sampling ?? "Sequential sampling",
    },
    labeling: project.label_config,
    annotation: {
      expert_instruction: project.expert_instruction ?? "",
      show_instruction: !!project.show_instruction,
      show_skip_button: !!project.show_skip_button,
      show_collab_predictions: !!project.show_collab_predictions,
      model_version: project.model_version ?? "",
    },
    quality: {
      maximum_annotations: project.maximum_annotations ?? 1,
      overlap_cohort_percentage: project.overlap_cohort_percentage ?? 100,
      distribution: project.assignment_settings?.label_stream_task_distribution ?? "auto_distribution",
      honeypot_percentage: project.honeypot_percentage ?? 0,
      annotators_see_others: !!project.annotators_see_others,
    },
  };
}

/** The sections whose form differs from the saved project. */
export function unsavedSections(drafts: Drafts, project: Project): Set<FormSection> {
  const saved = draftsOf(project);
  const sections = Object.keys(drafts) as FormSection[];
  return new Set(sections.filter((s) => JSON.stringify(drafts[s]) !== JSON.stringify(saved[s])));
}
