/**
 * Page math for the task table: which server pages cover a range of rows, and how a scrollbar that
 * stands for millions of rows maps onto the few million pixels a browser will scroll.
 */

export const PAGE_SIZE = 100;

/** Browsers stop scrolling somewhere between ~17M (Firefox) and ~33M (Chrome) px; stay well under. */
export const MAX_SCROLL_PX = 8_000_000;

export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The 1-based page holding row `index` (0-based). */
export function pageOf(index: number, size = PAGE_SIZE): number {
  return Math.floor(Math.max(0, index) / size) + 1;
}

/** Pages needed to show rows first..last (inclusive, 0-based), never past the last page of `total`. */
export function pagesFor(first: number, last: number, total: number, size = PAGE_SIZE): number[] {
  if (total <= 0 || last < first) return [];
  const lo = pageOf(first, size);
  const hi = Math.min(pageOf(Math.min(last, total - 1), size), pageCount(total, size));
  const pages: number[] = [];
  for (let p = lo; p <= hi; p++) pages.push(p);
  return pages;
}

/** Where row `index` sits inside its page's task list. */
export function offsetInPage(index: number, size = PAGE_SIZE): number {
  return index - (pageOf(index, size) - 1) * size;
}

export interface ScrollScale {
  /** Height of the scrolled spacer element, in real pixels. */
  spacer: number;
  /** Virtual pixels per real pixel of scrolling (1 when everything fits). */
  factor: number;
}

/**
 * `content` virtual pixels squeezed into at most `max` real ones. The factor maps the whole scroll range
 * (spacer - viewport) onto (content - viewport) so the first and last rows are both reachable.
 */
export function scrollScale(content: number, viewport: number, max = MAX_SCROLL_PX): ScrollScale {
  if (content <= max || viewport >= max) return { spacer: content, factor: 1 };
  const factor = Math.max(1, (content - viewport) / Math.max(1, max - viewport));
  return { spacer: max, factor };
}

export function toVirtualOffset(real: number, scale: ScrollScale): number {
  return real * scale.factor;
}

export function toRealOffset(virtual: number, scale: ScrollScale): number {
  return virtual / scale.factor;
}

/** Where an item that starts at `virtualStart` is drawn inside the spacer, given the real scrollTop. */
export function drawnTop(virtualStart: number, realScrollTop: number, scale: ScrollScale): number {
  return virtualStart - toVirtualOffset(realScrollTop, scale) + realScrollTop;
}
