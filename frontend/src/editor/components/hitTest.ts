/** Which region is under a point of the image: the topmost visible one, outlines given a few screen pixels. */
import { regionMask, regionSize } from "../brush/masks";
import { bbox, hitTest } from "../geometry/shapes";
import type { Point } from "../geometry/transform";
import type { Region } from "../store/doc";
import { regionShape } from "./regionLayer";

const TOLERANCE_PX = 5;

export function hitRegion(
  regions: Region[],
  hidden: ReadonlySet<string>,
  p: Point,
  scale: number,
  W: number,
  H: number,
): Region | null {
  const tol = TOLERANCE_PX / scale;
  for (let i = regions.length - 1; i >= 0; i--) {
    const r = regions[i];
    if (hidden.has(r.id)) continue;
    if (r.shape === "brush") {
      if (brushHit(r, p, W, H)) return r;
      continue;
    }
    const s = regionShape(r, W, H);
    if (!s) continue;
    const b = bbox(s);
    if (p.x < b.minX - tol || p.x > b.maxX + tol || p.y < b.minY - tol || p.y > b.maxY + tol) continue;
    if (hitTest(s, p, s.kind === "keypoint" ? Math.max(tol, 6 / scale) : tol)) return r;
  }
  return null;
}

function brushHit(r: Region, p: Point, W: number, H: number): boolean {
  const size = regionSize(r, { width: W, height: H });
  const x = Math.floor((p.x / W) * size.width);
  const y = Math.floor((p.y / H) * size.height);
  if (x < 0 || y < 0 || x >= size.width || y >= size.height) return false;
  return regionMask(r, size).mask[y * size.width + x] > 0;
}

export function brushAt(regions: Region[], hidden: ReadonlySet<string>, p: Point, W: number, H: number): Region | null {
  for (let i = regions.length - 1; i >= 0; i--) {
    const r = regions[i];
    if (r.shape === "brush" && !hidden.has(r.id) && brushHit(r, p, W, H)) return r;
  }
  return null;
}
