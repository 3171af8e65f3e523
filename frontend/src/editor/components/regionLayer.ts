/**
 * Draws the regions of one image onto a 2D canvas. Paths are built once per region object (in image pixels)
 * and merged per colour, so a pan or zoom frame is a few fill/stroke calls under a new transform, whatever
 * the number of regions. A selected shape is drawn by the SVG overlay instead (it moves with its handles);
 * a brush mask is a bitmap the overlay has no cheap way to show, so it stays here, drawn stronger and
 * outlined while selected.
 */
import { regionMask } from "../brush/masks";
import { maskEdges } from "../brush/outline";
import type { ParsedConfig } from "../config/parse";
import { rectCorners, shapeFromValue, type Shape } from "../geometry/shapes";
import { matrix, type Transform } from "../geometry/transform";
import { regionColor } from "../regions";
import { isMedia, isSpan, type Region } from "../store/doc";

export interface Layer {
  groups: { color: string; path: Path2D }[];
  points: { x: number; y: number; color: string }[];
  /** `outline` (in image pixels) is set for a selected mask only. */
  brushes: { canvas: HTMLCanvasElement; color: string; outline: Path2D | null }[];
}

export interface LayerCache {
  paths: WeakMap<Region, Path2D>;
  brushes: WeakMap<Uint8Array, { color: string; canvas: HTMLCanvasElement }>;
  outlines: WeakMap<Uint8Array, Path2D>;
}

export function newLayerCache(): LayerCache {
  return { paths: new WeakMap(), brushes: new WeakMap(), outlines: new WeakMap() };
}

export function regionShape(r: Region, W: number, H: number): Shape | null {
  return r.shape === "brush" || isSpan(r.shape) || isMedia(r.shape) ? null : shapeFromValue(r.shape, r.geometry, W, H);
}

function pathOf(s: Shape): Path2D {
  const p = new Path2D();
  switch (s.kind) {
    case "rectangle": {
      const c = rectCorners(s);
      p.moveTo(c[0].x, c[0].y);
      for (let i = 1; i < 4; i++) p.lineTo(c[i].x, c[i].y);
      p.closePath();
      break;
    }
    case "ellipse":
      p.ellipse(s.cx, s.cy, Math.max(0, s.rx), Math.max(0, s.ry), (s.rotation * Math.PI) / 180, 0, Math.PI * 2);
      break;
    case "polygon":
      s.points.forEach(([x, y], i) => (i ? p.lineTo(x, y) : p.moveTo(x, y)));
      if (s.closed) p.closePath();
      break;
    case "keypoint":
      break;
  }
  return p;
}

function brushCanvas(
  mask: Uint8Array,
  width: number,
  height: number,
  color: string,
  cache: LayerCache,
): HTMLCanvasElement {
  const hit = cache.brushes.get(mask);
  if (hit && hit.color === color) return hit.canvas;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(width, height);
  const [r, g, b] = rgb(color);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const o = i * 4;
    img.data[o] = r;
    img.data[o + 1] = g;
    img.data[o + 2] = b;
    img.data[o + 3] = mask[i];
  }
  ctx.putImageData(img, 0, 0);
  cache.brushes.set(mask, { color, canvas });
  return canvas;
}

function brushOutline(mask: Uint8Array, width: number, height: number, cache: LayerCache): Path2D {
  let path = cache.outlines.get(mask);
  if (!path) {
    const p = new Path2D();
    maskEdges(mask, width, height, (x1, y1, x2, y2) => {
      p.moveTo(x1, y1);
      p.lineTo(x2, y2);
    });
    cache.outlines.set(mask, (path = p));
  }
  return path;
}

export function rgb(color: string): [number, number, number] {
  const m = color.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (m) {
    const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  }
  const named: Record<string, [number, number, number]> = { red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255] };
  return named[color.toLowerCase()] ?? [245, 158, 11];
}

export function buildLayer(
  regions: Region[],
  selected: (r: Region) => boolean,
  config: ParsedConfig,
  W: number,
  H: number,
  cache: LayerCache,
): Layer {
  const byColor = new Map<string, Path2D>();
  const layer: Layer = { groups: [], points: [], brushes: [] };
  for (const r of regions) {
    if (isSpan(r.shape) || isMedia(r.shape)) continue;
    const color = regionColor(r, config);
    if (r.shape === "brush") {
      const size = r.image
        ? { width: r.image.original_width, height: r.image.original_height }
        : { width: W, height: H };
      const { mask } = regionMask(r, size);
      layer.brushes.push({
        canvas: brushCanvas(mask, size.width, size.height, color, cache),
        color,
        outline: selected(r) ? brushOutline(mask, size.width, size.height, cache) : null,
      });
      continue;
    }
    if (r.shape === "keypoint") {
      const s = shapeFromValue("keypoint", r.geometry, W, H);
      if (s.kind === "keypoint") layer.points.push({ x: s.x, y: s.y, color });
      continue;
    }
    let path = cache.paths.get(r);
    if (!path) {
      path = pathOf(shapeFromValue(r.shape, r.geometry, W, H));
      cache.paths.set(r, path);
    }
    let group = byColor.get(color);
    if (!group) byColor.set(color, (group = new Path2D()));
    group.addPath(path);
  }
  layer.groups = [...byColor].map(([color, path]) => ({ color, path }));
  return layer;
}

export function drawLayer(
  ctx: CanvasRenderingContext2D,
  layer: Layer,
  t: Transform,
  dpr: number,
  opacity = 0.25,
): void {
  const canvas = ctx.canvas;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const [a, b, c, d, e, f] = matrix(t);
  ctx.setTransform(a * dpr, b * dpr, c * dpr, d * dpr, e * dpr, f * dpr);
  ctx.imageSmoothingEnabled = false;
  for (const br of layer.brushes) {
    ctx.globalAlpha = br.outline ? 0.8 : 0.55;
    ctx.drawImage(br.canvas, 0, 0, t.width, t.height);
  }
  ctx.globalAlpha = 1;
  // After every mask, so another mask drawn later does not cover the selected one's outline: a white line
  // on a line of the label's colour reads on the mask and on any image, at any zoom (widths in screen pixels).
  for (const br of layer.brushes) {
    if (!br.outline) continue;
    ctx.lineWidth = 4 / t.scale;
    ctx.strokeStyle = br.color;
    ctx.stroke(br.outline);
    ctx.lineWidth = 1.5 / t.scale;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke(br.outline);
  }
  // One device pixel: Skia draws such "hairlines" several times faster than wider strokes, which matters
  // with thousands of regions on a CPU-rasterised canvas. The selected region is drawn thicker in SVG.
  ctx.lineWidth = Math.max(1, Math.floor(dpr)) / (t.scale * dpr);
  for (const g of layer.groups) {
    ctx.fillStyle = withAlpha(g.color, opacity);
    ctx.fill(g.path);
    ctx.strokeStyle = g.color;
    ctx.stroke(g.path);
  }
  if (layer.points.length) {
    const radius = 4 / t.scale;
    for (const p of layer.points) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
      ctx.fillStyle = p.color;
      ctx.fill();
      ctx.lineWidth = 1.5 / t.scale;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
    }
  }
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = rgb(color);
  return `rgba(${r},${g},${b},${alpha})`;
}
