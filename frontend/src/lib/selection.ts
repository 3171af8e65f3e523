/**
 * Which tasks are selected: some ids, or "all matching the filter" minus some ids. The second form is
 * what lets a bulk action cover a million tasks without the browser ever knowing their ids.
 */
import type { SelectedItems } from "../api/types";

export interface Selection {
  all: boolean;
  /** Excluded ids when `all`, included ids otherwise. */
  ids: ReadonlySet<number>;
}

export const NOTHING: Selection = { all: false, ids: new Set() };
export const EVERYTHING: Selection = { all: true, ids: new Set() };

export function isSelected(sel: Selection, id: number): boolean {
  return sel.all !== sel.ids.has(id);
}

export function toggle(sel: Selection, id: number): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: sel.all, ids };
}

export function selectedCount(sel: Selection, total: number): number {
  return sel.all ? Math.max(0, total - sel.ids.size) : sel.ids.size;
}

export function headerState(sel: Selection, total: number): "none" | "some" | "all" {
  const n = selectedCount(sel, total);
  if (n === 0) return "none";
  return n === total ? "all" : "some";
}

/** The header checkbox: select all matching tasks, or clear when everything already is. */
export function toggleAll(sel: Selection, total: number): Selection {
  return headerState(sel, total) === "all" ? NOTHING : EVERYTHING;
}

/** The selection for /api/dm/actions; nothing selected means the action runs on all matching tasks. */
export function toSelectedItems(sel: Selection): SelectedItems {
  if (sel.all) return { all: true, excluded: [...sel.ids] };
  if (sel.ids.size === 0) return { all: true, excluded: [] };
  return { all: false, included: [...sel.ids] };
}
