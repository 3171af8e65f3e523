/**
 * The HyperText object: task HTML, sanitised (text/sanitize), with its spans. The content's DOM is left
 * exactly as parsed, because span positions are xpaths into it (text/xpath); highlights are boxes from
 * Range.getClientRects() drawn on a layer above the text, which lets clicks and selections through.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { resolveValue, isTrue, type TagNode } from "../config/parse";
import { regionCaption, regionColor } from "../regions";
import { resizeHtmlSpan } from "../text/htmlResize";
import { snap } from "../text/offsets";
import { sanitizeHtml } from "../text/sanitize";
import { pointAtUtf16, rangeOf, spanOf, textRects, toTextPoint, utf16Offset } from "../text/xpath";
import { useEditor, useEditorState, type TextHandle } from "./EditorContext";
import { useHtmlSpanHandles } from "./htmlSpanHandles";
import "../../styles/spanHandles.css";
import { RelationArcs } from "./RelationArcs";
import { useSpanSelection } from "./spans";
import { granularityOf, textOf } from "./TextView";

interface Box {
  id: string;
  color: string;
  caption: string;
  rects: { x: number; y: number; w: number; h: number }[];
}

export function HyperTextView({ node }: { node: TagNode }) {
  const { store, config, data, texts } = useEditor();
  const { doc, ui } = useEditorState();
  const name = node.attrs.name;
  const html = useMemo(() => textOf(resolveValue(node.attrs.value, data)), [node, data]);
  const wrap = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [boxes, setBoxes] = useState<Box[]>([]);
  const [layoutVersion, setLayoutVersion] = useState(0);
  const granularity = granularityOf(node, config.controls);

  // React never renders into the content element: it holds the sanitised nodes, untouched after this.
  useLayoutEffect(() => {
    content.current?.replaceChildren(sanitizeHtml(html));
    setLayoutVersion((v) => v + 1);
  }, [html]);

  useLayoutEffect(() => {
    const el = content.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setLayoutVersion((v) => v + 1));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const regions = useMemo(
    () => doc.regions.filter((r) => r.toName === name && r.shape === "hypertext" && !ui.hidden.has(r.id)),
    [doc.regions, name, ui.hidden],
  );

  useLayoutEffect(() => {
    const el = content.current;
    const w = wrap.current;
    if (!el || !w) return;
    const origin = w.getBoundingClientRect();
    setBoxes(
      regions.flatMap((r) => {
        const range = rangeOf(el, r.geometry);
        if (!range) return [];
        const rects = textRects(range)
          .filter((q) => q.width > 0.5)
          .map((q) => ({ x: q.left - origin.left, y: q.top - origin.top, w: q.width, h: q.height }));
        return [{ id: r.id, color: regionColor(r, config), caption: regionCaption(r, config), rects }];
      }),
    );
  }, [regions, config, layoutVersion]);

  const measure = useCallback(
    (range: Range) => {
      const el = content.current;
      if (!el) return null;
      let a = toTextPoint(el, range.startContainer, range.startOffset, false);
      let b = toTextPoint(el, range.endContainer, range.endOffset, true);
      if (!a || !b) return null;
      if (granularity && granularity !== "symbol") {
        const [s, e] = snap(el.textContent ?? "", utf16Offset(el, a), utf16Offset(el, b), granularity);
        if (e <= s) return null;
        a = pointAtUtf16(el, s, false);
        b = pointAtUtf16(el, e, true);
        if (!a || !b) return null;
      }
      const span = spanOf(el, a, b);
      return span ? { ...span } : null;
    },
    [granularity],
  );

  // Shift+arrows move an edge of the selected span, across elements; under word granularity by words.
  useEffect(() => {
    const handle: TextHandle = {
      resize(id, edge, dir, unit) {
        const r = store.region(id);
        const el = content.current;
        const next = r && el && resizeHtmlSpan(el, r.geometry, edge, dir, granularity === "word" ? "word" : unit);
        if (!r || !next) return false;
        store.updateRegion(id, { geometry: { ...r.geometry, ...next } }, undefined, `resize:${id}`);
        return true;
      },
    };
    texts.set(name, handle);
    return () => {
      if (texts.get(name) === handle) texts.delete(name);
    };
  }, [texts, name, store, granularity]);

  const idsAt = useCallback(
    (e: MouseEvent) => {
      const w = wrap.current;
      if (!w) return [];
      const o = w.getBoundingClientRect();
      const [x, y] = [e.clientX - o.left, e.clientY - o.top];
      const area = (b: Box) => b.rects.reduce((s, q) => s + q.w * q.h, 0);
      return boxes
        .filter((b) => b.rects.some((q) => x >= q.x && x <= q.x + q.w && y >= q.y && y <= q.y + q.h))
        .sort((p, q) => area(p) - area(q))
        .map((b) => b.id);
    },
    [boxes],
  );

  useHtmlSpanHandles(wrap, content, store, granularity);

  useSpanSelection({
    root: content,
    object: name,
    kind: "hypertext",
    measure,
    idsAt,
    enabled: node.attrs.selectionenabled !== "false",
  });

  const rectOf = useCallback(
    (id: string) =>
      wrap.current?.querySelector(`.span-box[data-region="${CSS.escape(id)}"]`)?.getBoundingClientRect() ?? null,
    [],
  );
  const selected = new Set(ui.selected);
  // One selected, unlocked span gets handles: at the start of its first line and the end of its last.
  const grab =
    ui.selected.length === 1 && !ui.locked.has(ui.selected[0]) ? boxes.find((b) => b.id === ui.selected[0]) : null;
  const first = grab?.rects[0];
  const last = grab?.rects[grab.rects.length - 1];
  return (
    <div ref={wrap} className={`hypertext-view${ui.relationFrom ? " relating" : ""}`} data-testid={`hypertext-${name}`}>
      <div
        ref={content}
        className="hypertext-content"
        onClick={(e) => {
          // Links in task HTML do not navigate unless the config says so (Label Studio's clickableLinks).
          if ((e.target as Element).closest?.("a") && !isTrue(node.attrs.clickablelinks)) e.preventDefault();
        }}
      />
      <div className="span-layer" aria-hidden="true">
        {boxes.map((b) =>
          b.rects.map((q, i) => (
            <div
              key={`${b.id}-${i}`}
              className={`span-box${selected.has(b.id) ? " sel" : ""}`}
              data-region={b.id}
              style={{ left: q.x, top: q.y, width: q.w, height: q.h, "--c": b.color } as React.CSSProperties}
            >
              {i === 0 && <span className="span-caption">{b.caption}</span>}
            </div>
          )),
        )}
        {grab && first && last && (
          <>
            <div
              className="html-span-handle start"
              data-handle="start"
              data-span={grab.id}
              style={{ left: first.x, top: first.y, height: first.h, "--c": grab.color } as React.CSSProperties}
            />
            <div
              className="html-span-handle end"
              data-handle="end"
              data-span={grab.id}
              style={{ left: last.x + last.w, top: last.y, height: last.h, "--c": grab.color } as React.CSSProperties}
            />
          </>
        )}
      </div>
      <RelationArcs container={wrap} rectOf={rectOf} version={boxes} />
    </div>
  );
}
