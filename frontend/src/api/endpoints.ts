/** One function per API call the app makes, named after the server's operation ids. */
import { api, as, routeUrl } from "./client";
import type {
  ActionResult,
  CurrentUser,
  ExportFormat,
  ExportSnapshot,
  Invite,
  Membership,
  Paged,
  Project,
  ProjectSummary,
  Role,
  SelectedItems,
  Filters,
  Dashboard,
  TaskPage,
  User,
  View,
  ViewData,
} from "./types";

export const keys = {
  whoami: ["whoami"] as const,
  token: ["token"] as const,
  users: ["users"] as const,
  memberships: (orgId: number) => ["memberships", orgId] as const,
  invite: ["invite"] as const,
  projects: ["projects"] as const,
  project: (id: number) => ["project", id] as const,
  views: (pid: number) => ["views", pid] as const,
  /** Every page of every query of a project's tasks, and its summary: invalidate this after writes. */
  tasks: (pid: number) => ["tasks", pid] as const,
  summary: (pid: number) => ["tasks", pid, "summary"] as const,
  taskPage: (pid: number, query: string, page: number) => ["tasks", pid, query, page] as const,
  exportFormats: (pid: number) => ["export-formats", pid] as const,
  modelVersions: (pid: number) => ["model-versions", pid] as const,
  dashboard: (pid: number) => ["tasks", pid, "dashboard"] as const,
};

export const whoami = () => as<CurrentUser>(api("get", "/api/current-user/whoami"));
export const getToken = () => as<{ token: string }>(api("get", "/api/current-user/token"));
export const resetToken = () => as<{ token: string }>(api("post", "/api/current-user/reset-token"));
/** Logs out every other session of the user; this one stays. */
export const changePassword = (body: { current_password: string; new_password: string }) =>
  as<unknown>(api("post", "/api/current-user/password", { body }));
export const listUsers = () => as<User[]>(api("get", "/api/users"));

export const listMemberships = (orgId: number) =>
  as<Paged<Membership>>(
    api("get", "/api/organizations/{org_id}/memberships", {
      path: { org_id: orgId },
      query: { page: 1, page_size: 100 },
    }),
  );
/** Role "DI" deactivates the member: their sessions and API token stop working at once. */
export const updateMembership = (orgId: number, userId: number, role: Role) =>
  as<Membership>(
    api("patch", "/api/organizations/{org_id}/memberships", {
      path: { org_id: orgId },
      body: { user_id: userId, role },
    }),
  );
/** The link for joining as `role` (an Annotator unless said; administrators only by the owner's link). */
export const getInvite = (role: Role = "AN") => as<Invite>(api("get", "/api/invite", { query: { role } }));
/** A new invite link; the old one stops working. */
export const resetInvite = () => as<Invite>(api("post", "/api/invite/reset-token"));

export const listProjects = () =>
  as<Paged<Project>>(api("get", "/api/projects", { query: { page: 1, page_size: 1000 } }));
export const getProject = (id: number) =>
  as<Project>(api("get", "/api/projects/{project_id}", { path: { project_id: id } }));
/** The data columns only: Label Studio's label counters read every result, which the data manager does not need. */
export const getSummary = (id: number) =>
  as<ProjectSummary>(
    api("get", "/api/projects/{project_id}/summary", { path: { project_id: id }, query: { columns_only: 1 } }),
  );
export const createProject = (body: Partial<Project>) => as<Project>(api("post", "/api/projects", { body }));
export const updateProject = (id: number, body: Partial<Project>) =>
  as<Project>(api("patch", "/api/projects/{project_id}", { path: { project_id: id }, body }));
export const deleteProject = (id: number) =>
  as<void>(api("delete", "/api/projects/{project_id}", { path: { project_id: id } }));
export const validateConfig = (label_config: string, signal?: AbortSignal) =>
  as<unknown>(api("post", "/api/projects/validate", { body: { label_config }, signal }));

export const listTasks = (pid: number, query: string, page: number, pageSize: number, signal?: AbortSignal) =>
  as<TaskPage>(api("get", "/api/tasks", { query: { project: pid, page, page_size: pageSize, query }, signal }));

export const listViews = (pid: number) => as<View[]>(api("get", "/api/dm/views", { query: { project: pid } }));
export const createView = (pid: number, data: ViewData) =>
  as<View>(api("post", "/api/dm/views", { body: { project: pid, data } }));
export const updateView = (id: number, data: Partial<ViewData>) =>
  as<View>(api("patch", "/api/dm/views/{view_id}", { path: { view_id: id }, body: { data } }));
export const deleteView = (id: number) => as<void>(api("delete", "/api/dm/views/{view_id}", { path: { view_id: id } }));

export interface ActionBody {
  selectedItems: SelectedItems;
  filters: Filters | null;
  ordering: string[];
  model_version?: string;
}

export const runAction = (pid: number, action: string, body: ActionBody) =>
  as<ActionResult>(
    api("post", "/api/dm/actions", { query: { id: action, project: pid }, body: { ...body, project: pid } }),
  );
/** POST /api/projects/{id}/tasks/assignees: the selected tasks go to each user, to annotate ("AN") or review. */
export const assignTasks = (
  pid: number,
  body: Omit<ActionBody, "model_version"> & { type: "AN" | "RE"; users: number[] },
) =>
  as<{ assignments: number; task_ids: number[] }>(
    api("post", "/api/projects/{project_id}/tasks/assignees", { path: { project_id: pid }, body }),
  );
export const modelVersions = (pid: number) =>
  as<Record<string, number>>(api("get", "/api/projects/{project_id}/model-versions", { path: { project_id: pid } }));

export const exportFormats = (pid: number) =>
  as<ExportFormat[]>(api("get", "/api/projects/{project_id}/export/formats", { path: { project_id: pid } }));
/**
 * Starts an export on the server (of one tab's tasks, or all; of those only the annotated ones, a skipped
 * task counting as annotated, as Label Studio's `only_with_annotations`); poll getSnapshot until it completes.
 */
export const createSnapshot = (
  pid: number,
  { viewId, onlyAnnotated }: { viewId: number | null; onlyAnnotated: boolean },
) =>
  as<ExportSnapshot>(
    api("post", "/api/projects/{project_id}/exports", {
      path: { project_id: pid },
      body: {
        title: "Data manager export",
        task_filter_options: {
          ...(viewId === null ? {} : { view: viewId }),
          ...(onlyAnnotated ? { only_with_annotations: true } : {}),
        },
      },
    }),
  );
/** Converts a finished snapshot to `format` on the server; its converted_formats say when it is done. */
export const convertSnapshot = (pid: number, eid: number, format: string) =>
  as<{ converted_format: number; export_type: string }>(
    api("post", "/api/projects/{project_id}/exports/{export_id}/convert", {
      path: { project_id: pid, export_id: eid },
      body: { export_type: format },
    }),
  );
export const getSnapshot = (pid: number, eid: number) =>
  as<ExportSnapshot>(
    api("get", "/api/projects/{project_id}/exports/{export_id}", { path: { project_id: pid, export_id: eid } }),
  );
export const snapshotUrl = (pid: number, eid: number, format: string) =>
  routeUrl(
    "/api/projects/{project_id}/exports/{export_id}/download",
    { project_id: pid, export_id: eid },
    { exportType: format },
  );
export const deleteSnapshot = (pid: number, eid: number) =>
  as<void>(
    api("delete", "/api/projects/{project_id}/exports/{export_id}", { path: { project_id: pid, export_id: eid } }),
  );

export const importUrl = (pid: number) => routeUrl("/api/projects/{project_id}/import", { project_id: pid });
export const importDatasetUrl = (pid: number) =>
  routeUrl("/api/projects/{project_id}/import/dataset", { project_id: pid });

/** A server-side JPEG thumbnail of an image field: the data manager never loads full images. */
export const thumbnailUrl = (taskId: number, field: string, size = 128) =>
  routeUrl("/api/tasks/{task_id}/thumbnail", { task_id: taskId }, { field, size });

/** GET /api/projects/{id}/dashboard: progress, annotators, labels and reviews (Reviewers and up). */
export const getDashboard = (pid: number) =>
  as<Dashboard>(api("get", "/api/projects/{project_id}/dashboard", { path: { project_id: pid } }));
