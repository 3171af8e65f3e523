/**
 * Relations between spans drawn over text as arcs from span to span (the image draws its own). Anchors are
 * read from the DOM after layout: `rectOf` finds the first box of a region in the view; the layer redraws
 * when regions, relations or the view's size change. It never takes pointer events.
 */
import { useLayoutEffect, useState } from "react";
import type { Relation } from "../store/doc";
import { useEditor, useEditorState } from "./EditorContext";

interface Arc {
  key: string;
  d: string;
  label: { x: number; y: number; text: string } | null;
  rel: Relation;
}

export function RelationArcs({
  container,
  rectOf,
  version,
}: {
  container: React.RefObject<HTMLElement | null>;
  rectOf: (id: string) => DOMRect | null;
  /** Anything whose change moves the spans (their boxes, the text). */
  version: unknown;
}) {
  const { doc } = useEditorState();
  const { store } = useEditor();
  const [arcs, setArcs] = useState<Arc[]>([]);
  const [size, setSize] = useState(0);

  useLayoutEffect(() => {
    const el = container.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize((n) => n + 1));
    ro.observe(el);
    return () => ro.disconnect();
  }, [container]);

  useLayoutEffect(() => {
    const el = container.current;
    if (!el || !doc.relations.length) {
      setArcs([]);
      return;
    }
    const o = el.getBoundingClientRect();
    const at = (id: string) => {
      const r = rectOf(id);
      return r ? { x: r.left - o.left + Math.min(r.width / 2, 10), y: r.top - o.top + 2 } : null;
    };
    const hidden = store.state.ui.hidden;
    setArcs(
      doc.relations.flatMap((rel, i) => {
        if (hidden.has(rel.fromId) || hidden.has(rel.toId)) return [];
        const a = at(rel.fromId);
        const b = at(rel.toId);
        if (!a || !b) return [];
        const lift = 16 + Math.min(36, Math.abs(b.x - a.x) / 10);
        const top = Math.min(a.y, b.y) - lift;
        const d = `M ${a.x} ${a.y} C ${a.x} ${top}, ${b.x} ${top}, ${b.x} ${b.y}`;
        const text = rel.labels.join(", ");
        const label = text ? { x: (a.x + b.x) / 2, y: top + lift * 0.25, text } : null;
        return [{ key: `${i}:${rel.fromId}:${rel.toId}`, d, label, rel }];
      }),
    );
  }, [container, rectOf, doc.relations, doc.regions, version, size, store]);

  if (!arcs.length) return null;
  return (
    <svg className="relation-arcs" aria-hidden="true">
      <defs>
        <marker
          id="arc-head"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" />
        </marker>
      </defs>
      {arcs.map((arc) => (
        <g key={arc.key} data-testid="relation-arc">
          <path
            d={arc.d}
            markerEnd={arc.rel.direction !== "left" ? "url(#arc-head)" : undefined}
            markerStart={arc.rel.direction !== "right" ? "url(#arc-head)" : undefined}
          />
          {arc.label && (
            <text x={arc.label.x} y={arc.label.y} textAnchor="middle">
              {arc.label.text}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
