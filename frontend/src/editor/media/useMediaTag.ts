/** What the Audio and Video tags share around their players: their width, and their keyboard handle. */
import { useCallback, useEffect, useLayoutEffect, useState } from "react";
import { useEditor, type MediaHandle } from "../components/EditorContext";

/** An element's width in CSS pixels, kept current as it resizes (the waveform and picture are sized by it). */
export function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/**
 * Offers a player's handle to the keyboard under its object name. The keys go to the player used last, so
 * the returned `markUsed` (called on a pointer-down in the tag) moves it to the end of the editor's map.
 */
export function useMediaHandle(name: string, handle: MediaHandle): () => void {
  const { media } = useEditor();
  const markUsed = useCallback(() => {
    media.delete(name);
    media.set(name, handle);
  }, [media, name, handle]);
  useEffect(() => {
    markUsed();
    return () => {
      if (media.get(name) === handle) media.delete(name);
    };
  }, [media, name, handle, markUsed]);
  return markUsed;
}
