/** A button that opens a list of actions; Escape, outside clicks and arrow keys work as expected. */
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

interface Props {
  label: ReactNode;
  ariaLabel?: string;
  className?: string;
  align?: "left" | "right";
  disabled?: boolean;
  children: (close: () => void) => ReactNode;
}

export function Menu({ label, ariaLabel, className = "btn", align = "left", disabled, children }: Props) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    const first = wrap.current?.querySelector<HTMLElement>(".menu button:not(:disabled), .menu a, .menu input");
    first?.focus();
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = Array.from(
      wrap.current?.querySelectorAll<HTMLElement>(".menu button:not(:disabled), .menu a, .menu input") ?? [],
    );
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(at + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length];
    next?.focus();
    e.preventDefault();
  };

  return (
    <div className="menu-wrap" ref={wrap} onKeyDown={onKeyDown}>
      <button
        ref={button}
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && (
        <div className={`menu${align === "right" ? " right" : ""}`} role="menu" id={id}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
