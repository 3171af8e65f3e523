/**
 * Keeps the region canvas cheap while the view moves: the layer is rasterised once for a transform (with a
 * margin around the viewport), and pan/zoom frames only move that bitmap with a CSS transform, which the
 * compositor does without repainting. The layer is redrawn crisp when the view settles, when the zoom has
 * changed more than fourfold, when a pan leaves the drawn margin, or when the regions change.
 */
import { useEffect, useLayoutEffect, useRef, type RefObject } from "react";
import { matrix, type Matrix, type Transform } from "../geometry/transform";
import { drawLayer, type Layer } from "./regionLayer";

const SETTLE_MS = 140;
const MARGIN = 0.25;

declare global {
  interface Window {
    /** Timings read by the browser benchmark: full redraws, per-frame view updates, images shown. */
    __lhStats?: { draws: number[]; frames: number[]; shown: number[] };
    /** Set by the benchmark: force the canvas to rasterise inside draw timings. */
    __lhDebugFlush?: boolean;
  }
}

export function stats() {
  return (window.__lhStats ??= { draws: [], frames: [], shown: [] });
}

function record(list: number[], value: number): void {
  list.push(value);
  if (list.length > 2000) list.splice(0, 1000);
}

/** a ∘ b for affine matrices in canvas order. */
function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[2] * b[1],
    a[1] * b[0] + a[3] * b[1],
    a[0] * b[2] + a[2] * b[3],
    a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4],
    a[1] * b[4] + a[3] * b[5] + a[5],
  ];
}

function invert(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

interface Rendered {
  t: Transform;
  layer: Layer;
  vw: number;
  vh: number;
}

export function useLayerCanvas(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  layer: Layer | null,
  t: Transform | null,
  vw: number,
  vh: number,
): void {
  const rendered = useRef<Rendered | null>(null);
  const settle = useRef<number | null>(null);
  const mx = Math.round(vw * MARGIN);
  const my = Math.round(vh * MARGIN);

  const render = (now: Transform, l: Layer) => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const started = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round((vw + 2 * mx) * dpr);
    const h = Math.round((vh + 2 * my) * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      canvas.style.width = `${vw + 2 * mx}px`;
      canvas.style.height = `${vh + 2 * my}px`;
      canvas.style.left = `${-mx}px`;
      canvas.style.top = `${-my}px`;
    }
    const ctx = canvas.getContext("2d")!;
    drawLayer(ctx, l, { ...now, tx: now.tx + mx, ty: now.ty + my }, dpr);
    if (window.__lhDebugFlush) ctx.getImageData(0, 0, 1, 1);
    canvas.style.transform = "none";
    rendered.current = { t: now, layer: l, vw, vh };
    record(stats().draws, performance.now() - started);
  };

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !t || !layer) return;
    const started = performance.now();
    const r = rendered.current;
    if (settle.current) window.clearTimeout(settle.current);
    settle.current = null;
    const stale =
      !r || r.layer !== layer || r.vw !== vw || r.vh !== vh || r.t.rotation !== t.rotation || r.t.width !== t.width;
    if (stale) {
      render(t, layer);
    } else if (r.t !== t) {
      // Where the drawn bitmap must go: canvas pixel c shows image point R^-1(c - m); put it at T(that) - (-m).
      const a = multiply(matrix(t), invert(matrix(r.t)));
      const k = Math.hypot(a[0], a[1]);
      const tx = a[0] * -mx + a[2] * -my + a[4] + mx;
      const ty = a[1] * -mx + a[3] * -my + a[5] + my;
      // The viewport must stay inside the drawn area: its corners, back in canvas space, within bounds.
      const inv = invert([a[0], a[1], a[2], a[3], tx, ty]);
      const covered = [
        [mx, my],
        [mx + vw, my],
        [mx, my + vh],
        [mx + vw, my + vh],
      ].every(([x, y]) => {
        const cx = inv[0] * (x - mx) + inv[2] * (y - my) + inv[4];
        const cy = inv[1] * (x - mx) + inv[3] * (y - my) + inv[5];
        return cx >= -1 && cy >= -1 && cx <= vw + 2 * mx + 1 && cy <= vh + 2 * my + 1;
      });
      if (k > 4 || k < 0.25 || !covered) render(t, layer);
      else {
        canvas.style.transform = `matrix(${a[0]},${a[1]},${a[2]},${a[3]},${tx},${ty})`;
        settle.current = window.setTimeout(() => {
          settle.current = null;
          render(t, layer);
        }, SETTLE_MS);
      }
    }
    record(stats().frames, performance.now() - started);
    // render() reads vw/vh/mx/my from this render's closure.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer, t, vw, vh]);

  useEffect(
    () => () => {
      if (settle.current) window.clearTimeout(settle.current);
    },
    [],
  );
}
