/**
 * What Text, HyperText and Paragraphs share: a selection of text with a label picked becomes a span region;
 * a click on a span selects it (or ends a relation started with Alt+R); a selection made before any label
 * is picked waits for the label key, so "select, then press 1" works as well as "press 1, then select".
 */
import { useCallback, useEffect, useRef } from "react";
import type { Control, ParsedConfig, SpanKind } from "../config/parse";
import type { SpanAction } from "../hotkeys";
import type { Geometry } from "../geometry/shapes";
import { isSpan, newId, type Region, type RegionPart } from "../store/doc";
import type { EditorStore } from "../store/store";
import { useEditor, useEditorState, type TextHandle } from "./EditorContext";

/** The label parts of a new span on `object`: every Labels control on it with picked labels. */
export function spanParts(
  config: ParsedConfig,
  object: string,
  active: Readonly<Record<string, string[]>>,
): RegionPart[] {
  return config.controls
    .filter((c: Control) => c.kind === "labels" && !c.shape && c.toName.includes(object) && active[c.name]?.length)
    .map((c) => ({ fromName: c.name, type: c.type, valueKey: c.valueKey, payload: active[c.name], raw: null }));
}

export function makeSpan(object: string, kind: SpanKind, geometry: Geometry, parts: RegionPart[]): Region {
  return { id: newId(), toName: object, shape: kind, geometry, parts, origin: "manual", image: null };
}

/** A click on text covered by `ids` (innermost first): relate, or select the next of them on each click. */
export function clickSpans(store: EditorStore, ids: string[]): void {
  const { relationFrom, selected } = store.state.ui;
  if (relationFrom) {
    const target = ids.find((id) => id !== relationFrom);
    if (target) store.addRelation(relationFrom, target);
    store.setUi({ relationFrom: null });
    return;
  }
  if (!ids.length) {
    store.select([]);
    return;
  }
  // Repeated clicks on overlapping spans walk through them, innermost first.
  const at = ids.indexOf(selected[0]);
  const next = ids[(at + 1) % ids.length];
  store.select(at >= 0 && ids.length === 1 ? [] : [next]);
}

/**
 * Turns the page's text selection inside `root` into span regions, and clicks into selecting spans.
 * `measure` gives the geometry of a Range (null when it covers nothing of this object); `idsAt` the spans
 * under a click, innermost first. Listens on the document: a drag often ends outside the text.
 */
export function useSpanSelection(opts: {
  root: React.RefObject<HTMLElement | null>;
  object: string;
  kind: SpanKind;
  measure: (range: Range) => Geometry | null;
  idsAt: (e: MouseEvent) => string[];
  enabled: boolean;
}): void {
  const { root, object, kind, measure, idsAt, enabled } = opts;
  const { store, config, hint } = useEditor();
  const { ui } = useEditorState();
  const pending = useRef<Range | null>(null);

  const create = useCallback(
    (range: Range): boolean => {
      const parts = spanParts(config, object, store.state.ui.activeLabels);
      if (!parts.length) return false;
      const geometry = measure(range);
      if (!geometry) return true;
      // Not selected afterwards: the next label picked is for the next span, as in Label Studio.
      store.addRegion(makeSpan(object, kind, geometry, parts), false);
      window.getSelection()?.removeAllRanges();
      return true;
    },
    [config, object, kind, measure, store],
  );

  useEffect(() => {
    const onUp = (e: MouseEvent) => {
      const el = root.current;
      if (e.button !== 0 || !el) return;
      const sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
        pending.current = null;
        if (e.target instanceof Node && el.contains(e.target)) clickSpans(store, idsAt(e));
        return;
      }
      const range = sel.getRangeAt(0);
      if (!enabled || !el.contains(range.startContainer) || !el.contains(range.endContainer)) return;
      // A label key pressed now is for this text, not a relabel of whatever region was selected.
      store.select([]);
      if (create(range)) {
        pending.current = null;
        return;
      }
      if (!config.controls.some((c) => c.kind === "labels" && !c.shape && c.toName.includes(object))) return;
      pending.current = range.cloneRange();
      hint("Now pick a label (or press its key) for the selected text.");
    };
    document.addEventListener("mouseup", onUp);
    return () => document.removeEventListener("mouseup", onUp);
  }, [root, enabled, create, config, object, hint, store, idsAt]);

  // A label picked while the text is still selected labels that text.
  useEffect(() => {
    const range = pending.current;
    const sel = window.getSelection();
    if (!range || !sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    if (sel.getRangeAt(0).toString() !== range.toString()) return;
    // The label stays picked for the next selection too, as if it had been picked first.
    if (create(range)) pending.current = null;
  }, [ui.activeLabels, create]);
}

/** Shift+arrows on a selected text span move its end (with Alt its start; with Ctrl by a word). */
export function runSpanAction(store: EditorStore, texts: Map<string, TextHandle>, action: SpanAction): boolean {
  const r = store.state.ui.selected.length === 1 ? store.selectedRegion() : undefined;
  const text = r && isSpan(r.shape) && !store.state.ui.locked.has(r.id) ? texts.get(r.toName) : undefined;
  if (!r || !text) return false;
  const edge = action.startsWith("spanEnd") ? "end" : "start";
  text.resize(r.id, edge, action.includes("Left") ? -1 : 1, action.endsWith("Word") ? "word" : "char");
  // Taken even when the edge cannot move: the key must not seek a player or flip a pairwise pick instead.
  return true;
}
