/** Filter rows: column, operator, value typed by the column; applied as you type. */
import type { Conjunction, FilterType } from "../../api/types";
import type { Column } from "../../lib/columns";
import {
  emptyValue,
  isList,
  isRange,
  newRow,
  OPERATOR_LABELS,
  operatorsFor,
  type FilterRow,
  type RowValue,
} from "../../lib/filters";

interface Props {
  columns: Column[];
  rows: FilterRow[];
  conjunction: Conjunction;
  onChange: (rows: FilterRow[], conjunction: Conjunction) => void;
}

function inputType(type: FilterType): string {
  if (type === "Number") return "number";
  if (type === "Datetime") return "datetime-local";
  return "text";
}

function ValueInput({ row, label, onValue }: { row: FilterRow; label: string; onValue: (v: RowValue) => void }) {
  if (row.operator === "empty") {
    return (
      <select aria-label={label} value={String(row.value)} onChange={(e) => onValue(e.target.value)}>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (row.type === "Boolean" && !isList(row.operator)) {
    return (
      <select aria-label={label} value={String(row.value)} onChange={(e) => onValue(e.target.value)}>
        <option value="">choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  if (isRange(row.operator)) {
    const v = typeof row.value === "object" ? row.value : { min: "", max: "" };
    return (
      <span className="range">
        <input
          type={inputType(row.type)}
          step="any"
          aria-label={`${label} from`}
          value={v.min}
          onChange={(e) => onValue({ ...v, min: e.target.value })}
        />
        <span className="muted">and</span>
        <input
          type={inputType(row.type)}
          step="any"
          aria-label={`${label} to`}
          value={v.max}
          onChange={(e) => onValue({ ...v, max: e.target.value })}
        />
      </span>
    );
  }
  return (
    <input
      type={isList(row.operator) ? "text" : inputType(row.type)}
      step="any"
      aria-label={label}
      placeholder={isList(row.operator) ? "values, separated by commas" : "value"}
      value={typeof row.value === "string" ? row.value : ""}
      onChange={(e) => onValue(e.target.value)}
    />
  );
}

export function FilterPanel({ columns, rows, conjunction, onChange }: Props) {
  const byId = new Map(columns.map((c) => [c.id, c]));
  const setRow = (key: string, patch: Partial<FilterRow>) =>
    onChange(
      rows.map((r) => (r.key === key ? { ...r, ...patch } : r)),
      conjunction,
    );
  const add = () => {
    const col = columns.find((c) => c.kind === "data") ?? columns[0];
    onChange([...rows, newRow(col.id, col.type)], conjunction);
  };
  const taskCols = columns.filter((c) => !c.field);
  const dataCols = columns.filter((c) => c.field);

  return (
    <section className="filters" aria-label="Filters">
      {rows.length === 0 && <p className="muted">No filters: every task is shown.</p>}
      {rows.map((row, i) => {
        const label = `Filter ${i + 1}`;
        const known = byId.get(row.column);
        const ops = operatorsFor(row.type);
        return (
          <div className="filter-row" key={row.key}>
            {i === 0 ? (
              <span className="conj">Where</span>
            ) : i === 1 ? (
              <select
                aria-label="Match"
                value={conjunction}
                onChange={(e) => onChange(rows, e.target.value as Conjunction)}
              >
                <option value="and">and</option>
                <option value="or">or</option>
              </select>
            ) : (
              <span className="conj">{conjunction}</span>
            )}
            <select
              aria-label={`${label} column`}
              value={row.column}
              onChange={(e) => {
                const col = byId.get(e.target.value)!;
                const operator = operatorsFor(col.type).includes(row.operator)
                  ? row.operator
                  : operatorsFor(col.type)[0];
                setRow(row.key, { column: col.id, type: col.type, operator, value: emptyValue(operator) });
              }}
            >
              {!known && <option value={row.column}>{row.column.replace(/^tasks:(data\.)?/, "")}</option>}
              <optgroup label="Task">
                {taskCols.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </optgroup>
              {dataCols.length > 0 && (
                <optgroup label="Data">
                  {dataCols.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            <select
              aria-label={`${label} operator`}
              value={row.operator}
              onChange={(e) => {
                const operator = e.target.value;
                const keep =
                  isRange(operator) === isRange(row.operator) && operator !== "empty" && row.operator !== "empty";
                setRow(row.key, { operator, value: keep ? row.value : emptyValue(operator) });
              }}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {OPERATOR_LABELS[op]}
                </option>
              ))}
            </select>
            <ValueInput row={row} label={`${label} value`} onValue={(value) => setRow(row.key, { value })} />
            <button
              className="btn ghost icon"
              aria-label={`Remove filter ${i + 1}`}
              onClick={() =>
                onChange(
                  rows.filter((r) => r.key !== row.key),
                  conjunction,
                )
              }
            >
              ✕
            </button>
          </div>
        );
      })}
      <div className="row">
        <button className="btn small" onClick={add}>
          + Add filter
        </button>
        {rows.length > 0 && (
          <button className="btn ghost small" onClick={() => onChange([], conjunction)}>
            Clear all
          </button>
        )}
      </div>
    </section>
  );
}
