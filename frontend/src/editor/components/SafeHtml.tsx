/** HTML from a task or project (a list item, the instructions), sanitised as task HTML is (text/sanitize). */
import { useLayoutEffect, useRef } from "react";
import { sanitizeHtml } from "../text/sanitize";

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    el.current?.replaceChildren(sanitizeHtml(html));
  }, [html]);
  return <div className={className} ref={el} />;
}
