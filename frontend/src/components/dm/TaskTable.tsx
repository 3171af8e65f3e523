/** The virtualized task table: a sticky header, rows drawn only where the viewport is. */
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Task, User } from "../../api/types";
import { sortDirection, type Column } from "../../lib/columns";
import { headerState, isSelected, toggle, toggleAll, type Selection } from "../../lib/selection";
import { CellValue, isNumeric } from "./cells";
import { EmptyTasks } from "./EmptyTasks";
import { useScaledVirtualizer } from "./useScaledVirtualizer";

export const ROW_HEIGHT = 36;
const SELECT_WIDTH = 40;

export interface RowSource {
  total: number;
  isLoading: boolean;
  /** Set when the last page request failed: the table then claims nothing about what matches. */
  error?: unknown;
  taskAt: (index: number) => Task | undefined;
}

interface Props {
  columns: Column[];
  rows: RowSource;
  users: Map<number, User>;
  selection: Selection;
  onSelect: (sel: Selection) => void;
  ordering: string[];
  onSort: (columnId: string) => void;
  onRange: (first: number, last: number) => void;
  /** Changes when the query changes: the table scrolls back to the top. */
  resetKey: string;
  /** Opens a task in the editor: a click on its row, or Enter on the focused row. */
  onOpen?: (task: Task) => void;
  /** A column's new width, when the user has finished dragging (or pressed an arrow on) its edge. */
  onResize?: (columnId: string, width: number) => void;
  /** Filters are on: an empty table means nothing matches, not an empty project. */
  filtered: boolean;
  /** Opens the import dialog, offered when the project has no tasks. */
  onImport?: () => void;
}

const MIN_WIDTH = 50;
const MAX_WIDTH = 1200;
const clampWidth = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));

/** The grip on a header's right edge: drag it, or focus it and press ←/→. */
function ResizeGrip({
  column,
  onLive,
  onDone,
}: {
  column: Column;
  onLive: (width: number | null) => void;
  onDone: (width: number) => void;
}) {
  return (
    <div
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${column.title}`}
      aria-valuenow={column.width}
      tabIndex={0}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        const step = e.key === "ArrowRight" ? 20 : e.key === "ArrowLeft" ? -20 : 0;
        if (!step) return;
        e.preventDefault();
        onDone(clampWidth(column.width + step));
      }}
      onPointerDown={(e) => {
        e.preventDefault();
        const grip = e.currentTarget;
        const startX = e.clientX;
        let width = column.width;
        grip.setPointerCapture(e.pointerId);
        const move = (ev: PointerEvent) => {
          width = clampWidth(column.width + ev.clientX - startX);
          onLive(width);
        };
        const up = () => {
          grip.removeEventListener("pointermove", move);
          grip.removeEventListener("pointerup", up);
          onLive(null);
          if (width !== column.width) onDone(width);
        };
        grip.addEventListener("pointermove", move);
        grip.addEventListener("pointerup", up);
      }}
    />
  );
}

function HeaderCheckbox({
  selection,
  total,
  onSelect,
}: {
  selection: Selection;
  total: number;
  onSelect: (s: Selection) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const state = headerState(selection, total);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === "some";
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all matching tasks"
      checked={state === "all"}
      disabled={total === 0}
      onChange={() => onSelect(toggleAll(selection, total))}
    />
  );
}

export function TaskTable({
  columns,
  rows,
  users,
  selection,
  onSelect,
  ordering,
  onSort,
  onRange,
  resetKey,
  onOpen,
  onResize,
  filtered,
  onImport,
}: Props) {
  // While a grip is dragged, its column follows the pointer here; the tab saves the width on release.
  const [dragging, setDragging] = useState<{ id: string; width: number } | null>(null);
  columns = dragging ? columns.map((c) => (c.id === dragging.id ? { ...c, width: dragging.width } : c)) : columns;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The keyboard's row: arrows move it, Enter opens its task, Space selects it.
  const [cursor, setCursor] = useState<number | null>(null);
  const { virtualizer, items, spacer, top } = useScaledVirtualizer({
    count: rows.total,
    itemSize: ROW_HEIGHT,
    scrollRef,
    paddingStart: ROW_HEIGHT,
  });
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => onRange(first, last), [first, last, onRange]);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
    setCursor(null);
  }, [resetKey, virtualizer]);

  // ↑/↓ work on arrival: once there are rows, the table takes the focus if nothing else has it (a dialog or
  // a field keeps its own).
  const hasRows = rows.total > 0;
  useEffect(() => {
    const el = scrollRef.current;
    const idle = document.activeElement === null || document.activeElement === document.body;
    if (el && hasRows && idle) el.focus({ preventScroll: true });
  }, [hasRows]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || rows.total === 0) return; // typing in a cell's control, not navigating
    const page = Math.max(1, items.length - 2);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves || e.key === "Home" || e.key === "End") {
      e.preventDefault();
      const from = cursor ?? (e.key === "ArrowUp" ? first + 1 : first - 1);
      const next = e.key === "Home" ? 0 : e.key === "End" ? rows.total - 1 : from + moves[e.key];
      const clamped = Math.min(rows.total - 1, Math.max(0, next));
      setCursor(clamped);
      virtualizer.scrollToIndex(clamped, { align: "auto" });
      return;
    }
    const task = cursor !== null ? rows.taskAt(cursor) : undefined;
    if (!task) return;
    if (e.key === "Enter" && onOpen) {
      e.preventDefault();
      onOpen(task);
    } else if (e.key === " ") {
      e.preventDefault();
      onSelect(toggle(selection, task.id));
    }
  };

  const width = SELECT_WIDTH + columns.reduce((w, c) => w + c.width, 0);
  return (
    <div
      className="scroller"
      ref={scrollRef}
      role="table"
      aria-label="Tasks"
      aria-rowcount={rows.total + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
      title="↑/↓ move, Enter opens the task, Space selects it"
    >
      <div style={{ height: Math.max(spacer, ROW_HEIGHT), minWidth: "100%", width, position: "relative" }}>
        <div className="thead" role="row" aria-rowindex={1} style={{ width: "100%", minWidth: width }}>
          <div className="th sel" role="columnheader">
            <HeaderCheckbox selection={selection} total={rows.total} onSelect={onSelect} />
          </div>
          {columns.map((c) => {
            const dir = sortDirection(ordering, c.id);
            return (
              <div
                key={c.id}
                className="th"
                role="columnheader"
                style={{ width: c.width, justifyContent: isNumeric(c) ? "flex-end" : undefined }}
                aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
              >
                {c.sortable ? (
                  <button className="sort" onClick={() => onSort(c.id)} title={`Sort by ${c.title}`}>
                    <span>{c.title}</span>
                    {dir && (
                      <span className="arrow" aria-hidden="true">
                        {dir === "asc" ? "▲" : "▼"}
                      </span>
                    )}
                  </button>
                ) : (
                  <span title={c.title}>{c.title}</span>
                )}
                {onResize && (
                  <ResizeGrip
                    column={c}
                    onLive={(w) => setDragging(w === null ? null : { id: c.id, width: w })}
                    onDone={(w) => onResize(c.id, w)}
                  />
                )}
              </div>
            );
          })}
          <div className="filler" aria-hidden="true" />
        </div>
        {items.map((item) => {
          const task = rows.taskAt(item.index);
          const selected = task ? isSelected(selection, task.id) : false;
          return (
            <div
              key={item.key}
              className={`tr${selected ? " selected" : ""}${item.index === cursor ? " cursor" : ""}${onOpen ? " openable" : ""}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-current={item.index === cursor ? "true" : undefined}
              data-testid={task ? `task-row-${task.id}` : undefined}
              onClick={(e) => {
                // The checkbox selects; anywhere else on the row opens the task.
                if (!task || !onOpen || (e.target as HTMLElement).closest("input, button, a")) return;
                setCursor(item.index);
                onOpen(task);
              }}
              style={{ transform: `translateY(${top(item.start)}px)`, width: "100%", minWidth: width }}
            >
              <div className="td sel" role="cell">
                {task && (
                  <input
                    type="checkbox"
                    aria-label={`Select task ${task.id}`}
                    checked={selected}
                    onChange={() => onSelect(toggle(selection, task.id))}
                  />
                )}
              </div>
              {columns.map((c) => (
                <div
                  key={c.id}
                  className={`td${isNumeric(c) ? " num" : ""}`}
                  role="cell"
                  data-column={c.id}
                  style={{ width: c.width }}
                >
                  {task ? <CellValue column={c} task={task} users={users} /> : <div className="skeleton" />}
                </div>
              ))}
              <div className="filler" aria-hidden="true" />
            </div>
          );
        })}
      </div>
      {!rows.isLoading && !rows.error && rows.total === 0 && <EmptyTasks filtered={filtered} onImport={onImport} />}
    </div>
  );
}
