/**
 * A brush region's mask = its loaded RLE (alpha channel) plus the strokes drawn since, cached per region
 * object so redraws and saves do not repeat the work; `encodeBrush` writes it back as Label Studio RLE.
 */
import type { Region } from "../store/doc";
import { paintStroke } from "./raster";
import { maskToRle, rleToMask } from "./rle";

interface Cached {
  width: number;
  height: number;
  mask: Uint8Array;
}

const base = new WeakMap<object, Cached>();
const full = new WeakMap<Region, Cached>();

export function regionSize(r: Region, fallback: { width: number; height: number }): { width: number; height: number } {
  return r.image ? { width: r.image.original_width, height: r.image.original_height } : fallback;
}

export function regionMask(r: Region, size: { width: number; height: number }): Cached {
  const hit = full.get(r);
  if (hit && hit.width === size.width && hit.height === size.height) return hit;
  let b = base.get(r.geometry);
  if (!b || b.width !== size.width || b.height !== size.height) {
    const rle = r.geometry.rle;
    const mask =
      Array.isArray(rle) && rle.length
        ? rleToMask(rle as number[], size.width, size.height)
        : new Uint8Array(size.width * size.height);
    b = { ...size, mask };
    base.set(r.geometry, b);
  }
  if (!r.strokes?.length) {
    full.set(r, b);
    return b;
  }
  const mask = b.mask.slice();
  for (const s of r.strokes) paintStroke(mask, size.width, size.height, s);
  const out = { ...size, mask };
  full.set(r, out);
  return out;
}

/** The region's value keys with its strokes encoded in, bit-identical to label_studio_sdk's mask2rle. */
export function encodeBrush(r: Region): Record<string, unknown> {
  const size = regionSize(r, { width: 1, height: 1 });
  return { ...r.geometry, format: "rle", rle: maskToRle(regionMask(r, size).mask) };
}
