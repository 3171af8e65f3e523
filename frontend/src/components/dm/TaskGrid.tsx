/** Thumbnails in rows of cards; virtualized by rows like the table. */
import { useEffect, useRef, useState } from "react";
import type { Task } from "../../api/types";
import type { Column } from "../../lib/columns";
import { isSelected, toggle, type Selection } from "../../lib/selection";
import { dataText, Thumbnail } from "./cells";
import type { RowSource } from "./TaskTable";
import { EmptyTasks } from "./EmptyTasks";
import { useScaledVirtualizer } from "./useScaledVirtualizer";

const CARD_WIDTH = 200;
const ROW_HEIGHT = 188;

interface Props {
  columns: Column[];
  rows: RowSource;
  selection: Selection;
  onSelect: (sel: Selection) => void;
  onRange: (first: number, last: number) => void;
  resetKey: string;
  /** Opens a task in the editor when its card is clicked (the checkbox only selects). */
  onOpen?: (task: Task) => void;
  /** Filters are on: an empty grid means nothing matches, not an empty project. */
  filtered: boolean;
  onImport?: () => void;
}

export function TaskGrid({ columns, rows, selection, onSelect, onRange, resetKey, onOpen, filtered, onImport }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const image = columns.find((c) => c.kind === "image");
  const text = columns.find((c) => c.kind === "data");
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const perRow = Math.max(1, Math.floor((width - 12) / (CARD_WIDTH + 12)));
  const { virtualizer, items, spacer, top } = useScaledVirtualizer({
    count: Math.ceil(rows.total / perRow),
    itemSize: ROW_HEIGHT,
    scrollRef,
    paddingStart: 12,
    overscan: 2,
  });
  const first = (items[0]?.index ?? 0) * perRow;
  const last = ((items[items.length - 1]?.index ?? 0) + 1) * perRow - 1;
  useEffect(() => onRange(first, last), [first, last, onRange]);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [resetKey, virtualizer]);

  return (
    <div className="scroller" ref={scrollRef} aria-label="Tasks as a grid">
      <div style={{ height: spacer, position: "relative" }}>
        {items.map((item) => (
          <div
            key={item.key}
            className="grid-row"
            style={{ transform: `translateY(${top(item.start)}px)`, height: ROW_HEIGHT - 12 }}
          >
            {Array.from({ length: perRow }, (_, col) => {
              const index = item.index * perRow + col;
              if (index >= rows.total) return <div key={col} className="grid-card placeholder" />;
              const task = rows.taskAt(index);
              const selected = task ? isSelected(selection, task.id) : false;
              return (
                <div
                  key={col}
                  className={`grid-card${selected ? " selected" : ""}${onOpen ? " openable" : ""}`}
                  data-testid={task ? `task-card-${task.id}` : undefined}
                  onClick={(e) => {
                    if (task && onOpen && !(e.target as HTMLElement).closest("input, button, a")) onOpen(task);
                  }}
                >
                  <div className="grid-img">
                    {task && image && task.data?.[image.field!] ? (
                      <Thumbnail taskId={task.id} field={image.field!} size={256} className="" />
                    ) : task && text ? (
                      <span className="muted" style={{ padding: 8, fontSize: 12 }}>
                        {dataText(task.data?.[text.field!]).slice(0, 160)}
                      </span>
                    ) : null}
                  </div>
                  <div className="grid-meta">
                    {task && (
                      <input
                        type="checkbox"
                        aria-label={`Select task ${task.id}`}
                        checked={selected}
                        onChange={() => onSelect(toggle(selection, task.id))}
                      />
                    )}
                    <span>{task ? `#${task.id}` : "…"}</span>
                    <span className="spacer" />
                    {task && (
                      <span>
                        {task.total_annotations} ann · {task.total_predictions} pred
                      </span>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {!rows.isLoading && !rows.error && rows.total === 0 && <EmptyTasks filtered={filtered} onImport={onImport} />}
    </div>
  );
}
