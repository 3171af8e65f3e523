/**
 * List and Ranker: the List's items as cards, reordered (or sorted into Buckets) by dragging or by keyboard.
 * Keyboard: Tab to an item, ↑/↓/←/→ move the focus, Shift+↑/↓ move the item, Shift+←/→ move it to the
 * next Bucket. The order lives in the result only (ranking.ts); this component draws it and asks for moves.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { resolveValue, type Control, type TagNode } from "../config/parse";
import {
  boardOf,
  listItems,
  locate,
  moveAcross,
  moveBy,
  moveItem,
  rankingOf,
  type ListItem,
  type Ranking,
} from "../ranker/ranking";
import { ErrorText } from "./controls";
import { useEditor, useEditorState } from "./EditorContext";
import { SafeHtml } from "./SafeHtml";
import "../../styles/ranker.css";

function Card({ item }: { item: ListItem }) {
  return (
    <>
      {item.title && <div className="ranker-title">{item.title}</div>}
      {item.body && <div className="ranker-body">{item.body}</div>}
      {item.html !== null && <SafeHtml className="ranker-html" html={item.html} />}
    </>
  );
}

/** A List no Ranker points at: its items, read-only. */
export function ListView({ node }: { node: TagNode }) {
  const { config, data } = useEditor();
  const ranked = config.controls.some((c) => c.type === "ranker" && c.toName.includes(node.attrs.name));
  const items = useMemo(() => listItems(resolveValue(node.attrs.value, data)), [node, data]);
  if (ranked) return null;
  return (
    <div className="ranker" data-testid={`list-${node.attrs.name}`}>
      <section className="ranker-column htx-ranker-column">
        {node.attrs.title && <h4>{node.attrs.title}</h4>}
        <ol className="ranker-items">
          {items.map((it) => (
            <li key={it.id} className="ranker-item htx-ranker-item static">
              <Card item={it} />
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

const DRAG_TYPE = "application/x-labelhive-rank";

export function RankerControl({ control }: { control: Control }) {
  const { store, config, data } = useEditor();
  const { doc } = useEditorState();
  const list = config.objectByName.get(control.toName[0] ?? "");
  const items = useMemo(() => listItems(resolveValue(list?.attrs.value, data)), [list, data]);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const board = useMemo(() => boardOf(control, list?.attrs.title ?? ""), [control, list]);
  const saved = doc.classifications.find((c) => c.fromName === control.name);
  const ranking = useMemo(
    () =>
      rankingOf(
        board,
        items.map((i) => i.id),
        saved?.payload,
      ),
    [board, items, saved?.payload],
  );
  const order = board.columns.map((c) => c.id);
  // A required Ranker without Buckets is answered by any saved order, so the list as it stands needs a way
  // to be chosen without moving an item away and back.
  const canKeep = !saved && control.node.attrs.required === "true" && order.length === 1;
  const root = useRef<HTMLDivElement>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<{ column: string; index: number } | null>(null);

  // After a move by key or drop, keep the focus on the item (React may re-create it in another column);
  // never otherwise, so an undo clicked elsewhere does not pull the focus here.
  const refocus = useRef(false);
  useEffect(() => {
    if (!focusId || !refocus.current) return;
    refocus.current = false;
    root.current?.querySelector<HTMLElement>(`[data-item="${CSS.escape(focusId)}"]`)?.focus();
  }, [focusId, ranking]);

  if (!list || list.tag !== "List")
    return (
      <div className="unsupported" role="alert">
        Ranker “{control.name}” needs a List to rank (toName names none).
      </div>
    );

  const commit = (next: Ranking) => {
    if (next !== ranking) store.setClassification(control, list.attrs.name, next);
  };

  const onKey = (e: React.KeyboardEvent, id: string) => {
    const at = locate(ranking, id);
    if (!at || e.ctrlKey || e.metaKey || e.altKey) return;
    let next: Ranking | null = null;
    let focus: string | undefined;
    const column = ranking[at.column];
    const side = (dir: 1 | -1) => {
      for (let k = order.indexOf(at.column) + dir; k >= 0 && k < order.length; k += dir) {
        const col = ranking[order[k]];
        if (col.length) return col[Math.min(at.index, col.length - 1)];
      }
      return undefined;
    };
    if (e.shiftKey && e.key === "ArrowUp") next = moveBy(ranking, id, -1);
    else if (e.shiftKey && e.key === "ArrowDown") next = moveBy(ranking, id, 1);
    else if (e.shiftKey && e.key === "ArrowLeft") next = moveAcross(ranking, order, id, -1);
    else if (e.shiftKey && e.key === "ArrowRight") next = moveAcross(ranking, order, id, 1);
    else if (e.key === "ArrowUp") focus = column[at.index - 1];
    else if (e.key === "ArrowDown") focus = column[at.index + 1];
    else if (e.key === "ArrowLeft") focus = side(-1);
    else if (e.key === "ArrowRight") focus = side(1);
    else return;
    // Arrows here are for the list, not the editor's pan, seek or span keys listening on the window.
    e.preventDefault();
    e.stopPropagation();
    if (next) {
      commit(next);
      setFocusId(id);
    } else if (focus) setFocusId(focus);
    refocus.current = true;
  };

  const onDrop = (e: React.DragEvent) => {
    const id = e.dataTransfer.getData(DRAG_TYPE);
    const at = dropAt;
    setDropAt(null);
    if (!id || !at) return;
    e.preventDefault();
    const from = locate(ranking, id);
    // The dragged item's own slot counts in the index it was dropped at; below itself, one less.
    const index = from && from.column === at.column && from.index < at.index ? at.index - 1 : at.index;
    commit(moveItem(ranking, id, at.column, index));
    setFocusId(id);
    refocus.current = true;
  };

  /** The slot a drag over a column points at: before the first item whose middle is below the pointer. */
  const slotAt = (e: React.DragEvent, column: string): number => {
    const cards = Array.from((e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>("[data-item]"));
    const i = cards.findIndex((c) => {
      const r = c.getBoundingClientRect();
      return e.clientY < r.top + r.height / 2;
    });
    return i < 0 ? ranking[column].length : i;
  };

  return (
    <>
      <div
        className={`ranker cols-${board.columns.length}`}
        ref={root}
        role="group"
        aria-label={control.name}
        data-testid={`control-${control.name}`}
      >
        {board.columns.map((col) => (
          <section
            key={col.id}
            className="ranker-column htx-ranker-column"
            data-column={col.id}
            onDragOver={(e) => {
              if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
              e.preventDefault();
              const index = slotAt(e, col.id);
              if (dropAt?.column !== col.id || dropAt.index !== index) setDropAt({ column: col.id, index });
            }}
            onDragLeave={(e) => {
              if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropAt(null);
            }}
            onDrop={onDrop}
          >
            {col.title && <h4>{col.title}</h4>}
            <ol className="ranker-items" aria-label={col.title || col.id}>
              {ranking[col.id].map((id, index) => (
                <li
                  key={id}
                  data-item={id}
                  tabIndex={focusId === id || (!focusId && index === 0) ? 0 : -1}
                  className={`ranker-item htx-ranker-item${dropAt?.column === col.id && dropAt.index === index ? " drop-before" : ""}`}
                  draggable
                  aria-roledescription="sortable item"
                  aria-label={`${byId.get(id)?.title || id}, ${index + 1} of ${ranking[col.id].length}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, id);
                    e.dataTransfer.effectAllowed = "move";
                  }}
                  onDragEnd={() => setDropAt(null)}
                  onFocus={() => setFocusId(id)}
                  onKeyDown={(e) => onKey(e, id)}
                >
                  <span className="ranker-rank" aria-hidden>
                    {index + 1}
                  </span>
                  <div className="ranker-card">{byId.get(id) && <Card item={byId.get(id)!} />}</div>
                </li>
              ))}
              {dropAt?.column === col.id && dropAt.index === ranking[col.id].length && (
                <li className="ranker-drop-end" aria-hidden />
              )}
            </ol>
          </section>
        ))}
      </div>
      <ErrorText name={control.name} />
      <p className="hint ranker-hint">
        Drag items, or focus one and press Shift+↑/↓ to move it
        {order.length > 1 ? ", Shift+←/→ to move it to another column" : ""}.
        {canKeep && (
          <button
            type="button"
            className="btn small ranker-keep"
            onClick={() => store.setClassification(control, list.attrs.name, ranking)}
          >
            Keep this order
          </button>
        )}
      </p>
    </>
  );
}
