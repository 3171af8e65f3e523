/**
 * The Paragraphs object (dialogue transcripts): a list of {author, text} items. A span runs from a
 * paragraph to a paragraph; Label Studio stores their indices as strings ("0") and the offsets inside the
 * first and last paragraph as numbers, here in code points like Text, so Python slices them as shown.
 */
import { useCallback, useEffect, useMemo, useRef } from "react";
import { resolveValue, type TagNode } from "../config/parse";
import { regionCaption, regionColor } from "../regions";
import { snap, TextIndex } from "../text/offsets";
import { ParagraphText } from "../text/paragraphs";
import { useEditor, useEditorState, type TextHandle } from "./EditorContext";
import { RelationArcs } from "./RelationArcs";
import { pointIndex, SpanText, spanIdsAt, spanRect, type ShownSpan } from "./SpanText";
import { useSpanSelection } from "./spans";
import { granularityOf, textOf } from "./TextView";

interface Para {
  author: string;
  text: string;
  index: TextIndex;
}

const AUTHOR_COLORS = ["#e0f2fe", "#fef3c7", "#dcfce7", "#fce7f3", "#ede9fe", "#ffedd5"];

/** Where a Range boundary falls: paragraph number and UTF-16 index in its text. */
function paraPoint(root: Element, node: Node, offset: number, isEnd: boolean): [number, number] | null {
  const texts = Array.from(root.querySelectorAll<HTMLElement>("[data-pt]"));
  const inside = (node.nodeType === 1 ? (node as Element) : node.parentElement)?.closest<HTMLElement>("[data-pt]");
  if (inside && root.contains(inside)) {
    const i = pointIndex(inside, node, offset);
    if (i !== null) return [Number(inside.dataset.pt), i];
  }
  // Outside a paragraph's text (on an author name, between paragraphs): the nearest text inward.
  const at = document.createRange();
  at.setStart(node, offset);
  const after = texts.findIndex((t) => at.comparePoint(t, 0) >= 0);
  if (!isEnd) return after >= 0 ? [Number(texts[after].dataset.pt), 0] : null;
  const last = (after < 0 ? texts.length : after) - 1;
  return last >= 0 ? [Number(texts[last].dataset.pt), (texts[last].textContent ?? "").length] : null;
}

export function ParagraphsView({ node }: { node: TagNode }) {
  const { store, config, data, texts } = useEditor();
  const { doc, ui } = useEditorState();
  const name = node.attrs.name;
  const nameKey = node.attrs.namekey ?? "author";
  const textKey = node.attrs.textkey ?? "text";
  const root = useRef<HTMLDivElement>(null);
  const granularity = granularityOf(node, config.controls);
  const paras = useMemo<Para[]>(() => {
    const v = resolveValue(node.attrs.value, data);
    const list = Array.isArray(v) ? v : [];
    return list.map((item) => {
      const o = (item && typeof item === "object" ? item : { [textKey]: item }) as Record<string, unknown>;
      const text = textOf(o[textKey]);
      return { author: textOf(o[nameKey]), text, index: new TextIndex(text) };
    });
  }, [node, data, nameKey, textKey]);
  const authors = useMemo(() => [...new Set(paras.map((p) => p.author))], [paras]);

  const regions = useMemo(
    () => doc.regions.filter((r) => r.toName === name && r.shape === "paragraph" && !ui.hidden.has(r.id)),
    [doc.regions, name, ui.hidden],
  );
  /** Per paragraph, the parts of spans that cover it. */
  const perPara = useMemo(() => {
    const out: ShownSpan[][] = paras.map(() => []);
    for (const r of regions) {
      const [a, b] = [Number(r.geometry.start), Number(r.geometry.end)];
      const color = regionColor(r, config);
      const caption = regionCaption(r, config);
      for (let i = Math.max(0, a); i <= Math.min(b, paras.length - 1); i++) {
        const p = paras[i];
        const start = i === a ? p.index.toUtf16(Number(r.geometry.startOffset)) : 0;
        const end = i === b ? p.index.toUtf16(Number(r.geometry.endOffset)) : p.text.length;
        out[i].push({ id: r.id, start, end, color, caption: i === a ? caption : "" });
      }
    }
    return out;
  }, [regions, paras, config]);
  const selected = useMemo(() => new Set(ui.selected), [ui.selected]);

  const measure = useCallback(
    (range: Range) => {
      const el = root.current;
      if (!el) return null;
      const a = paraPoint(el, range.startContainer, range.startOffset, false);
      const b = paraPoint(el, range.endContainer, range.endOffset, true);
      if (!a || !b) return null;
      let [[pa, sa], [pb, sb]] = [a, b];
      if (pa === pb) [sa, sb] = snap(paras[pa].text, sa, sb, granularity);
      if (pa > pb || (pa === pb && sb <= sa)) return null;
      const text =
        pa === pb
          ? paras[pa].text.slice(sa, sb)
          : [paras[pa].text.slice(sa), ...paras.slice(pa + 1, pb).map((p) => p.text), paras[pb].text.slice(0, sb)].join(
              "\n",
            );
      return {
        start: String(pa),
        end: String(pb),
        startOffset: paras[pa].index.toCodePoint(sa),
        endOffset: paras[pb].index.toCodePoint(sb),
        text,
      };
    },
    [paras, granularity],
  );
  // Shift+arrows move an edge of the selected span, across paragraph breaks.
  useEffect(() => {
    const flat = new ParagraphText(paras.map((p) => p.text));
    const handle: TextHandle = {
      resize(id, edge, dir, unit) {
        const r = store.region(id);
        const g = r?.geometry;
        if (!r || !g) return false;
        const span = {
          start: Number(g.start),
          startOffset: Number(g.startOffset),
          end: Number(g.end),
          endOffset: Number(g.endOffset),
          text: String(g.text ?? ""),
        };
        const next = flat.resize(span, edge, dir, granularity === "word" ? "word" : unit);
        if (!next) return false;
        const geometry = { ...g, ...next, start: String(next.start), end: String(next.end) };
        store.updateRegion(id, { geometry }, undefined, `resize:${id}`);
        return true;
      },
    };
    texts.set(name, handle);
    return () => {
      if (texts.get(name) === handle) texts.delete(name);
    };
  }, [texts, name, store, paras, granularity]);

  const idsAt = useCallback((e: MouseEvent) => spanIdsAt(e.target), []);
  const rectOf = useCallback((id: string) => spanRect(root.current, id), []);
  useSpanSelection({
    root,
    object: name,
    kind: "paragraph",
    measure,
    idsAt,
    enabled: node.attrs.selectionenabled !== "false",
  });

  const dialogue = node.attrs.layout === "dialogue";
  return (
    <div ref={root} className={`paragraphs${dialogue ? " dialogue" : ""}`} data-testid={`paragraphs-${name}`}>
      {paras.map((p, i) => (
        <div
          key={i}
          className="para"
          style={dialogue ? { background: AUTHOR_COLORS[authors.indexOf(p.author) % AUTHOR_COLORS.length] } : undefined}
        >
          {p.author && <span className="para-author">{p.author}</span>}
          <span className="para-text" data-pt={i}>
            <SpanText text={p.text} spans={perPara[i]} selected={selected} />
          </span>
        </div>
      ))}
      <RelationArcs container={root} rectOf={rectOf} version={perPara} />
    </div>
  );
}
