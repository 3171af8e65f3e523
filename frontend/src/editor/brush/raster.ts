/** Brush strokes painted into a one-byte-per-pixel mask: pure functions, no canvas, so they are testable. */

export interface Stroke {
  /** Image pixel coordinates along the stroke. */
  points: [number, number][];
  /** Brush diameter in image pixels. */
  size: number;
  erase: boolean;
}

/** Paint a round-capped polyline of diameter `size` with `value` (255 paints, 0 erases). */
export function paintStroke(mask: Uint8Array, width: number, height: number, stroke: Stroke): void {
  const r = Math.max(0.5, stroke.size / 2);
  const value = stroke.erase ? 0 : 255;
  const pts = stroke.points.length === 1 ? [stroke.points[0], stroke.points[0]] : stroke.points;
  for (let k = 0; k + 1 < pts.length; k++) {
    const [ax, ay] = pts[k];
    const [bx, by] = pts[k + 1];
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + r));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + r));
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const r2 = r * r;
    for (let y = y0; y <= y1; y++) {
      // Pixel centres: a pixel is painted when its centre is within r of the segment.
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
        const ex = px - (ax + t * dx);
        const ey = py - (ay + t * dy);
        if (ex * ex + ey * ey <= r2) mask[y * width + x] = value;
      }
    }
  }
}

export function isEmpty(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]) return false;
  return true;
}
