/** What the import dialog sends: which files the server accepts, pasted JSON vs CSV, the result line. */
import type { ImportResult } from "../api/types";
import { plural } from "./plural";

/** Label Studio's accepted upload extensions (LS-COMPAT §4). */
export const IMPORT_EXTENSIONS = [
  ".bmp",
  ".csv",
  ".flac",
  ".gif",
  ".htm",
  ".html",
  ".jpg",
  ".jpeg",
  ".json",
  ".m4a",
  ".mp3",
  ".ogg",
  ".png",
  ".svg",
  ".tsv",
  ".txt",
  ".wav",
  ".xml",
  ".mp4",
  ".webm",
  ".webp",
  ".pdf",
];

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

export function splitByType<T extends { name: string }>(files: T[]): { accepted: T[]; rejected: T[] } {
  const accepted: T[] = [];
  const rejected: T[] = [];
  for (const f of files) (IMPORT_EXTENSIONS.includes(extensionOf(f.name)) ? accepted : rejected).push(f);
  return { accepted, rejected };
}

/** Pasted text that starts like JSON is JSON; anything else with a header line is CSV. */
export function pastedKind(text: string): "json" | "csv" | null {
  const t = text.trim();
  if (!t) return null;
  return t.startsWith("[") || t.startsWith("{") ? "json" : "csv";
}

/** Checks pasted JSON locally so a typo is reported with its position before anything is sent. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return `The pasted JSON is not valid: ${(err as Error).message}`;
  }
}


export function importSummary(r: ImportResult): string {
  return `${plural(r.task_count, "task")}, ${plural(r.annotation_count, "annotation")}, ${plural(r.prediction_count, "prediction")} imported`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
