/** The side panel: every region (virtualized, so thousands stay fast) and the relations between them. */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef } from "react";
import type { ParsedConfig } from "../config/parse";
import { mediaDetail } from "../media/mediaRegions";
import { isMedia, isSpan, regionLabels, type Region } from "../store/doc";
import { regionCaption, regionColor, SHAPE_NAMES } from "../regions";
import { useEditor, useEditorState } from "./EditorContext";

const ROW = 34;
/** A media region's row: its times get a line of their own, since "59:01.250–1:00:00.000" beside a label and
 *  three buttons does not fit the panel's width. */
const ROW_WITH_TIMES = 50;

const detailOf = (r: Region): string | null => (isMedia(r.shape) ? mediaDetail(r) : null);

/** Small line icons: emoji lock glyphs are missing from many Linux fonts. */
/** An icon button on a region's row; the click stays on the button and does not select the row. */
function RowButton(p: { label: string; title: string; icon: IconName; onClick: () => void }) {
  return (
    <button
      type="button"
      className="icon"
      aria-label={p.label}
      title={p.title}
      onClick={(e) => {
        e.stopPropagation();
        p.onClick();
      }}
    >
      <Icon name={p.icon} />
    </button>
  );
}

type IconName = "eye" | "eye-off" | "lock" | "unlock" | "x";

function Icon({ name }: { name: IconName }) {
  const paths = {
    eye: "M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z",
    "eye-off": "M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z M2 2l12 12",
    lock: "M4 7V5a4 4 0 0 1 8 0v2 M3 7h10v7H3z",
    unlock: "M4 7V5a4 4 0 0 1 7.5-2 M3 7h10v7H3z",
    x: "M4 4l8 8 M12 4l-8 8",
  };
  return (
    <svg
      viewBox="0 0 16 16"
      width="14"
      height="14"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <path d={paths[name]} />
    </svg>
  );
}

function RegionRow({ r, index }: { r: Region; index: number }) {
  const { store, config } = useEditor();
  const { ui } = useEditorState();
  const selected = ui.selected.includes(r.id);
  const hidden = ui.hidden.has(r.id);
  const locked = ui.locked.has(r.id);
  const labels = regionLabels(r, config);
  const texts = r.parts.flatMap((p) =>
    p.type === "textarea" && Array.isArray(p.payload) ? p.payload.map(String) : [],
  );
  const detail = detailOf(r);
  return (
    <div
      className={`region-row${detail ? " with-detail" : ""}${selected ? " selected" : ""}${hidden ? " hidden" : ""}`}
      role="option"
      aria-selected={selected}
      data-testid={`region-${index + 1}`}
      onClick={(e) => {
        // While a relation waits for its target, a row is a target too (the only way for spans off screen).
        const from = store.state.ui.relationFrom;
        const sel = store.state.ui.selected;
        if (from && from !== r.id) {
          store.addRelation(from, r.id);
          store.setUi({ relationFrom: null });
        } else if (e.shiftKey) store.select(selected ? sel.filter((id) => id !== r.id) : [...sel, r.id]);
        else store.select(selected ? [] : [r.id]);
      }}
    >
      <span className="swatch" style={{ background: regionColor(r, config) }} />
      <span className="num">{index + 1}</span>
      <span
        className="caption"
        title={`${SHAPE_NAMES[r.shape]}${r.origin?.startsWith("prediction") ? " (prediction)" : ""}`}
      >
        {selected && labels && labels.control.labels.length > 1 && !locked ? (
          <select
            aria-label="Change label"
            value={labels.values[0] ?? ""}
            onClick={(e) => e.stopPropagation()}
            onChange={(e) => store.setRegionPart(r.id, labels.control, [e.target.value])}
          >
            {labels.control.labels.map((l) => (
              <option key={l.value}>{l.value}</option>
            ))}
          </select>
        ) : (
          regionCaption(r, config)
        )}
        {isSpan(r.shape) && typeof r.geometry.text === "string" && (
          <span className="texts span-text">{r.geometry.text}</span>
        )}
        {texts.length > 0 && <span className="texts">“{texts.join(" · ")}”</span>}
      </span>
      {r.origin === "prediction" && <span className="badge pred">pred</span>}
      <RowButton
        label={hidden ? "Show region" : "Hide region"}
        title={hidden ? "Show" : "Hide"}
        icon={hidden ? "eye-off" : "eye"}
        onClick={() => store.toggleHidden(r.id)}
      />
      <RowButton
        label={locked ? "Unlock region" : "Lock region"}
        title={locked ? "Unlock" : "Lock"}
        icon={locked ? "lock" : "unlock"}
        onClick={() => store.toggleLocked(r.id)}
      />
      <button
        type="button"
        className="icon"
        aria-label="Delete region"
        title="Delete"
        disabled={locked}
        onClick={(e) => {
          e.stopPropagation();
          store.deleteRegions([r.id]);
        }}
      >
        <Icon name="x" />
      </button>
      {detail && (
        <span className="detail" title={detail}>
          {detail}
        </span>
      )}
    </div>
  );
}

function Relations() {
  const { store, config } = useEditor();
  const { doc, ui } = useEditorState();
  const control = config.controls.find((c) => c.kind === "relations");
  const index = new Map(doc.regions.map((r, i) => [r.id, i + 1]));
  if (!doc.relations.length && !ui.relationFrom) return null;
  return (
    <section className="relations" aria-label="Relations">
      <h3>Relations ({doc.relations.length})</h3>
      {ui.relationFrom && (
        <p className="hint">Click the region (or its row) to relate #{index.get(ui.relationFrom)} to (Esc cancels).</p>
      )}
      {doc.relations.map((rel, i) => (
        <div key={i} className="relation-row" data-testid={`relation-${i + 1}`}>
          <span>#{index.get(rel.fromId) ?? "?"}</span>
          <button
            type="button"
            className="btn ghost small"
            title="Direction"
            aria-label="Change direction"
            onClick={() =>
              store.updateRelation(i, {
                direction: rel.direction === "right" ? "left" : rel.direction === "left" ? "bi" : "right",
              })
            }
          >
            {rel.direction === "right" ? "→" : rel.direction === "left" ? "←" : "↔"}
          </button>
          <span>#{index.get(rel.toId) ?? "?"}</span>
          {control && control.labels.length > 0 && (
            <select
              aria-label="Relation label"
              value={rel.labels[0] ?? ""}
              onChange={(e) => store.updateRelation(i, { labels: e.target.value ? [e.target.value] : [] })}
            >
              <option value="">—</option>
              {control.labels.map((l) => (
                <option key={l.value}>{l.value}</option>
              ))}
            </select>
          )}
          <button type="button" className="icon" aria-label="Delete relation" onClick={() => store.deleteRelation(i)}>
            ✕
          </button>
        </div>
      ))}
    </section>
  );
}

/** How regions are made on this config's first object that has them. */
function drawHint(config: ParsedConfig): string {
  const tags = config.objects.map((o) => o.tag);
  if (tags.includes("Image")) return "draw on the image";
  if (tags.includes("Audio")) return "drag on the waveform";
  if (tags.includes("Video")) return "draw on the video or drag on its frame ruler";
  return "select text";
}

export function RegionList() {
  const { store, config } = useEditor();
  const { doc, ui } = useEditorState();
  const scroller = useRef<HTMLDivElement>(null);
  const regions = doc.regions;
  // Sizes follow the region, not its index, so a row keeps its height when regions before it go.
  const itemKey = useCallback((i: number) => regions[i].id, [regions]);
  const virtual = useVirtualizer({
    count: regions.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (detailOf(regions[i]) ? ROW_WITH_TIMES : ROW),
    getItemKey: itemKey,
    overscan: 10,
  });
  const selectedIndex = ui.selected.length ? regions.findIndex((r) => r.id === ui.selected[0]) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtual.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtual]);
  const selected = selectedIndex >= 0 ? regions[selectedIndex] : undefined;
  return (
    <aside className="region-panel" aria-label="Regions">
      <div className="panel-head">
        <h3>Regions ({regions.length})</h3>
        {selected && (
          <button
            type="button"
            className="btn small"
            title="Relate to another region (Alt+R)"
            onClick={() => store.setUi({ relationFrom: selected.id })}
          >
            Relate…
          </button>
        )}
      </div>
      {regions.length === 0 ? (
        <p className="hint">No regions yet. Pick a label, then {drawHint(config)}.</p>
      ) : (
        <div className="region-scroll" ref={scroller} role="listbox" aria-label="Region list">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((v) => (
              <div
                key={regions[v.index].id}
                style={{ position: "absolute", top: v.start, left: 0, right: 0, height: v.size }}
              >
                <RegionRow r={regions[v.index]} index={v.index} />
              </div>
            ))}
          </div>
        </div>
      )}
      <Relations />
    </aside>
  );
}
