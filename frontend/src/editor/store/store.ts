/**
 * The editor's state outside React: the annotation (a Doc) with undo/redo, and view state that is not
 * part of the annotation (selection, hidden and locked regions, the active tool and labels). Every change
 * replaces `state` with a new object and tells subscribers, so React reads it with useSyncExternalStore
 * and the canvas redraws from it.
 */
import type { Control } from "../config/parse";
import {
  EMPTY_DOC,
  editedOrigin,
  newId,
  type Classification,
  type Doc,
  type ImageMeta,
  type Region,
  type Relation,
} from "./doc";

export type ToolName = "select" | "rectangle" | "polygon" | "ellipse" | "keypoint" | "brush" | "eraser" | "pan";

export interface UiState {
  selected: string[];
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  tool: ToolName;
  /** Control name -> the label values picked for the next region (or for the selected one). */
  activeLabels: Readonly<Record<string, string[]>>;
  brushSize: number;
  /** Picking the target of a new relation from this region. */
  relationFrom: string | null;
  /** The region just drawn, selected because it was drawn (not picked): a label key then labels the next
   * region instead of relabelling this one, so "pick a label, draw, pick the next, draw" works as before. */
  drawn: string | null;
}

export interface EditorState {
  doc: Doc;
  ui: UiState;
  canUndo: boolean;
  canRedo: boolean;
  /** Increases with every change of the annotation (not of the view): drives draft autosave. */
  revision: number;
}

const HISTORY_LIMIT = 200;

const INITIAL_UI: UiState = {
  selected: [],
  hidden: new Set(),
  locked: new Set(),
  tool: "select",
  activeLabels: {},
  brushSize: 20,
  relationFrom: null,
  drawn: null,
};

export class EditorStore {
  state: EditorState;
  private past: Doc[] = [];
  private future: Doc[] = [];
  private lastMerge: string | null = null;
  private listeners = new Set<() => void>();

  constructor(doc: Doc = EMPTY_DOC, ui: Partial<UiState> = {}) {
    this.state = { doc, ui: { ...INITIAL_UI, ...ui }, canUndo: false, canRedo: false, revision: 0 };
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): EditorState => this.state;

  private emit(next: EditorState): void {
    this.state = next;
    for (const fn of [...this.listeners]) fn();
  }

  /**
   * Change the annotation. Edits with the same `merge` key in a row make one undo step (typing, dragging);
   * any other edit, undo or redo ends the run.
   */
  apply(fn: (doc: Doc) => Doc, merge: string | null = null): void {
    const prev = this.state.doc;
    const doc = fn(prev);
    if (doc === prev) return;
    if (merge === null || merge !== this.lastMerge) {
      this.past.push(prev);
      if (this.past.length > HISTORY_LIMIT) this.past.shift();
    }
    this.future = [];
    this.lastMerge = merge;
    this.commit(doc, this.state.ui);
  }

  private commit(doc: Doc, ui: UiState): void {
    const ids = new Set(doc.regions.map((r) => r.id));
    const selected = ui.selected.filter((id) => ids.has(id));
    const relationFrom = ui.relationFrom && ids.has(ui.relationFrom) ? ui.relationFrom : null;
    const fixedUi =
      selected.length !== ui.selected.length || relationFrom !== ui.relationFrom
        ? { ...ui, selected, relationFrom }
        : ui;
    this.emit({
      doc,
      ui: fixedUi,
      canUndo: this.past.length > 0,
      canRedo: this.future.length > 0,
      revision: this.state.revision + (doc === this.state.doc ? 0 : 1),
    });
  }

  /** Ends a merge run, so the next edit starts a new undo step. */
  seal(): void {
    this.lastMerge = null;
  }

  undo(): void {
    const doc = this.past.pop();
    if (!doc) return;
    this.future.push(this.state.doc);
    this.lastMerge = null;
    this.commit(doc, this.state.ui);
  }

  redo(): void {
    const doc = this.future.pop();
    if (!doc) return;
    this.past.push(this.state.doc);
    this.lastMerge = null;
    this.commit(doc, this.state.ui);
  }

  /** A new annotation: history and selection start afresh. */
  load(doc: Doc): void {
    this.past = [];
    this.future = [];
    this.lastMerge = null;
    this.emit({
      doc,
      ui: { ...this.state.ui, selected: [], hidden: new Set(), locked: new Set(), relationFrom: null },
      canUndo: false,
      canRedo: false,
      revision: 0,
    });
  }

  setUi(patch: Partial<UiState>): void {
    this.emit({ ...this.state, ui: { ...this.state.ui, ...patch } });
  }

  // ---- selection and view -----------------------------------------------------------------------------

  select(ids: string[]): void {
    const { ui } = this.state;
    if (ids.length === ui.selected.length && ids.every((id, i) => ui.selected[i] === id)) return;
    this.seal();
    this.setUi({ selected: ids, drawn: null });
  }

  toggleHidden(id: string): void {
    const hidden = new Set(this.state.ui.hidden);
    if (!hidden.delete(id)) hidden.add(id);
    this.setUi({ hidden, selected: this.state.ui.selected.filter((s) => !hidden.has(s)) });
  }

  toggleLocked(id: string): void {
    const locked = new Set(this.state.ui.locked);
    if (!locked.delete(id)) locked.add(id);
    this.setUi({ locked });
  }

  region(id: string): Region | undefined {
    return this.state.doc.regions.find((r) => r.id === id);
  }

  selectedRegion(): Region | undefined {
    const id = this.state.ui.selected[0];
    return id ? this.region(id) : undefined;
  }

  // ---- edits --------------------------------------------------------------------------------------------

  addRegion(region: Region, select = true): void {
    this.apply((d) => ({ ...d, regions: [...d.regions, region] }));
    if (select) this.select([region.id]);
  }

  /** Change a region's shape (geometry or strokes); `image` refreshes its original size and rotation. */
  updateRegion(
    id: string,
    patch: Partial<Pick<Region, "geometry" | "strokes">>,
    image?: ImageMeta,
    merge: string | null = null,
  ): void {
    this.apply(
      (d) => mapRegion(d, id, (r) => ({ ...r, ...patch, origin: editedOrigin(r.origin), image: image ?? r.image })),
      merge,
    );
  }

  deleteRegions(ids: string[]): void {
    const gone = new Set(ids.filter((id) => !this.state.ui.locked.has(id)));
    if (!gone.size) return;
    this.apply((d) => ({
      ...d,
      regions: d.regions.filter((r) => !gone.has(r.id)),
      relations: d.relations.filter((rel) => !gone.has(rel.fromId) && !gone.has(rel.toId)),
    }));
  }

  /**
   * Set what `control` says about a region (its labels, a per-region text or choice); an empty payload
   * removes that part unless it is the region's only one.
   */
  setRegionPart(id: string, control: Control, payload: unknown, merge: string | null = null): void {
    this.apply(
      (d) =>
        mapRegion(d, id, (r) => {
          const empty = payload === undefined || (Array.isArray(payload) && payload.length === 0);
          const has = r.parts.some((p) => p.fromName === control.name);
          let parts = r.parts;
          if (has && empty && r.parts.length > 1) parts = r.parts.filter((p) => p.fromName !== control.name);
          else if (has) parts = r.parts.map((p) => (p.fromName === control.name ? { ...p, payload } : p));
          else if (!empty)
            parts = [
              ...r.parts,
              { fromName: control.name, type: control.type, valueKey: control.valueKey, payload, raw: null },
            ];
          return parts === r.parts ? r : { ...r, parts, origin: editedOrigin(r.origin) };
        }),
      merge,
    );
  }

  /** Set a whole-object control's value (choices, text, rating, number); undefined removes it. */
  setClassification(control: Control, toName: string, payload: unknown, merge: string | null = null): void {
    this.apply((d) => {
      const i = d.classifications.findIndex((c) => c.fromName === control.name && c.toName === toName);
      const empty = payload === undefined || (Array.isArray(payload) && payload.length === 0);
      if (empty) return i < 0 ? d : { ...d, classifications: d.classifications.filter((_, k) => k !== i) };
      const classifications = [...d.classifications];
      if (i >= 0) {
        const old = classifications[i];
        classifications[i] = { ...old, payload, origin: editedOrigin(old.origin) };
      } else {
        const c: Classification = {
          id: newId(),
          fromName: control.name,
          toName,
          type: control.type,
          valueKey: control.valueKey ?? control.type,
          payload,
          origin: "manual",
          raw: null,
        };
        classifications.push(c);
      }
      return { ...d, classifications };
    }, merge);
  }

  addRelation(fromId: string, toId: string): void {
    if (fromId === toId) return;
    this.apply((d) =>
      d.relations.some((r) => r.fromId === fromId && r.toId === toId)
        ? d
        : { ...d, relations: [...d.relations, { fromId, toId, direction: "right", labels: [], raw: null }] },
    );
  }

  updateRelation(index: number, patch: Partial<Pick<Relation, "direction" | "labels">>): void {
    this.apply((d) => ({ ...d, relations: d.relations.map((r, i) => (i === index ? { ...r, ...patch } : r)) }));
  }

  deleteRelation(index: number): void {
    this.apply((d) => ({ ...d, relations: d.relations.filter((_, i) => i !== index) }));
  }
}

function mapRegion(d: Doc, id: string, fn: (r: Region) => Region): Doc {
  let changed = false;
  const regions = d.regions.map((r) => {
    if (r.id !== id) return r;
    const next = fn(r);
    changed ||= next !== r;
    return next;
  });
  return changed ? { ...d, regions } : d;
}
