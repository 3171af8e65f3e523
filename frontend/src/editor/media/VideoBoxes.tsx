/**
 * The boxes over a video at the frame shown, in an SVG of the displayed size. Values are percent of the frame
 * (Label Studio's), converted to pixels only here. Drag on empty video = new track; drag a box = move it, drag
 * a corner = resize it: either puts a keyframe on the frame shown.
 */
import { useRef, useState } from "react";
import type { Box } from "./interpolate";
import { clamp } from "./timeline";

export interface ShownBox {
  id: string;
  box: Box;
  color: string;
  caption: string;
  selected: boolean;
  locked: boolean;
  /** A keyframe is on this frame (drawn solid), else the box is interpolated or held (dashed). */
  keyframe: boolean;
}

interface Props {
  width: number;
  height: number;
  boxes: ShownBox[];
  /** Colour of a new box; null when no box can be drawn (no VideoRectangle). */
  drawColor: string | null;
  onSelect: (id: string | null) => void;
  onCreate: (box: Box) => void;
  onChange: (id: string, box: Box, done: boolean) => void;
  onStart: () => void;
}

type Corner = "nw" | "ne" | "sw" | "se";
type Drag =
  | { mode: "create"; x0: number; y0: number; moved: boolean }
  | { mode: "move" | Corner; x0: number; y0: number; moved: boolean; id: string; box: Box };

const MIN_PX = 4;

/** Resize a box by dragging one corner; the opposite corner stays put and the box never turns inside out. */
function resize(b: Box, corner: Corner, dx: number, dy: number): Box {
  let { x, y, width, height } = b;
  if (corner.includes("w")) {
    const nx = clamp(x + dx, 0, x + width - 0.5);
    width += x - nx;
    x = nx;
  } else width = clamp(width + dx, 0.5, 100 - x);
  if (corner.includes("n")) {
    const ny = clamp(y + dy, 0, y + height - 0.5);
    height += y - ny;
    y = ny;
  } else height = clamp(height + dy, 0.5, 100 - y);
  return { ...b, x, y, width, height };
}

export function VideoBoxes({ width, height, boxes, drawColor, onSelect, onCreate, onChange, onStart }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  const [draft, setDraft] = useState<Box | null>(null);

  /** Pointer -> percent of the frame. */
  const at = (e: React.PointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    return {
      x: clamp(((e.clientX - r.left) / width) * 100, 0, 100),
      y: clamp(((e.clientY - r.top) / height) * 100, 0, 100),
    };
  };

  const onPointerDown = (e: React.PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    const p = at(e);
    const el = e.target as Element;
    const id = el.closest("[data-box]")?.getAttribute("data-box");
    const shown = id ? boxes.find((b) => b.id === id) : undefined;
    const corner = el.getAttribute("data-corner") as Corner | null;
    onStart();
    if (shown) {
      onSelect(shown.id);
      if (!shown.locked)
        drag.current = { mode: corner ?? "move", x0: p.x, y0: p.y, moved: false, id: shown.id, box: shown.box };
    } else if (drawColor) drag.current = { mode: "create", x0: p.x, y0: p.y, moved: false };
    else onSelect(null);
    if (drag.current) e.currentTarget.setPointerCapture(e.pointerId);
  };

  const boxFrom = (d: Drag, p: { x: number; y: number }): Box => {
    const dx = p.x - d.x0;
    const dy = p.y - d.y0;
    if (d.mode === "create")
      return { x: Math.min(d.x0, p.x), y: Math.min(d.y0, p.y), width: Math.abs(dx), height: Math.abs(dy), rotation: 0 };
    if (d.mode === "move")
      return {
        ...d.box,
        x: clamp(d.box.x + dx, 0, 100 - d.box.width),
        y: clamp(d.box.y + dy, 0, 100 - d.box.height),
      };
    return resize(d.box, d.mode, dx, dy);
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const p = at(e);
    if (!d.moved && Math.hypot(((p.x - d.x0) * width) / 100, ((p.y - d.y0) * height) / 100) < MIN_PX) return;
    d.moved = true;
    const b = boxFrom(d, p);
    if (d.mode === "create") setDraft(b);
    else onChange(d.id, b, false);
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    setDraft(null);
    if (!d) return;
    if (!d.moved) {
      if (d.mode === "create") onSelect(null);
      return;
    }
    const b = boxFrom(d, at(e));
    if (d.mode === "create") onCreate(b);
    else onChange(d.id, b, true);
  };

  const px = (b: Box) => ({
    x: (b.x / 100) * width,
    y: (b.y / 100) * height,
    w: (b.width / 100) * width,
    h: (b.height / 100) * height,
  });

  return (
    <svg
      ref={svg}
      width={width}
      height={height}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        drag.current = null;
        setDraft(null);
      }}
    >
      {boxes.map((s) => {
        const r = px(s.box);
        const corners: [Corner, number, number][] = [
          ["nw", r.x, r.y],
          ["ne", r.x + r.w, r.y],
          ["sw", r.x, r.y + r.h],
          ["se", r.x + r.w, r.y + r.h],
        ];
        return (
          <g
            key={s.id}
            data-box={s.id}
            data-x={s.box.x}
            data-y={s.box.y}
            data-width={s.box.width}
            data-height={s.box.height}
            transform={s.box.rotation ? `rotate(${s.box.rotation} ${r.x} ${r.y})` : undefined}
            style={{ "--box": s.color } as React.CSSProperties}
          >
            <rect
              className={`vbox${s.selected ? " selected" : ""}${s.keyframe ? " keyframe" : " interpolated"}`}
              x={r.x}
              y={r.y}
              width={r.w}
              height={r.h}
            />
            <text className="vbox-caption" x={r.x + 3} y={Math.max(12, r.y - 4)}>
              {s.caption}
            </text>
            {s.selected &&
              !s.locked &&
              corners.map(([c, cx, cy]) => (
                <rect key={c} className={`vhandle ${c}`} data-corner={c} x={cx - 4} y={cy - 4} width={8} height={8} />
              ))}
          </g>
        );
      })}
      {draft && (
        <rect
          className="vbox"
          style={{ "--box": drawColor ?? "#f59e0b" } as React.CSSProperties}
          x={(draft.x / 100) * width}
          y={(draft.y / 100) * height}
          width={(draft.width / 100) * width}
          height={(draft.height / 100) * height}
        />
      )}
    </svg>
  );
}
