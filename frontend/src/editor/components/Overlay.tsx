/**
 * The SVG layer over an image, in screen coordinates: the selected region with its handles, the shape
 * being drawn, relations as arrows, and the brush cursor. Only a handful of elements, so it re-renders freely.
 */
import { memo } from "react";
import {
  RECT_HANDLES,
  ellipseHandlePoint,
  rectCentre,
  rectCorners,
  rectHandlePoint,
  bbox,
  type Handle,
  type Shape,
} from "../geometry/shapes";
import { toScreen, type Point, type Transform } from "../geometry/transform";
import { withAlpha } from "./regionLayer";

export type HandleRef =
  | { kind: "resize"; handle: Handle }
  | { kind: "rotate" }
  | { kind: "vertex"; index: number }
  /** The middle of the edge from vertex `index` to the next: dragging it inserts a vertex there. */
  | { kind: "midpoint"; index: number }
  | { kind: "point" };

export interface ScreenHandle {
  ref: HandleRef;
  x: number;
  y: number;
}

const ROTATE_OFFSET = 24;
const ELLIPSE_HANDLES: Handle[] = [
  { u: 1, v: 0 },
  { u: -1, v: 0 },
  { u: 0, v: 1 },
  { u: 0, v: -1 },
];

/** The handles of a selected shape, in screen coordinates. */
export function handlesFor(shape: Shape, t: Transform): ScreenHandle[] {
  const s = (p: Point) => toScreen(t, p);
  switch (shape.kind) {
    case "rectangle": {
      const out: ScreenHandle[] = RECT_HANDLES.map((h) => ({
        ref: { kind: "resize", handle: h },
        ...s(rectHandlePoint(shape, h)),
      }));
      out.push({
        ref: { kind: "rotate" },
        ...rotateHandle(s(rectHandlePoint(shape, { u: 0, v: -1 })), s(rectCentre(shape))),
      });
      return out;
    }
    case "ellipse": {
      const out: ScreenHandle[] = ELLIPSE_HANDLES.map((h) => ({
        ref: { kind: "resize", handle: h },
        ...s(ellipseHandlePoint(shape, h)),
      }));
      out.push({
        ref: { kind: "rotate" },
        ...rotateHandle(s(ellipseHandlePoint(shape, { u: 0, v: -1 })), s({ x: shape.cx, y: shape.cy })),
      });
      return out;
    }
    case "polygon": {
      const vertices: ScreenHandle[] = shape.points.map(([x, y], index) => ({
        ref: { kind: "vertex", index },
        ...s({ x, y }),
      }));
      // Vertices first: handleAt prefers the nearest, and a short edge puts its middle close to them.
      const midpoints: ScreenHandle[] = shape.points.map(([x, y], index) => {
        const [nx, ny] = shape.points[(index + 1) % shape.points.length];
        return { ref: { kind: "midpoint", index }, ...s({ x: (x + nx) / 2, y: (y + ny) / 2 }) };
      });
      return [...vertices, ...midpoints];
    }
    case "keypoint":
      return [{ ref: { kind: "point" }, ...s({ x: shape.x, y: shape.y }) }];
  }
}

/** A point ROTATE_OFFSET screen pixels beyond `edge`, away from `centre`. */
function rotateHandle(edge: Point, centre: Point): Point {
  const dx = edge.x - centre.x;
  const dy = edge.y - centre.y;
  const len = Math.hypot(dx, dy) || 1;
  return { x: edge.x + (dx / len) * ROTATE_OFFSET, y: edge.y + (dy / len) * ROTATE_OFFSET };
}

export function handleAt(handles: ScreenHandle[], p: Point, radius = 8): ScreenHandle | null {
  let best: ScreenHandle | null = null;
  let bestD = radius;
  for (const h of handles) {
    const d = Math.hypot(h.x - p.x, h.y - p.y);
    if (d <= bestD) {
      best = h;
      bestD = d;
    }
  }
  return best;
}

function outline(shape: Shape, t: Transform): string {
  const s = (p: Point) => toScreen(t, p);
  const pts = (list: Point[]) => list.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
  switch (shape.kind) {
    case "rectangle":
      return pts(rectCorners(shape).map(s));
    case "polygon":
      return pts(shape.points.map(([x, y]) => s({ x, y })));
    case "ellipse": {
      const n = 72;
      const list: Point[] = [];
      const rot = (shape.rotation * Math.PI) / 180;
      for (let i = 0; i < n; i++) {
        const a = (i / n) * Math.PI * 2;
        const x = shape.rx * Math.cos(a);
        const y = shape.ry * Math.sin(a);
        list.push(
          s({
            x: shape.cx + x * Math.cos(rot) - y * Math.sin(rot),
            y: shape.cy + x * Math.sin(rot) + y * Math.cos(rot),
          }),
        );
      }
      return pts(list);
    }
    case "keypoint":
      return "";
  }
}

export interface OverlayRegion {
  id: string;
  shape: Shape | null;
  color: string;
  locked: boolean;
}

export interface OverlayProps {
  width: number;
  height: number;
  t: Transform;
  selected: OverlayRegion[];
  drawing: Shape | null;
  drawingColor: string;
  polygon: { points: [number, number][]; hover: Point | null } | null;
  stroke: { points: [number, number][]; size: number; erase: boolean } | null;
  cursor: { x: number; y: number; r: number } | null;
  relations: { from: Point; to: Point; label: string; bi: boolean; left: boolean }[];
  relationFrom: Point | null;
  /** Image's grid="true": lines every `size` image pixels over the whole image. */
  grid?: { size: number; color: string; width: number; height: number } | null;
  /** Image's crosshair="true": the pointer, in screen coordinates, while it is over the image. */
  crosshair?: Point | null;
}

/** Grid lines in image pixels, turned to screen lines (so they follow zoom, pan and rotation). */
function GridLines({ grid, t }: { grid: NonNullable<OverlayProps["grid"]>; t: Transform }) {
  const lines: [Point, Point][] = [];
  const step = Math.max(grid.size, 2);
  for (let x = step; x < grid.width; x += step)
    lines.push([
      { x, y: 0 },
      { x, y: grid.height },
    ]);
  for (let y = step; y < grid.height; y += step)
    lines.push([
      { x: 0, y },
      { x: grid.width, y },
    ]);
  return (
    <g className="grid" data-testid="image-grid" stroke={grid.color} strokeWidth={1} opacity={0.6}>
      {lines.map(([a, b], i) => {
        const p = toScreen(t, a);
        const q = toScreen(t, b);
        return <line key={i} x1={p.x} y1={p.y} x2={q.x} y2={q.y} />;
      })}
    </g>
  );
}

function ShapeOutline({ shape, t, color, dashed }: { shape: Shape; t: Transform; color: string; dashed?: boolean }) {
  if (shape.kind === "keypoint") {
    const p = toScreen(t, shape);
    return <circle cx={p.x} cy={p.y} r={6} fill={color} stroke="#fff" strokeWidth={2} />;
  }
  const Tag = shape.kind === "polygon" && !shape.closed ? "polyline" : "polygon";
  return (
    <Tag
      points={outline(shape, t)}
      fill={Tag === "polyline" ? "none" : withAlpha(color, 0.3)}
      stroke={color}
      strokeWidth={2}
      strokeDasharray={dashed ? "5 4" : undefined}
    />
  );
}

export const Overlay = memo(function Overlay(p: OverlayProps) {
  const s = (x: number, y: number) => toScreen(p.t, { x, y });
  return (
    <svg className="img-overlay" width={p.width} height={p.height} aria-hidden="true">
      <defs>
        <marker
          id="lh-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="#334155" />
        </marker>
      </defs>
      {p.grid && <GridLines grid={p.grid} t={p.t} />}
      {p.crosshair && (
        <g className="crosshair" data-testid="crosshair" stroke="#ffffff" strokeWidth={1} strokeDasharray="4 3">
          <line x1={0} y1={p.crosshair.y} x2={p.width} y2={p.crosshair.y} />
          <line x1={p.crosshair.x} y1={0} x2={p.crosshair.x} y2={p.height} />
        </g>
      )}
      {p.relations.map((r, i) => (
        <g key={i} className="relation">
          <line
            x1={r.from.x}
            y1={r.from.y}
            x2={r.to.x}
            y2={r.to.y}
            stroke="#334155"
            strokeWidth={2}
            markerEnd={r.left ? undefined : "url(#lh-arrow)"}
            markerStart={r.left || r.bi ? "url(#lh-arrow)" : undefined}
          />
          {r.label && (
            <text x={(r.from.x + r.to.x) / 2} y={(r.from.y + r.to.y) / 2 - 4} className="relation-label">
              {r.label}
            </text>
          )}
        </g>
      ))}
      {p.selected.map((r) =>
        r.shape ? (
          <g key={r.id} data-testid="selected-region">
            <ShapeOutline shape={r.shape} t={p.t} color={r.color} />
            {!r.locked &&
              handlesFor(r.shape, p.t).map((h, i) =>
                h.ref.kind === "rotate" ? (
                  <circle key={i} cx={h.x} cy={h.y} r={5} className="handle rotate" />
                ) : h.ref.kind === "point" ? null : h.ref.kind === "midpoint" ? (
                  <circle key={i} cx={h.x} cy={h.y} r={3.5} className="handle midpoint" data-testid="midpoint-handle" />
                ) : (
                  <rect key={i} x={h.x - 4} y={h.y - 4} width={8} height={8} className="handle" />
                ),
              )}
          </g>
        ) : null,
      )}
      {p.drawing && <ShapeOutline shape={p.drawing} t={p.t} color={p.drawingColor} dashed />}
      {p.polygon && p.polygon.points.length > 0 && (
        <g>
          <polyline
            points={[...p.polygon.points, ...(p.polygon.hover ? [[p.polygon.hover.x, p.polygon.hover.y]] : [])]
              .map(([x, y]) => {
                const q = s(x, y);
                return `${q.x},${q.y}`;
              })
              .join(" ")}
            fill="none"
            stroke={p.drawingColor}
            strokeWidth={2}
            strokeDasharray="5 4"
          />
          {p.polygon.points.map(([x, y], i) => {
            const q = s(x, y);
            return (
              <circle key={i} cx={q.x} cy={q.y} r={i === 0 ? 6 : 3.5} className={i === 0 ? "handle first" : "handle"} />
            );
          })}
        </g>
      )}
      {p.stroke && p.stroke.points.length > 0 && (
        <polyline
          points={p.stroke.points.map(([x, y]) => `${s(x, y).x},${s(x, y).y}`).join(" ")}
          fill="none"
          stroke={p.stroke.erase ? "rgba(255,255,255,0.7)" : withAlpha(p.drawingColor, 0.6)}
          strokeWidth={p.stroke.size * p.t.scale}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
      {p.relationFrom && <circle cx={p.relationFrom.x} cy={p.relationFrom.y} r={8} className="relation-from" />}
      {p.cursor && <circle cx={p.cursor.x} cy={p.cursor.y} r={p.cursor.r} className="brush-cursor" />}
    </svg>
  );
});

/** Where a relation arrow attaches to a region: the centre of its bounding box. */
export function anchorOf(shape: Shape | null, fallback: Point): Point {
  if (!shape) return fallback;
  const b = bbox(shape);
  return { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 };
}
