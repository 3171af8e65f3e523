/**
 * A string with highlighted spans, drawn as one element per run of text between span boundaries
 * (offsets.segments), never per character: a megabyte of text with a few entities is a handful of nodes.
 * Label captions are CSS ::before content, so they are never part of the DOM text or of a selection and
 * offsets read from the DOM stay offsets into the string.
 */
import { memo, useMemo } from "react";
import { segments } from "../text/offsets";

export interface ShownSpan {
  id: string;
  /** UTF-16 indices into the text, end exclusive. */
  start: number;
  end: number;
  color: string;
  caption: string;
}

interface Props {
  text: string;
  spans: ShownSpan[];
  selected: ReadonlySet<string>;
  /** The span whose edges get drag handles (zero-width elements: no text, so offsets are unchanged). */
  handles?: string | null;
}

function Handle({ id, edge }: { id: string; edge: "start" | "end" }) {
  return <span className={`span-handle ${edge}`} data-handle={edge} data-span={id} aria-hidden />;
}

function SpanTextImpl({ text, spans, selected, handles }: Props) {
  const grab = handles ? spans.find((s) => s.id === handles) : undefined;
  const segs = useMemo(() => segments(text.length, spans), [text.length, spans]);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  return (
    <>
      {segs.map((seg) => {
        const chunk = text.slice(seg.start, seg.end);
        if (!seg.ids.length)
          return (
            <span key={seg.start} className="seg" data-o={seg.start}>
              {chunk}
            </span>
          );
        // Innermost (shortest) first: it gives the fill, every span an underline band of its own.
        const covering = seg.ids.map((id) => byId.get(id)!).sort((a, b) => a.end - a.start - (b.end - b.start));
        const starting = covering.filter((s) => s.start === seg.start);
        const isSelected = covering.some((s) => selected.has(s.id));
        return (
          <span
            key={seg.start}
            className={`seg hl${isSelected ? " sel" : ""}`}
            data-o={seg.start}
            data-ids={covering.map((s) => s.id).join(" ")}
            data-label={starting.length ? starting.map((s) => s.caption).join(" · ") : undefined}
            style={
              {
                "--c": covering[0].color,
                "--chip": (starting[0] ?? covering[0]).color,
                boxShadow: covering.map((s, k) => `inset 0 -${2 * (k + 1)}px 0 ${s.color}`).join(", "),
              } as React.CSSProperties
            }
          >
            {grab?.start === seg.start && <Handle id={grab.id} edge="start" />}
            {chunk}
            {grab?.end === seg.end && <Handle id={grab.id} edge="end" />}
          </span>
        );
      })}
    </>
  );
}

export const SpanText = memo(SpanTextImpl);

/**
 * A DOM boundary point inside an element rendered by SpanText -> a UTF-16 index into its text, or null
 * when the point is not in it.
 */
export function pointIndex(container: Element, node: Node, offset: number): number | null {
  if (!container.contains(node)) return null;
  const segOf = (n: Node | null): HTMLElement | null => {
    const el = n && (n.nodeType === 1 ? (n as Element) : n.parentElement);
    const seg = el?.closest<HTMLElement>("[data-o]");
    return seg && container.contains(seg) ? seg : null;
  };
  const start = (seg: HTMLElement) => Number(seg.dataset.o);
  if (node.nodeType === 3) {
    const seg = segOf(node);
    return seg ? start(seg) + offset : null;
  }
  const el = node as Element;
  if (el.hasAttribute?.("data-o")) return start(el as HTMLElement) + (offset > 0 ? (el.textContent ?? "").length : 0);
  const child = el.childNodes[offset];
  if (child) {
    const seg =
      child.nodeType === 1
        ? (child as Element).matches("[data-o]")
          ? (child as HTMLElement)
          : (child as Element).querySelector<HTMLElement>("[data-o]")
        : segOf(child);
    if (seg) return start(seg);
  }
  const all = el.querySelectorAll<HTMLElement>("[data-o]");
  const last = all[all.length - 1];
  return last ? start(last) + (last.textContent ?? "").length : null;
}

/** The span ids under a clicked element, innermost first. */
export function spanIdsAt(target: EventTarget | null): string[] {
  const el = target instanceof Element ? target.closest<HTMLElement>("[data-ids]") : null;
  return el?.dataset.ids ? el.dataset.ids.split(" ") : [];
}

/** The first line box of a span inside `root`, for drawing relations. */
export function spanRect(root: Element | null, id: string): DOMRect | null {
  const el = root?.querySelector(`[data-ids~="${CSS.escape(id)}"]`);
  return el?.getClientRects()[0] ?? null;
}
