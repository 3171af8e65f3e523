/** The settle rule (stream/settle.ts) for a component: when it was first painted, and whether it is ready. */
import { useCallback, useEffect, useRef, useState } from "react";
import { SETTLE_MS, settled } from "../stream/settle";

export function useSettle(): { ready: boolean; fresh: (eventAt: number) => boolean } {
  const shownAt = useRef<number | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let timer = 0;
    // rAF callbacks run just before the frame is painted: the first one after mount is the frame showing it.
    const frame = requestAnimationFrame(() => {
      shownAt.current = performance.now();
      timer = window.setTimeout(() => setReady(true), SETTLE_MS);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, []);
  /** Whether an event (by its timeStamp) came late enough to be meant for what this component shows. */
  const fresh = useCallback((eventAt: number) => settled(shownAt.current, eventAt), []);
  return { ready, fresh };
}
