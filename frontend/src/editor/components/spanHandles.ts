/**
 * Drag handles on the edges of the selected text span: dragging one moves that edge to the character under
 * the pointer (to whole words under word granularity). Code-point offsets, as the keyboard's resize keys.
 */
import { useEffect } from "react";
import type { EditorStore } from "../store/store";
import { snap, type TextIndex } from "../text/offsets";
import { pointIndex } from "./SpanText";

/** The DOM position of the caret nearest a point of the screen. */
export function caretAt(x: number, y: number): { node: Node; offset: number } | null {
  const pos = document.caretPositionFromPoint?.(x, y);
  if (pos) return { node: pos.offsetNode, offset: pos.offset };
  const range = document.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : null;
}

/**
 * A pointerdown inside `box`: when it is on a span handle (data-handle="start|end", data-span=id) of an
 * unlocked span, follow the drag until the button comes up, calling `move` for each pointer move. The whole
 * drag is one undo step.
 */
export function dragHandle(
  e: PointerEvent,
  box: HTMLElement,
  store: EditorStore,
  move: (ev: PointerEvent, id: string, edge: "start" | "end") => void,
): void {
  const handle = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-handle]") : null;
  const id = handle?.dataset.span;
  if (!handle || !id || e.button !== 0 || store.state.ui.locked.has(id)) return;
  const edge = handle.dataset.handle === "start" ? "start" : "end";
  // No text selection, and no mouseup that would read as a click on the span.
  e.preventDefault();
  store.seal();
  // The handles follow the edge under the pointer; hit-testing them would read a caret inside them.
  box.classList.add("span-dragging");
  const onMove = (ev: PointerEvent) => move(ev, id, edge);
  const up = () => {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", up);
    box.classList.remove("span-dragging");
    store.seal();
  };
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", up);
}

export function useSpanHandles(
  root: React.RefObject<HTMLElement | null>,
  store: EditorStore,
  index: TextIndex,
  granularity: string | undefined,
): void {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const text = index.text;
    const onDown = (e: PointerEvent) =>
      dragHandle(e, el, store, (ev, id, edge) => {
        const r = store.region(id);
        const at = caretAt(ev.clientX, ev.clientY);
        const i = at && pointIndex(el, at.node, at.offset);
        if (!r || i === null || i === undefined) return;
        const [s0, e0] = [index.toUtf16(Number(r.geometry.start)), index.toUtf16(Number(r.geometry.end))];
        const [s, end] = snap(text, edge === "start" ? i : s0, edge === "end" ? i : e0, granularity);
        const [start, stop] = [index.toCodePoint(s), index.toCodePoint(end)];
        // Dragged past the other edge: the span keeps at least one character rather than turning inside out.
        if (stop <= start || (edge === "start" ? s > e0 : end < s0)) return;
        if (start === r.geometry.start && stop === r.geometry.end) return;
        const geometry = { ...r.geometry, start, end: stop, text: text.slice(s, end) };
        store.updateRegion(id, { geometry }, undefined, `resize:${id}`);
      });
    el.addEventListener("pointerdown", onDown);
    return () => el.removeEventListener("pointerdown", onDown);
  }, [root, store, index, granularity]);
}
