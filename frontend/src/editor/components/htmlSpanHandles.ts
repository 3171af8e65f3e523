/**
 * Drag handles on the edges of the selected HyperText span. The handles sit on the highlight layer, over
 * the task's HTML; dragging one moves that edge to the caret under the pointer, across elements (to whole
 * words under word granularity), and saves the value a mouse selection of the new extent would have.
 */
import { useEffect } from "react";
import type { EditorStore } from "../store/store";
import { snap } from "../text/offsets";
import { pointAtUtf16, rangeOf, spanOf, toTextPoint, utf16Offset } from "../text/xpath";
import { caretAt, dragHandle } from "./spanHandles";

/** The UTF-16 offsets in the content's text that a stored span covers. */
function extent(el: HTMLElement, geometry: Record<string, unknown>): [number, number] | null {
  const range = rangeOf(el, geometry);
  const a = range && toTextPoint(el, range.startContainer, range.startOffset, false);
  const b = range && toTextPoint(el, range.endContainer, range.endOffset, true);
  return a && b ? [utf16Offset(el, a), utf16Offset(el, b)] : null;
}

export function useHtmlSpanHandles(
  wrap: React.RefObject<HTMLElement | null>,
  content: React.RefObject<HTMLElement | null>,
  store: EditorStore,
  granularity: string | undefined,
): void {
  useEffect(() => {
    const box = wrap.current;
    const el = content.current;
    if (!box || !el) return;
    const onDown = (e: PointerEvent) =>
      dragHandle(e, box, store, (ev, id, edge) => {
        const r = store.region(id);
        const at = caretAt(ev.clientX, ev.clientY);
        const p = at && el.contains(at.node) ? toTextPoint(el, at.node, at.offset, edge === "end") : null;
        const now = r && extent(el, r.geometry);
        if (!r || !p || !now) return;
        const i = utf16Offset(el, p);
        let [s, end] = edge === "start" ? [i, now[1]] : [now[0], i];
        // Dragged past the other edge: the span keeps at least one character rather than turning inside out.
        if (end <= s) return;
        if (granularity && granularity !== "symbol") [s, end] = snap(el.textContent ?? "", s, end, granularity);
        const a = pointAtUtf16(el, s, false);
        const b = pointAtUtf16(el, end, true);
        const span = a && b ? spanOf(el, a, b) : null;
        if (!span || (s === now[0] && end === now[1])) return;
        store.updateRegion(id, { geometry: { ...r.geometry, ...span } }, undefined, `resize:${id}`);
      });
    box.addEventListener("pointerdown", onDown);
    return () => box.removeEventListener("pointerdown", onDown);
  }, [wrap, content, store, granularity]);
}
