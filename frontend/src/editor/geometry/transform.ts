/**
 * The one conversion between screen (viewport pixels) and image coordinates (pixels of the original
 * image). The view is: rotate the image by 0/90/180/270° clockwise (keeping it in the positive quadrant),
 * scale, then translate. Tools and shapes only ever see image coordinates.
 */

export type Rotation = 0 | 90 | 180 | 270;

export interface Transform {
  scale: number;
  tx: number;
  ty: number;
  rotation: Rotation;
  /** Natural size of the image. */
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** [a, b, c, d, e, f]: screen.x = a*x + c*y + e, screen.y = b*x + d*y + f (canvas/SVG/CSS order). */
export type Matrix = [number, number, number, number, number, number];

export function matrix(t: Transform): Matrix {
  const { scale: s, tx, ty, width: W, height: H } = t;
  switch (t.rotation) {
    case 90:
      return [0, s, -s, 0, s * H + tx, ty];
    case 180:
      return [-s, 0, 0, -s, s * W + tx, s * H + ty];
    case 270:
      return [0, -s, s, 0, tx, s * W + ty];
    default:
      return [s, 0, 0, s, tx, ty];
  }
}

export function toScreen(t: Transform, p: Point): Point {
  const [a, b, c, d, e, f] = matrix(t);
  return { x: a * p.x + c * p.y + e, y: b * p.x + d * p.y + f };
}

export function toImage(t: Transform, p: Point): Point {
  const [a, b, c, d, e, f] = matrix(t);
  const det = a * d - b * c;
  const x = p.x - e;
  const y = p.y - f;
  return { x: (d * x - c * y) / det, y: (a * y - b * x) / det };
}

export function isSideways(rotation: Rotation): boolean {
  return rotation === 90 || rotation === 270;
}

/** Size of the rotated image at scale 1. */
export function rotatedSize(t: Pick<Transform, "rotation" | "width" | "height">): { width: number; height: number } {
  return isSideways(t.rotation) ? { width: t.height, height: t.width } : { width: t.width, height: t.height };
}

/** The scale at which the whole (rotated) image fits the viewport. */
export function fitScale(t: Pick<Transform, "rotation" | "width" | "height">, vw: number, vh: number): number {
  const r = rotatedSize(t);
  if (!r.width || !r.height) return 1;
  return Math.min(vw / r.width, vh / r.height);
}

/** Fit and centre the image in a viewport of vw x vh. */
export function fit(t: Omit<Transform, "scale" | "tx" | "ty">, vw: number, vh: number): Transform {
  const scale = fitScale(t, vw, vh);
  const r = rotatedSize(t);
  return { ...t, scale, tx: (vw - r.width * scale) / 2, ty: (vh - r.height * scale) / 2 };
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 64;

/** Zoom by `factor` keeping the image point under `at` (screen) where it is. */
export function zoomAt(t: Transform, factor: number, at: Point, minScale = 0, maxScale = Infinity): Transform {
  const scale = Math.min(maxScale, Math.max(minScale, t.scale * factor));
  const k = scale / t.scale;
  return { ...t, scale, tx: at.x - (at.x - t.tx) * k, ty: at.y - (at.y - t.ty) * k };
}

export function pan(t: Transform, dx: number, dy: number): Transform {
  return { ...t, tx: t.tx + dx, ty: t.ty + dy };
}

/** Rotate the view by ±90°, keeping the image point at the viewport centre where it was. */
export function rotate(t: Transform, delta: 90 | -90, vw: number, vh: number): Transform {
  const centre = { x: vw / 2, y: vh / 2 };
  const anchor = toImage(t, centre);
  const rotation = ((((t.rotation + delta) % 360) + 360) % 360) as Rotation;
  const next: Transform = { ...t, rotation, tx: 0, ty: 0 };
  const at = toScreen(next, anchor);
  return { ...next, tx: centre.x - at.x, ty: centre.y - at.y };
}

export function cssMatrix(t: Transform): string {
  return `matrix(${matrix(t).join(",")})`;
}
