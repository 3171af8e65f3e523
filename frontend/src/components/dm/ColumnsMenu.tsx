/** Show or hide columns; the choice is saved with the tab. */
import type { Column } from "../../lib/columns";
import { Menu } from "../Menu";

interface Props {
  columns: Column[];
  hidden: string[];
  onChange: (hidden: string[]) => void;
}

export function ColumnsMenu({ columns, hidden, onChange }: Props) {
  const off = new Set(hidden);
  return (
    <Menu label="Columns">
      {() => (
        <>
          <div className="menu-title">Show columns</div>
          {columns.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={!off.has(c.id)}
                onChange={() => onChange(off.has(c.id) ? hidden.filter((h) => h !== c.id) : [...hidden, c.id])}
              />
              {c.field ? <code>{c.title}</code> : c.title}
            </label>
          ))}
        </>
      )}
    </Menu>
  );
}
