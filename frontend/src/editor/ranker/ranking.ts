/**
 * Label Studio's List + Ranker as plain data. A ranking maps a column to item ids in order; it is also the
 * result's value: {ranker: {"<column>": [ids]}}. Without Buckets the one column is named after the Ranker
 * itself (Label Studio's `defaultBucket`: the tag's name, not the List's). With Buckets each is a column;
 * unless one is `default="true"`, the List's items start in an extra column "_", which Label Studio also
 * saves. Pure functions: the component only draws a ranking and asks for moves.
 */
import type { Control, ParsedConfig } from "../config/parse";
import { resolveValue } from "../config/parse";
import { newId, type Doc } from "../store/doc";

export interface ListItem {
  id: string;
  title: string;
  body: string;
  html: string | null;
}

export interface Column {
  id: string;
  title: string;
}

export type Ranking = Record<string, string[]>;

/** The column of items not yet put in a Bucket when no Bucket is the default one. */
export const UNSORTED = "_";

/** A List's data: an array of {id, title, body, html}; an item without an id is known by its position. */
export function listItems(value: unknown): ListItem[] {
  if (!Array.isArray(value)) return [];
  return value.map((v, i) => {
    const o: Record<string, unknown> = v && typeof v === "object" ? (v as Record<string, unknown>) : { title: v };
    const str = (x: unknown) => (x === undefined || x === null ? "" : typeof x === "string" ? x : JSON.stringify(x));
    return {
      id: o.id === undefined || o.id === null ? String(i) : String(o.id),
      title: str(o.title),
      body: str(o.body),
      html: typeof o.html === "string" ? o.html : null,
    };
  });
}

export interface Board {
  columns: Column[];
  /** Where items start and where items the saved ranking lacks go. */
  home: string;
}

/** The columns a Ranker shows for a List titled `listTitle`. */
export function boardOf(ranker: Control, listTitle: string): Board {
  const buckets = ranker.node.children.filter((c) => c.tag === "Bucket" && c.attrs.name);
  if (!buckets.length) return { columns: [{ id: ranker.name, title: listTitle }], home: ranker.name };
  const columns = buckets.map((b) => ({ id: b.attrs.name, title: b.attrs.title ?? b.attrs.name }));
  const home = buckets.find((b) => b.attrs.default === "true")?.attrs.name;
  if (home) return { columns, home };
  return { columns: [{ id: UNSORTED, title: listTitle }, ...columns], home: UNSORTED };
}

/**
 * What to show: the saved ranking (or none) over the List's items. Every column is present; items the
 * saved ranking does not place (new in the task, or in a column the config no longer has) go home, and ids
 * that are no longer in the List are dropped from view.
 */
export function rankingOf(board: Board, ids: string[], saved: unknown): Ranking {
  const known = new Set(ids);
  const out: Ranking = Object.fromEntries(board.columns.map((c) => [c.id, [] as string[]]));
  const placed = new Set<string>();
  if (saved && typeof saved === "object" && !Array.isArray(saved)) {
    for (const [col, list] of Object.entries(saved as Record<string, unknown>)) {
      if (!(col in out) || !Array.isArray(list)) continue;
      for (const raw of list) {
        const id = String(raw);
        if (known.has(id) && !placed.has(id)) {
          out[col].push(id);
          placed.add(id);
        }
      }
    }
  }
  out[board.home].push(...ids.filter((id) => !placed.has(id)));
  return out;
}

/**
 * Whether a saved ranking answers a required Ranker. With Buckets, at least one item must sit in a column
 * other than the one items start in: leaving them all there (or moving one and back) picks nothing. Without
 * Buckets every order is an answer, so a saved result is enough: the user moved an item or kept the order.
 * Label Studio itself ignores `required` on a Ranker; this is the meaning closest to its other controls.
 */
export function isRanked(board: Board, saved: unknown): boolean {
  if (!saved || typeof saved !== "object" || Array.isArray(saved)) return false;
  if (!board.columns.some((c) => c.id !== board.home)) return true;
  return board.columns.some((c) => {
    const list = (saved as Record<string, unknown>)[c.id];
    return c.id !== board.home && Array.isArray(list) && list.length > 0;
  });
}

/** Where an item is: its column and index, or null. */
export function locate(r: Ranking, id: string): { column: string; index: number } | null {
  for (const [column, list] of Object.entries(r)) {
    const index = list.indexOf(id);
    if (index >= 0) return { column, index };
  }
  return null;
}

/** Moves `id` to `index` of `column` (clamped); the same ranking object when nothing changes. */
export function moveItem(r: Ranking, id: string, column: string, index: number): Ranking {
  const from = locate(r, id);
  if (!from || !(column in r)) return r;
  const without = r[from.column].filter((x) => x !== id);
  const target = column === from.column ? without : [...r[column]];
  const at = Math.max(0, Math.min(index, target.length));
  if (column === from.column && at === from.index) return r;
  target.splice(at, 0, id);
  return { ...r, [from.column]: without, [column]: target };
}

/** Up or down within its column by `delta` places (the keyboard's Alt+arrows). */
export function moveBy(r: Ranking, id: string, delta: number): Ranking {
  const from = locate(r, id);
  return from ? moveItem(r, id, from.column, from.index + delta) : r;
}

/** To the column before or after (in `order`), at the same height where it fits. */
export function moveAcross(r: Ranking, order: string[], id: string, dir: 1 | -1): Ranking {
  const from = locate(r, id);
  if (!from) return r;
  const next = order[order.indexOf(from.column) + dir];
  return next === undefined ? r : moveItem(r, id, next, from.index);
}

/**
 * Label Studio saves a Ranker's result on submit even when nothing was moved (the List's own order), so a
 * submitted annotation always says how the items stood. Adds that result for every Ranker without one.
 */
export function withDefaultRankings(doc: Doc, config: ParsedConfig, data: Record<string, unknown>): Doc {
  const missing = config.controls.filter(
    (c) => c.type === "ranker" && !doc.classifications.some((x) => x.fromName === c.name),
  );
  if (!missing.length) return doc;
  const added = missing.flatMap((c) => {
    const list = config.objectByName.get(c.toName[0] ?? "");
    if (!list || list.tag !== "List") return [];
    const ids = listItems(resolveValue(list.attrs.value, data)).map((i) => i.id);
    const board = boardOf(c, list.attrs.title ?? "");
    return [
      {
        id: newId(),
        fromName: c.name,
        toName: list.attrs.name,
        type: "ranker",
        valueKey: "ranker",
        payload: rankingOf(board, ids, undefined),
        origin: "manual",
        raw: null,
      },
    ];
  });
  return { ...doc, classifications: [...doc.classifications, ...added] };
}
