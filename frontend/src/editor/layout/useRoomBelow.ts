/**
 * How tall a picture may be so that the page ends at the window's bottom edge: the window's height less
 * what stands above the picture and what has to stay visible below it (the tags after it in the config).
 * The side column stands beside the picture (the app is at least 1024px wide, so it always fits there).
 *
 * Only sizes that do not depend on the picture's own height are measured, so shrinking it never feeds back
 * into the measure: the space above it and the tags after it in block (not side-by-side) containers. A flex
 * row's other items sit beside the picture, not under it, so they are left out.
 */
import { useLayoutEffect, useState, type RefObject } from "react";

/** Never smaller than this: a config with a lot above its image still gets a usable one (and scrolls). */
export const MIN_PICTURE_HEIGHT = 240;
/** Where the labeling page's editor starts, under the app's header and the task bar. */
const LABELING_PAGE_TOP = 150;
/** The labeling page's bottom padding and a little air. */
const BOTTOM_SPACE = 28;

function isRow(el: Element): boolean {
  const s = getComputedStyle(el);
  if (s.display.includes("grid")) return true;
  return s.display.includes("flex") && !s.flexDirection.startsWith("column");
}

/** The height the tags after `el` take up below it, up to (not including) `stop`. */
function heightBelow(el: Element, stop: Element): number {
  let below = 0;
  for (let node: Element = el; node !== stop && node.parentElement; node = node.parentElement) {
    const parent = node.parentElement;
    if (isRow(parent)) continue;
    const last = parent.lastElementChild;
    if (last && last !== node) below += last.getBoundingClientRect().bottom - node.getBoundingClientRect().bottom;
  }
  return Math.max(0, below);
}

export function measureRoom(picture: Element): number {
  const main = picture.closest(".editor-main");
  // A screen previewed further down a page (the config editor's) is sized as the labeling page would show
  // it: as if it started below that page's header and task bar.
  const preview = picture.closest(".interface-preview");
  const origin = preview ? preview.getBoundingClientRect().top - LABELING_PAGE_TOP : -window.scrollY;
  const top = picture.getBoundingClientRect().top - origin;
  const below = main ? heightBelow(picture, main) : 0;
  return Math.max(MIN_PICTURE_HEIGHT, Math.floor(window.innerHeight - top - below - BOTTOM_SPACE));
}

/** The room for the picture in `ref` (see measureRoom), measured again when the window or the layout changes. */
export function useRoomBelow(ref: RefObject<HTMLElement | null>): number {
  const [room, setRoom] = useState(() => Math.max(MIN_PICTURE_HEIGHT, window.innerHeight - 230));
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setRoom(measureRoom(el));
    const layout = el.closest(".editor-layout") ?? el.parentElement;
    const ro = new ResizeObserver(measure);
    if (layout) {
      ro.observe(layout);
      for (const child of Array.from(layout.children)) ro.observe(child);
    }
    window.addEventListener("resize", measure);
    measure();
    return () => {
      ro.disconnect();
      window.removeEventListener("resize", measure);
    };
  }, [ref]);
  return room;
}
