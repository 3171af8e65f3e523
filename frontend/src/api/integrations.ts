/** Calls for the project's connections: ML backends and storages (import and export). */
import { api, as } from "./client";

export interface MLBackend {
  id: number;
  url: string;
  title: string;
  state: string;
  readable_state: string;
  model_version: string;
  error_message: string | null;
  is_interactive: boolean;
}

export interface Storage {
  id: number;
  type: string;
  title: string;
  path?: string;
  bucket?: string;
  container?: string;
  prefix?: string;
  regex_filter?: string | null;
  status: string;
  last_sync: string | null;
  last_sync_count: number | null;
  traceback: string | null;
  /** While a background sync runs: what it is doing and how many objects it has got through. */
  meta: { progress?: SyncProgress };
}

export interface SyncProgress {
  phase: "queued" | "scanning" | "importing";
  done: number;
  total: number | null;
}

export type StorageKind = "import" | "export";

export const listBackends = (pid: number) => as<MLBackend[]>(api("get", "/api/ml", { query: { project: pid } }));
export const addBackend = (pid: number, url: string, title: string) =>
  as<MLBackend>(api("post", "/api/ml", { body: { project: pid, url, title: title || "default" } }));
export const removeBackend = (id: number) =>
  as<void>(api("delete", "/api/ml/{backend_id}", { path: { backend_id: id } }));
export const trainBackend = (id: number) =>
  as<{ detail: string }>(api("post", "/api/ml/{backend_id}/train", { path: { backend_id: id }, body: {} }));
export const testBackend = (id: number) =>
  as<{ results: unknown[] }>(api("post", "/api/ml/{backend_id}/predict/test", { path: { backend_id: id } }));

/** The storage types; the local one names the folder that attached folders must be under. */
export const listStorageTypes = () =>
  as<{ name: string; title: string; root?: string }[]>(api("get", "/api/storages/types"));

export const listStorages = (pid: number, kind: StorageKind) =>
  kind === "import"
    ? as<Storage[]>(api("get", "/api/storages", { query: { project: pid } }))
    : as<Storage[]>(api("get", "/api/storages/export", { query: { project: pid } }));

export const addStorage = (pid: number, kind: StorageKind, type: string, settings: Record<string, unknown>) =>
  kind === "import"
    ? as<Storage>(
        api("post", "/api/storages/{storage_type}", {
          path: { storage_type: type },
          body: { project: pid, ...settings },
        }),
      )
    : as<Storage>(
        api("post", "/api/storages/export/{storage_type}", {
          path: { storage_type: type },
          body: { project: pid, ...settings },
        }),
      );

/** Starts a sync in the background; poll the storage list for `meta.progress` and the outcome. */
export const syncStorage = (kind: StorageKind, s: Storage) => {
  const options = { path: { storage_type: s.type, storage_id: s.id }, query: { background: true } };
  return kind === "import"
    ? as<Storage>(api("post", "/api/storages/{storage_type}/{storage_id}/sync", options))
    : as<Storage>(api("post", "/api/storages/export/{storage_type}/{storage_id}/sync", options));
};

/** One import storage as it is now (its sync status and progress). */
export const getStorage = (s: Storage) =>
  as<Storage>(
    api("get", "/api/storages/{storage_type}/{storage_id}", { path: { storage_type: s.type, storage_id: s.id } }),
  );

/** Changes some settings of an import storage. */
export const updateStorage = (s: Storage, body: Record<string, unknown>) =>
  as<Storage>(
    api("patch", "/api/storages/{storage_type}/{storage_id}", {
      path: { storage_type: s.type, storage_id: s.id },
      body,
    }),
  );

/** Checks that the settings reach the storage, without saving anything. */
export const validateStorage = (pid: number, kind: StorageKind, type: string, settings: Record<string, unknown>) => {
  const options = { path: { storage_type: type }, body: { project: pid, ...settings } };
  return kind === "import"
    ? as<{ detail: string }>(api("post", "/api/storages/{storage_type}/validate", options))
    : as<{ detail: string }>(api("post", "/api/storages/export/{storage_type}/validate", options));
};

export const isSyncing = (s: Storage) => s.status === "queued" || s.status === "in_progress";

export const removeStorage = (kind: StorageKind, s: Storage) =>
  kind === "import"
    ? as<void>(
        api("delete", "/api/storages/{storage_type}/{storage_id}", {
          path: { storage_type: s.type, storage_id: s.id },
        }),
      )
    : as<void>(
        api("delete", "/api/storages/export/{storage_type}/{storage_id}", {
          path: { storage_type: s.type, storage_id: s.id },
        }),
      );

export interface Job {
  id: number;
  kind: string;
  status: "queued" | "running" | "completed" | "failed";
  done: number;
  total: number;
  result: { predictions?: number; skipped?: number } | null;
  error: string | null;
  attempts: number;
  can_retry: boolean;
  created_at: string;
  finished_at: string | null;
}

export const getJob = (id: number) => as<Job>(api("get", "/api/jobs/{job_id}", { path: { job_id: id } }));
export const listJobs = (pid: number) =>
  as<Job[]>(api("get", "/api/projects/{project_id}/jobs", { path: { project_id: pid } }));
export const retryJob = (id: number) => as<Job>(api("post", "/api/jobs/{job_id}/retry", { path: { job_id: id } }));

/** Poll a background job until it ends. */
export async function waitForJob(id: number, everyMs = 1000): Promise<Job> {
  for (;;) {
    const job = await getJob(id);
    if (job.status === "completed" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
