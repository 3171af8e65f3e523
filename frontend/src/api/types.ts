/** Response shapes of the Label Studio-compatible API (the fields the app reads). */

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  username: string;
  initials: string;
  date_joined?: string;
  last_activity?: string;
  role?: Role;
  is_active?: boolean;
}

/** Label Studio Enterprise's role codes: owner, administrator, manager, reviewer, annotator, deactivated. */
export type Role = "OW" | "AD" | "MA" | "RE" | "AN" | "DI";

/** GET /api/current-user/whoami: the logged-in user, with their organization and role in it. */
export interface CurrentUser extends User {
  active_organization: number;
  role: Role;
}

/** One row of GET /api/organizations/{id}/memberships. */
export interface Membership {
  user: User;
  organization: number;
  role: Role;
}

/** The organization's invite link; invite_url may be relative to the server. */
export interface Invite {
  token: string;
  invite_url: string;
}

export interface ConfigInput {
  type: string;
  value?: string;
  valueList?: string;
}

export interface ParsedControl {
  type: string;
  to_name: string[];
  inputs: ConfigInput[];
  labels: string[];
}

/** Label Studio's names for the order in which the labeling stream hands out tasks. */
export type Sampling = "Sequential sampling" | "Uniform sampling" | "Uncertainty sampling";

export interface Project {
  id: number;
  title: string;
  description: string;
  color: string;
  label_config: string;
  expert_instruction: string;
  show_instruction: boolean;
  show_skip_button: boolean;
  /** false: the labeling stream refuses a submit with no result (Label Studio's "Allow empty annotations"). */
  enable_empty_annotation: boolean;
  show_collab_predictions: boolean;
  /** Only this model version's predictions pre-fill tasks; "" for the newest of any. */
  model_version?: string;
  sampling: Sampling;
  /** N annotators per task (maximum_annotations) on this percentage of the tasks, 1 on the rest. */
  maximum_annotations: number;
  overlap_cohort_percentage: number;
  /** "assigned_only": annotators get only the tasks assigned to them. */
  assignment_settings?: { label_stream_task_distribution: "auto_distribution" | "assigned_only" };
  honeypot_percentage?: number;
  annotators_see_others?: boolean;
  parsed_label_config: Record<string, ParsedControl>;
  task_number: number;
  num_tasks_with_annotations: number;
  total_predictions_number: number;
  finished_task_number: number;
  total_annotations_number: number;
  skipped_annotations_number: number;
  created_at: string;
}

export interface Paged<T> {
  count: number;
  results: T[];
}

export interface Task {
  id: number;
  data: Record<string, unknown>;
  total_annotations: number;
  cancelled_annotations: number;
  total_predictions: number;
  completed_at: string | null;
  annotators: number[];
  /** Members the task is assigned to, to annotate and to review. */
  assignees?: number[];
  review_assignees?: number[];
  /** The mean agreement of the task's annotator pairs, 0..1; null with fewer than two annotators. */
  agreement?: number | null;
  /** How many of the task's annotations reviewers accepted and rejected. */
  reviews_accepted?: number;
  reviews_rejected?: number;
  predictions_score: number | null;
  predictions_model_versions: string;
}

export interface TaskPage {
  total: number;
  total_annotations: number;
  total_predictions: number;
  tasks: Task[];
}

export interface ViewData {
  title: string;
  filters?: Filters | null;
  ordering?: string[];
  hiddenColumns?: { explore: string[] };
  columnsWidth?: Record<string, number>;
}

export interface View {
  id: number;
  project: number;
  order: number;
  data: ViewData;
}

export type Conjunction = "and" | "or";
/** GET /api/projects/{id}/summary: the keys of all the project's task data. */
export interface ProjectSummary {
  project: number;
  /** data key -> tasks that have it */
  all_data_columns: Record<string, number>;
  /** keys every task has */
  common_data_columns: string[];
  /** data key -> the filter type its values fit */
  data_column_types: Record<string, FilterType>;
}

export type FilterType = "Number" | "Datetime" | "Boolean" | "String" | "List" | "Unknown";

export interface FilterItem {
  filter: string;
  operator: string;
  type: FilterType;
  value: unknown;
}

export interface Filters {
  conjunction: Conjunction;
  items: FilterItem[];
}

export type SelectedItems = { all: true; excluded: number[] } | { all: false; included: number[] };

export interface ActionResult {
  processed_items: number;
  detail: string;
}

export interface ImportResult {
  task_count: number;
  annotation_count: number;
  prediction_count: number;
}

export interface ExportFormat {
  name: string;
  title: string;
  description?: string;
  disabled: boolean;
}

export interface ExportSnapshot {
  id: number;
  status: "created" | "in_progress" | "completed" | "failed";
  /** task_number grows as the export runs; total is set once the tasks are counted. */
  counters?: { task_number?: number; total?: number };
  error?: string | null;
  converted_formats?: { id: number; export_type: string; status: string; traceback: string | null }[];
}

/** GET /api/projects/{id}/dashboard. */
export interface Dashboard {
  progress: { day: string; annotations: number; finished_tasks: number; finished_total: number }[];
  annotators: {
    user: number;
    email: string;
    annotations: number;
    skipped: number;
    tasks_per_hour: number | null;
    median_lead_time: number | null;
    agreement: number | null;
    accuracy: number | null;
    reviews_accepted: number;
    reviews_rejected: number;
  }[];
  labels: { label: string; count: number }[];
  reviews: { accepted: number; rejected: number; waiting: number };
  agreement: number | null;
  /** When the figures were computed (null while the first ones are); `stale` while a job computes them again. */
  computed_at: string | null;
  stale: boolean;
}
