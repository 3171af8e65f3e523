/** Attaching a folder on the server to a project and syncing it: shared by the import dialog and Settings. */
import { useQuery } from "@tanstack/react-query";
import { ApiError, errorMessage } from "../../api/client";
import {
  addStorage,
  getStorage,
  isSyncing,
  listStorages,
  listStorageTypes,
  syncStorage,
  updateStorage,
  type Storage,
} from "../../api/integrations";

/** Images, in any letter case (cameras write .JPG). */
export const IMAGE_FILTER = "(?i)\\.(jpe?g|png|gif|bmp|webp|tiff?)$";

/** The folder attached folders must be under (the server's LABELHIVE_LOCAL_FILES_ROOT), once the server said it. */
export function useLocalRoot(): string | undefined {
  const types = useQuery({ queryKey: ["storage-types"], queryFn: listStorageTypes, staleTime: Infinity });
  return types.data?.find((t) => t.name === "localfiles")?.root;
}

/** What a folder field says about where folders may be. */
export function rootHint(root: string | undefined): string {
  const where = root ? `under ${root}` : "under its local files root";
  return `A folder on the machine LabelHive runs on, ${where} (LABELHIVE_LOCAL_FILES_ROOT sets it).`;
}

/** An example path under the root, for the field's placeholder. */
export function rootPlaceholder(root: string | undefined): string {
  return `${(root ?? "/home/me").replace(/\/+$/, "")}/data/flowers`;
}

const POLL_MS = 400;

export function syncProgressText(s: Storage): string {
  const p = s.meta?.progress;
  if (!p || p.phase === "queued") return "Sync queued…";
  if (p.phase === "scanning") return `Syncing… ${p.done.toLocaleString()} files scanned`;
  return `Syncing… importing ${(p.total ?? 0).toLocaleString()} new tasks`;
}

/** The server's reason, without the "path:" prefix when it is about one field of the form. */
export function storageError(err: unknown): string {
  if (err instanceof ApiError && err.detail === "Validation error") {
    const reasons = Object.values(err.validationErrors).flat();
    if (reasons.length) return reasons.join(" ");
  }
  return errorMessage(err);
}

/** The same folder as typed twice: a trailing slash does not make another one. */
export const samePath = (a: string | undefined, b: string) =>
  (a ?? "").trim().replace(/(.)\/+$/, "$1") === b.replace(/(.)\/+$/, "$1");

export interface Attached {
  storage: Storage;
  /** The folder was attached before: this sync added only files it had not seen. */
  again: boolean;
}

/**
 * The project's local storage for `path`, made if there is none. Attaching the same folder twice would
 * make a second storage that imports every file again, so an existing one is reused (with the new filter).
 */
export async function attachFolder(projectId: number, path: string, regex: string): Promise<Attached> {
  const folder = path.trim();
  const regex_filter = regex.trim() || null;
  const existing = (await listStorages(projectId, "import")).find(
    (s) => s.type === "localfiles" && samePath(s.path, folder),
  );
  if (!existing) {
    const body = { path: folder, regex_filter, use_blob_urls: true, title: folder };
    return { storage: await addStorage(projectId, "import", "localfiles", body), again: false };
  }
  if ((existing.regex_filter ?? null) === regex_filter) return { storage: existing, again: true };
  return { storage: await updateStorage(existing, { regex_filter }), again: true };
}

/** Starts a background sync and follows it to its end; resolves to the finished storage, throws if it failed. */
export async function syncToEnd(
  storage: Storage,
  onProgress: (s: Storage) => void,
  stopped: () => boolean,
): Promise<Storage> {
  let s = await syncStorage("import", storage);
  while (isSyncing(s) && !stopped()) {
    onProgress(s);
    await new Promise((r) => setTimeout(r, POLL_MS));
    try {
      s = await getStorage(storage);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        throw new Error("The folder was removed from the project during the sync.");
      throw err;
    }
  }
  if (s.status === "failed") throw new Error((s.traceback ?? "The sync failed.").split("\n")[0]);
  return s;
}
