/** A value once it has stopped changing for `ms`: for work that should not run on every keystroke. */
import { useEffect, useState } from "react";

export function useDebounced<T>(value: T, ms: number): T {
  const [held, setHeld] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setHeld(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return held;
}
