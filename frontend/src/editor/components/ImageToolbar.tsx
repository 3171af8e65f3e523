/** Tools and view controls above an image: the drawing tools its config allows, zoom, rotation, filters. */
import { isTrue, type ShapeType, type TagNode } from "../config/parse";
import type { ToolName } from "../store/store";
import { useEditor, useEditorState, type ImageHandle } from "./EditorContext";

const TOOL_FOR: Record<ShapeType, { tool: ToolName; label: string; key: string }[]> = {
  rectangle: [{ tool: "rectangle", label: "Rectangle", key: "R" }],
  polygon: [{ tool: "polygon", label: "Polygon", key: "P" }],
  ellipse: [{ tool: "ellipse", label: "Ellipse", key: "O" }],
  keypoint: [{ tool: "keypoint", label: "Key point", key: "K" }],
  brush: [
    { tool: "brush", label: "Brush", key: "B" },
    { tool: "eraser", label: "Eraser", key: "E" },
  ],
};

interface Props {
  node: TagNode;
  tools: ShapeType[];
  handle: ImageHandle;
  filters: { brightness: number; contrast: number };
  onFilters: (f: { brightness: number; contrast: number }) => void;
  /** Screen pixels per image pixel: 1 is the image at its own size, whatever fits the view. */
  zoom: number;
  /** The image view's width: the bar ends where the image does, so zoom sits by it, not across the page. */
  width?: number;
}

export function ImageToolbar({ node, tools, handle, filters, onFilters, zoom, width }: Props) {
  const { store } = useEditor();
  const { ui } = useEditorState();
  const a = node.attrs;
  const list = [
    { tool: "select" as ToolName, label: "Select", key: "V" },
    { tool: "pan" as ToolName, label: "Pan", key: "H" },
    ...tools.flatMap((s) => TOOL_FOR[s]),
  ];
  return (
    <div
      className="image-toolbar"
      role="toolbar"
      aria-label={`Tools for ${a.name}`}
      style={{ maxWidth: width ? Math.max(width, 360) : undefined }}
    >
      {tools.length > 0 && (
        <div className="seg-group">
          {list.map((t) => (
            <button
              key={t.tool}
              type="button"
              className={`btn small seg${ui.tool === t.tool ? " active" : ""}`}
              aria-pressed={ui.tool === t.tool}
              title={`${t.label} (${t.key})`}
              onClick={() => store.setUi({ tool: t.tool })}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      {tools.includes("brush") && (
        <label className="brush-size">
          Size
          <input
            type="range"
            min={1}
            max={100}
            value={ui.brushSize}
            aria-label="Brush size"
            onChange={(e) => store.setUi({ brushSize: Number(e.target.value) })}
          />
          <span>{ui.brushSize}px</span>
        </label>
      )}
      <span className="spacer" />
      {isTrue(a.zoomcontrol) && (
        <div className="seg-group" aria-label="Zoom">
          <button
            type="button"
            className="btn small seg"
            title="Zoom out (-)"
            aria-label="Zoom out"
            onClick={() => handle.zoom(1 / 1.25)}
          >
            −
          </button>
          <button type="button" className="btn small seg" title="Fit (F)" aria-label="Fit image" onClick={handle.fit}>
            {Math.round(zoom * 100)}%
          </button>
          <button
            type="button"
            className="btn small seg"
            title="Zoom in (+)"
            aria-label="Zoom in"
            onClick={() => handle.zoom(1.25)}
          >
            +
          </button>
        </div>
      )}
      {isTrue(a.rotatecontrol) && (
        <div className="seg-group" aria-label="Rotate">
          <button
            type="button"
            className="btn small seg"
            title="Rotate left (Shift+L)"
            aria-label="Rotate left"
            onClick={() => handle.rotate(-90)}
          >
            ⟲
          </button>
          <button
            type="button"
            className="btn small seg"
            title="Rotate right (Shift+R)"
            aria-label="Rotate right"
            onClick={() => handle.rotate(90)}
          >
            ⟳
          </button>
        </div>
      )}
      {isTrue(a.brightnesscontrol) && (
        <FilterSlider
          label="Brightness"
          value={filters.brightness}
          onChange={(brightness) => onFilters({ ...filters, brightness })}
        />
      )}
      {isTrue(a.contrastcontrol) && (
        <FilterSlider
          label="Contrast"
          value={filters.contrast}
          onChange={(contrast) => onFilters({ ...filters, contrast })}
        />
      )}
    </div>
  );
}

/** An Image valueList's images, one at a time: previous, "2 / 5", next. */
export function ImagePager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <div className="image-pager" role="group" aria-label="Images of this task">
      <button
        type="button"
        className="btn small"
        aria-label="Previous image"
        disabled={page === 0}
        onClick={() => onPage(page - 1)}
      >
        ‹
      </button>
      <span data-testid="image-page">
        {page + 1} / {pages}
      </span>
      <button
        type="button"
        className="btn small"
        aria-label="Next image"
        disabled={page >= pages - 1}
        onClick={() => onPage(page + 1)}
      >
        ›
      </button>
    </div>
  );
}

/** A percentage slider for one image filter (brightness, contrast). */
function FilterSlider({ label, value, onChange }: { label: string; value: number; onChange: (v: number) => void }) {
  return (
    <label className="brush-size">
      {label}
      <input
        type="range"
        min={10}
        max={300}
        value={value}
        aria-label={label}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </label>
  );
}
