/**
 * The Text object: the task's text with its entity spans. Offsets are stored in code points (TextIndex) and
 * drawn in UTF-16 indices; a selection snaps to the config's granularity before it becomes a span.
 */
import { useCallback, useEffect, useMemo, useRef } from "react";
import { resolveValue, type TagNode } from "../config/parse";
import { regionCaption, regionColor } from "../regions";
import { resizeSpan, snap, TextIndex } from "../text/offsets";
import { useEditor, useEditorState, type TextHandle } from "./EditorContext";
import { RelationArcs } from "./RelationArcs";
import { pointIndex, SpanText, spanIdsAt, spanRect, type ShownSpan } from "./SpanText";
import { useSpanHandles } from "./spanHandles";
import { useSpanSelection } from "./spans";
import "../../styles/spanHandles.css";

/** A data value as the text to show: strings as they are, anything else as JSON. */
export function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  return typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
}

/** `granularity` of the Labels controls on an object, else of the object itself. */
export function granularityOf(
  node: TagNode,
  controls: { toName: string[]; node: TagNode; kind: string }[],
): string | undefined {
  const name = node.attrs.name;
  const fromLabels = controls.find((c) => c.kind === "labels" && c.toName.includes(name) && c.node.attrs.granularity);
  return fromLabels?.node.attrs.granularity ?? node.attrs.granularity;
}

export function TextView({ node }: { node: TagNode }) {
  const { store, config, data, texts } = useEditor();
  const { doc, ui } = useEditorState();
  const name = node.attrs.name;
  const text = useMemo(() => textOf(resolveValue(node.attrs.value, data)), [node, data]);
  const index = useMemo(() => new TextIndex(text), [text]);
  const root = useRef<HTMLDivElement>(null);
  const granularity = granularityOf(node, config.controls);

  const regions = useMemo(
    () => doc.regions.filter((r) => r.toName === name && r.shape === "text"),
    [doc.regions, name],
  );
  const spans = useMemo<ShownSpan[]>(
    () =>
      regions
        .filter((r) => !ui.hidden.has(r.id))
        .map((r) => ({
          id: r.id,
          start: index.toUtf16(Number(r.geometry.start)),
          end: index.toUtf16(Number(r.geometry.end)),
          color: regionColor(r, config),
          caption: regionCaption(r, config),
        })),
    [regions, ui.hidden, index, config],
  );
  const selected = useMemo(() => new Set(ui.selected), [ui.selected]);

  const measure = useCallback(
    (range: Range) => {
      const el = root.current;
      if (!el) return null;
      const a = pointIndex(el, range.startContainer, range.startOffset);
      const b = pointIndex(el, range.endContainer, range.endOffset);
      if (a === null || b === null) return null;
      const [s, e] = snap(text, a, b, granularity);
      if (e <= s) return null;
      return { start: index.toCodePoint(s), end: index.toCodePoint(e), text: text.slice(s, e) };
    },
    [text, index, granularity],
  );
  // Shift+arrows move an edge of the selected span; under word granularity it stays whole words.
  useEffect(() => {
    const handle: TextHandle = {
      resize(id, edge, dir, unit) {
        const r = store.region(id);
        if (!r) return false;
        const [s0, e0] = [index.toUtf16(Number(r.geometry.start)), index.toUtf16(Number(r.geometry.end))];
        const [s, e] = resizeSpan(text, s0, e0, edge, dir, granularity === "word" ? "word" : unit);
        if (s === s0 && e === e0) return false;
        const geometry = {
          ...r.geometry,
          start: index.toCodePoint(s),
          end: index.toCodePoint(e),
          text: text.slice(s, e),
        };
        store.updateRegion(id, { geometry }, undefined, `resize:${id}`);
        return true;
      },
    };
    texts.set(name, handle);
    return () => {
      if (texts.get(name) === handle) texts.delete(name);
    };
  }, [texts, name, store, text, index, granularity]);

  useSpanHandles(root, store, index, granularity);
  const one = ui.selected.length === 1 ? ui.selected[0] : null;
  const grabbed = one && !ui.locked.has(one) && regions.some((r) => r.id === one) ? one : null;

  const idsAt = useCallback((e: MouseEvent) => spanIdsAt(e.target), []);
  const rectOf = useCallback((id: string) => spanRect(root.current, id), []);
  useSpanSelection({
    root,
    object: name,
    kind: "text",
    measure,
    idsAt,
    enabled: node.attrs.selectionenabled !== "false",
  });

  return (
    <div ref={root} className={`text-tag text-view${ui.relationFrom ? " relating" : ""}`} data-testid={`text-${name}`}>
      <SpanText text={text} spans={spans} selected={selected} handles={grabbed} />
      <RelationArcs container={root} rectOf={rectOf} version={spans} />
    </div>
  );
}
