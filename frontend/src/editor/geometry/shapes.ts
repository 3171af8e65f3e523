/**
 * Shapes as plain data in image pixels, with pure per-shape functions looked up by kind, and the
 * conversions to and from Label Studio's percent values (LS-COMPAT §4). Rectangle rotation is about the
 * top-left corner, ellipse rotation about the centre, both clockwise in degrees, as Label Studio stores them.
 */
import type { Point } from "./transform";

export interface RectShape {
  kind: "rectangle";
  x: number;
  y: number;
  w: number;
  h: number;
  rotation: number;
}

export interface PolygonShape {
  kind: "polygon";
  points: [number, number][];
  closed: boolean;
}

export interface EllipseShape {
  kind: "ellipse";
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  rotation: number;
}

export interface KeyPointShape {
  kind: "keypoint";
  x: number;
  y: number;
  /** Point size in image pixels. */
  size: number;
}

export type Shape = RectShape | PolygonShape | EllipseShape | KeyPointShape;

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const RAD = Math.PI / 180;

export function rotatePoint(p: Point, origin: Point, degrees: number): Point {
  const c = Math.cos(degrees * RAD);
  const s = Math.sin(degrees * RAD);
  const dx = p.x - origin.x;
  const dy = p.y - origin.y;
  return { x: origin.x + dx * c - dy * s, y: origin.y + dx * s + dy * c };
}

function boxOf(points: Point[]): Box {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const p of points) {
    b.minX = Math.min(b.minX, p.x);
    b.minY = Math.min(b.minY, p.y);
    b.maxX = Math.max(b.maxX, p.x);
    b.maxY = Math.max(b.maxY, p.y);
  }
  return b;
}

/** The four corners of a rectangle, clockwise from its (rotated) top-left. */
export function rectCorners(r: RectShape): Point[] {
  const o = { x: r.x, y: r.y };
  return [
    o,
    rotatePoint({ x: r.x + r.w, y: r.y }, o, r.rotation),
    rotatePoint({ x: r.x + r.w, y: r.y + r.h }, o, r.rotation),
    rotatePoint({ x: r.x, y: r.y + r.h }, o, r.rotation),
  ];
}

/** A point in the rectangle's own frame (origin at its top-left, axes along its sides). */
export function rectLocal(r: RectShape, p: Point): Point {
  const q = rotatePoint(p, { x: r.x, y: r.y }, -r.rotation);
  return { x: q.x - r.x, y: q.y - r.y };
}

export function distToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export function pointInPolygon(p: Point, pts: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

interface ShapeFns<S extends Shape> {
  bbox(s: S): Box;
  /** Inside the shape or within `tol` image pixels of its outline. */
  hit(s: S, p: Point, tol: number): boolean;
  translate(s: S, dx: number, dy: number): S;
  area(s: S): number;
}

const rect: ShapeFns<RectShape> = {
  bbox: (r) => boxOf(rectCorners(r)),
  hit(r, p, tol) {
    const l = rectLocal(r, p);
    return l.x >= -tol && l.y >= -tol && l.x <= r.w + tol && l.y <= r.h + tol;
  },
  translate: (r, dx, dy) => ({ ...r, x: r.x + dx, y: r.y + dy }),
  area: (r) => r.w * r.h,
};

const polygon: ShapeFns<PolygonShape> = {
  bbox: (s) => boxOf(s.points.map(([x, y]) => ({ x, y }))),
  hit(s, p, tol) {
    if (s.closed && s.points.length > 2 && pointInPolygon(p, s.points)) return true;
    const n = s.points.length;
    for (let i = 0; i < n - (s.closed ? 0 : 1); i++) {
      const [ax, ay] = s.points[i];
      const [bx, by] = s.points[(i + 1) % n];
      if (distToSegment(p, { x: ax, y: ay }, { x: bx, y: by }) <= tol) return true;
    }
    return n === 1 && Math.hypot(p.x - s.points[0][0], p.y - s.points[0][1]) <= tol;
  },
  translate: (s, dx, dy) => ({ ...s, points: s.points.map(([x, y]) => [x + dx, y + dy] as [number, number]) }),
  area(s) {
    let a = 0;
    for (let i = 0, j = s.points.length - 1; i < s.points.length; j = i++)
      a += (s.points[j][0] + s.points[i][0]) * (s.points[j][1] - s.points[i][1]);
    return Math.abs(a / 2);
  },
};

const ellipse: ShapeFns<EllipseShape> = {
  bbox(e) {
    const c = Math.cos(e.rotation * RAD);
    const s = Math.sin(e.rotation * RAD);
    const hw = Math.hypot(e.rx * c, e.ry * s);
    const hh = Math.hypot(e.rx * s, e.ry * c);
    return { minX: e.cx - hw, minY: e.cy - hh, maxX: e.cx + hw, maxY: e.cy + hh };
  },
  hit(e, p, tol) {
    const q = rotatePoint(p, { x: e.cx, y: e.cy }, -e.rotation);
    const dx = (q.x - e.cx) / (e.rx + tol);
    const dy = (q.y - e.cy) / (e.ry + tol);
    return dx * dx + dy * dy <= 1;
  },
  translate: (e, dx, dy) => ({ ...e, cx: e.cx + dx, cy: e.cy + dy }),
  area: (e) => Math.PI * e.rx * e.ry,
};

const keypoint: ShapeFns<KeyPointShape> = {
  bbox: (k) => ({ minX: k.x - k.size, minY: k.y - k.size, maxX: k.x + k.size, maxY: k.y + k.size }),
  hit: (k, p, tol) => Math.hypot(p.x - k.x, p.y - k.y) <= Math.max(k.size, tol),
  translate: (k, dx, dy) => ({ ...k, x: k.x + dx, y: k.y + dy }),
  area: () => 0,
};

const FNS: { [K in Shape["kind"]]: ShapeFns<Extract<Shape, { kind: K }>> } = {
  rectangle: rect,
  polygon,
  ellipse,
  keypoint,
};

function fns<S extends Shape>(s: S): ShapeFns<S> {
  return FNS[s.kind] as unknown as ShapeFns<S>;
}

export const bbox = (s: Shape): Box => fns(s).bbox(s);
export const hitTest = (s: Shape, p: Point, tol = 0): boolean => fns(s).hit(s, p, tol);
export const translate = <S extends Shape>(s: S, dx: number, dy: number): S => fns(s).translate(s, dx, dy);
export const area = (s: Shape): number => fns(s).area(s);

/** Keep a shape's bounding box inside the image by shifting it (moves never push a region off the image). */
export function clampTranslation(s: Shape, dx: number, dy: number, W: number, H: number): [number, number] {
  const b = bbox(s);
  const cx = Math.min(Math.max(dx, -b.minX), W - b.maxX);
  const cy = Math.min(Math.max(dy, -b.minY), H - b.maxY);
  return [b.maxX - b.minX > W ? dx : cx, b.maxY - b.minY > H ? dy : cy];
}

// ---- Label Studio percent values <-> shapes in pixels -------------------------------------------------

export type Geometry = Record<string, unknown>;

const num = (v: unknown, d = 0): number => (typeof v === "number" && Number.isFinite(v) ? v : d);

export function shapeFromValue(kind: Shape["kind"], v: Geometry, W: number, H: number): Shape {
  switch (kind) {
    case "rectangle":
      return {
        kind,
        x: (num(v.x) * W) / 100,
        y: (num(v.y) * H) / 100,
        w: (num(v.width) * W) / 100,
        h: (num(v.height) * H) / 100,
        rotation: num(v.rotation),
      };
    case "ellipse":
      return {
        kind,
        cx: (num(v.x) * W) / 100,
        cy: (num(v.y) * H) / 100,
        rx: (num(v.radiusX) * W) / 100,
        ry: (num(v.radiusY) * H) / 100,
        rotation: num(v.rotation),
      };
    case "keypoint":
      return { kind, x: (num(v.x) * W) / 100, y: (num(v.y) * H) / 100, size: (num(v.width, 1) * W) / 100 };
    case "polygon": {
      const pts = Array.isArray(v.points) ? (v.points as unknown[]) : [];
      return {
        kind,
        points: pts.map((p) => {
          const [x, y] = Array.isArray(p) ? p : [0, 0];
          return [(num(x) * W) / 100, (num(y) * H) / 100] as [number, number];
        }),
        closed: v.closed !== false,
      };
    }
  }
}

/** A shape -> Label Studio's value keys (percent of the original image). */
export function valueFromShape(s: Shape, W: number, H: number): Geometry {
  const px = (x: number) => (x / W) * 100;
  const py = (y: number) => (y / H) * 100;
  switch (s.kind) {
    case "rectangle":
      return { x: px(s.x), y: py(s.y), width: px(s.w), height: py(s.h), rotation: normaliseAngle(s.rotation) };
    case "ellipse":
      return { x: px(s.cx), y: py(s.cy), radiusX: px(s.rx), radiusY: py(s.ry), rotation: normaliseAngle(s.rotation) };
    case "keypoint":
      return { x: px(s.x), y: py(s.y), width: px(s.size) };
    case "polygon":
      return { points: s.points.map(([x, y]) => [px(x), py(y)]), closed: s.closed };
  }
}

export function normaliseAngle(deg: number): number {
  const a = ((deg % 360) + 360) % 360;
  return Math.abs(a - 360) < 1e-9 ? 0 : a;
}

// ---- Editing -------------------------------------------------------------------------------------------

/** Which sides a handle moves: -1 the left/top side, 1 the right/bottom side, 0 neither. */
export type Handle = { u: -1 | 0 | 1; v: -1 | 0 | 1 };

export const RECT_HANDLES: Handle[] = [
  { u: -1, v: -1 },
  { u: 0, v: -1 },
  { u: 1, v: -1 },
  { u: 1, v: 0 },
  { u: 1, v: 1 },
  { u: 0, v: 1 },
  { u: -1, v: 1 },
  { u: -1, v: 0 },
];

/** Where a handle sits on a (rotated) rectangle, in image coordinates. */
export function rectHandlePoint(r: RectShape, h: Handle): Point {
  const lx = ((h.u + 1) / 2) * r.w;
  const ly = ((h.v + 1) / 2) * r.h;
  return rotatePoint({ x: r.x + lx, y: r.y + ly }, { x: r.x, y: r.y }, r.rotation);
}

/** Drag a handle of a rotated rectangle to `p`: the opposite sides stay put; flipping past them is allowed. */
export function resizeRect(r: RectShape, h: Handle, p: Point): RectShape {
  const l = rectLocal(r, p);
  let [u0, u1, v0, v1] = [0, r.w, 0, r.h];
  if (h.u === -1) u0 = l.x;
  if (h.u === 1) u1 = l.x;
  if (h.v === -1) v0 = l.y;
  if (h.v === 1) v1 = l.y;
  const [umin, umax] = u0 <= u1 ? [u0, u1] : [u1, u0];
  const [vmin, vmax] = v0 <= v1 ? [v0, v1] : [v1, v0];
  const o = rotatePoint({ x: r.x + umin, y: r.y + vmin }, { x: r.x, y: r.y }, r.rotation);
  return { ...r, x: o.x, y: o.y, w: umax - umin, h: vmax - vmin };
}

export function rectCentre(r: RectShape): Point {
  return rotatePoint({ x: r.x + r.w / 2, y: r.y + r.h / 2 }, { x: r.x, y: r.y }, r.rotation);
}

/** Rotate a rectangle about its centre so that its rotation handle (above the top side) points at `p`. */
export function rotateRectTo(r: RectShape, p: Point, snap = 0): RectShape {
  const c = rectCentre(r);
  let deg = (Math.atan2(p.y - c.y, p.x - c.x) * 180) / Math.PI + 90;
  if (snap) deg = Math.round(deg / snap) * snap;
  deg = normaliseAngle(deg);
  const o = rotatePoint({ x: c.x - r.w / 2, y: c.y - r.h / 2 }, c, deg);
  return { ...r, x: o.x, y: o.y, rotation: deg };
}

/** A rectangle from two opposite corners (axis-aligned, any drag direction). */
export function rectFromCorners(a: Point, b: Point): RectShape {
  return {
    kind: "rectangle",
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    w: Math.abs(a.x - b.x),
    h: Math.abs(a.y - b.y),
    rotation: 0,
  };
}

/** Resize an ellipse so its rim passes through `p` along the axis (or axes) of the handle. */
export function resizeEllipse(e: EllipseShape, h: Handle, p: Point): EllipseShape {
  const q = rotatePoint(p, { x: e.cx, y: e.cy }, -e.rotation);
  return {
    ...e,
    rx: h.u ? Math.abs(q.x - e.cx) : e.rx,
    ry: h.v ? Math.abs(q.y - e.cy) : e.ry,
  };
}

export function ellipseHandlePoint(e: EllipseShape, h: Handle): Point {
  return rotatePoint({ x: e.cx + h.u * e.rx, y: e.cy + h.v * e.ry }, { x: e.cx, y: e.cy }, e.rotation);
}

export function rotateEllipseTo(e: EllipseShape, p: Point, snap = 0): EllipseShape {
  let deg = (Math.atan2(p.y - e.cy, p.x - e.cx) * 180) / Math.PI + 90;
  if (snap) deg = Math.round(deg / snap) * snap;
  return { ...e, rotation: normaliseAngle(deg) };
}

export function clampPoint(p: Point, W: number, H: number): Point {
  return { x: Math.min(Math.max(p.x, 0), W), y: Math.min(Math.max(p.y, 0), H) };
}
