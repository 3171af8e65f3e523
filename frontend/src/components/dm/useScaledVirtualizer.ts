/**
 * TanStack Virtual over fixed-height rows, with the scrollbar scaled when the rows would be taller than
 * a browser can scroll (about a million rows): the virtualizer works in virtual pixels, the element in
 * real ones, and rows are drawn where the viewport shows them (see lib/paging's drawnTop).
 */
import { elementScroll, observeElementOffset, observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useRef, useState, type RefObject } from "react";
import { drawnTop, scrollScale, toRealOffset, type ScrollScale } from "../../lib/paging";

interface Options {
  count: number;
  itemSize: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Height of the sticky header above the first row. */
  paddingStart?: number;
  overscan?: number;
}

export function useScaledVirtualizer({ count, itemSize, scrollRef, paddingStart = 0, overscan = 10 }: Options) {
  const [rect, setRect] = useState({ width: 0, height: 0 });
  const content = paddingStart + count * itemSize;
  const scale: ScrollScale = scrollScale(content, rect.height || 800);
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => itemSize,
    paddingStart,
    overscan,
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (r) => {
        setRect((old) => (old.width === r.width && old.height === r.height ? old : r));
        cb(r);
      }),
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(offset * scaleRef.current.factor, isScrolling)),
    scrollToFn: (offset, options, instance) => elementScroll(toRealOffset(offset, scaleRef.current), options, instance),
  });

  const realScrollTop = toRealOffset(virtualizer.scrollOffset ?? 0, scale);
  return {
    virtualizer,
    items: virtualizer.getVirtualItems(),
    spacer: scale.spacer,
    width: rect.width,
    /** Where to draw an item inside the spacer. */
    top: (virtualStart: number) => drawnTop(virtualStart, realScrollTop, scale),
  };
}
