/** The XML editor: a textarea with a line-number gutter that marks the line an error points at. */
import { useRef } from "react";

interface Props {
  id: string;
  value: string;
  onChange: (value: string) => void;
  errorLine: number | null;
  describedBy?: string;
}

export function ConfigEditor({ id, value, onChange, errorLine, describedBy }: Props) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  return (
    <div className={`editor${errorLine ? " invalid" : ""}`}>
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={errorLine === i + 1 ? "bad" : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={id}
        className="code"
        value={value}
        spellCheck={false}
        aria-invalid={errorLine !== null}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
