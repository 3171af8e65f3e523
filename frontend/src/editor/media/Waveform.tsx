/**
 * The waveform of an Audio tag with its segments. It scrolls natively (a wide content box under a canvas kept
 * in view with `position: sticky`), so the canvas only ever draws the visible columns from the precomputed
 * peaks. Segments are DOM boxes in content coordinates: they scroll for free and are easy to hit and to test.
 * Pointer: drag on empty waveform = new segment (with the picked label), click = seek, drag a segment = move,
 * drag its edge = resize; Ctrl+wheel zooms about the pointer.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { peakBetween, type Peaks } from "./peaks";
import { clamp, formatTime, type TimeAxis } from "./timeline";

export interface Segment {
  id: string;
  start: number;
  end: number;
  color: string;
  caption: string;
  selected: boolean;
  locked: boolean;
}

interface Props {
  name: string;
  peaks: Peaks | null;
  axis: TimeAxis;
  viewWidth: number;
  height: number;
  time: number;
  segments: Segment[];
  /** Colour of a new segment, null when no label is picked (a drag then only seeks). */
  drawColor: string | null;
  onScroll: (scroll: number) => void;
  onZoom: (factor: number, atX: number) => void;
  onSeek: (t: number) => void;
  onSelect: (id: string | null) => void;
  onCreate: (start: number, end: number) => void;
  onChange: (id: string, start: number, end: number, done: boolean) => void;
}

type Drag =
  | { mode: "create" | "seek"; x0: number; t0: number; moved: boolean }
  | { mode: "move" | "start" | "end"; x0: number; t0: number; moved: boolean; seg: Segment };

const MIN_DRAG_PX = 3;
const TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const RULER = 16;

function drawWave(canvas: HTMLCanvasElement, peaks: Peaks | null, axis: TimeAxis, width: number, height: number) {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
  if (canvas.height !== Math.round(height * dpr)) canvas.height = Math.round(height * dpr);
  const g = canvas.getContext("2d");
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  const waveH = height - RULER;
  const mid = waveH / 2;
  g.fillStyle = "#94a3b8";
  g.fillRect(0, mid, width, 1);
  if (peaks) {
    g.fillStyle = "#64748b";
    const amp = waveH / 2 - 2;
    for (let x = 0; x < width; x++) {
      const t0 = (x + axis.scroll) / axis.pxPerSec;
      if (t0 > axis.duration) break;
      const [lo, hi] = peakBetween(peaks, t0, (x + 1 + axis.scroll) / axis.pxPerSec);
      const top = mid - hi * amp;
      g.fillRect(x, top, 1, Math.max(1, mid - lo * amp - top));
    }
  }
  // Ruler: a tick every step that leaves ~70 px between labels.
  const step = TICKS.find((s) => s * axis.pxPerSec >= 70) ?? 3600;
  g.fillStyle = "#475569";
  g.font = "10px sans-serif";
  g.textBaseline = "top";
  const first = Math.ceil(axis.scroll / axis.pxPerSec / step) * step;
  for (let t = first; t <= axis.duration + 1e-9; t += step) {
    const x = Math.round(t * axis.pxPerSec - axis.scroll);
    if (x > width) break;
    g.fillRect(x, waveH, 1, 4);
    // "0:01.500" -> "0:01.5", "0:02.000" -> "0:02"
    const label = formatTime(t)
      .replace(/(\.\d*?)0+$/, "$1")
      .replace(/\.$/, "");
    g.fillText(label, x + 2, waveH + 3);
  }
}

export function Waveform(props: Props) {
  const { name, peaks, axis, viewWidth, height, time, segments, drawColor } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<Drag | null>(null);
  const [preview, setPreview] = useState<{ start: number; end: number } | null>(null);
  const cb = useRef(props);
  cb.current = props;

  useLayoutEffect(() => {
    if (canvas.current && viewWidth) drawWave(canvas.current, peaks, axis, viewWidth, height);
  }, [peaks, axis, viewWidth, height]);

  // The axis is the source of truth for the scroll position (zoom and follow-the-playhead set it).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && Math.abs(el.scrollLeft - axis.scroll) > 0.5) el.scrollLeft = axis.scroll;
  }, [axis.scroll, axis.pxPerSec]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      cb.current.onZoom(Math.exp(-e.deltaY * 0.002), e.clientX - el.getBoundingClientRect().left);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const timeAt = (clientX: number) => {
    const el = scroller.current!;
    return clamp((clientX - el.getBoundingClientRect().left + el.scrollLeft) / axis.pxPerSec, 0, axis.duration);
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const t0 = timeAt(e.clientX);
    const target = e.target as HTMLElement;
    const hit = target.closest<HTMLElement>("[data-segment]");
    const seg = hit ? segments.find((s) => s.id === hit.dataset.segment) : undefined;
    if (seg) {
      props.onSelect(seg.id);
      const edge = target.closest<HTMLElement>("[data-edge]")?.dataset.edge;
      const mode = seg.locked ? "seek" : edge === "start" ? "start" : edge === "end" ? "end" : "move";
      drag.current =
        mode === "seek" ? { mode, x0: e.clientX, t0, moved: false } : { mode, x0: e.clientX, t0, moved: false, seg };
    } else {
      drag.current = { mode: drawColor ? "create" : "seek", x0: e.clientX, t0, moved: false };
    }
    e.currentTarget.setPointerCapture(e.pointerId);
  };

  const apply = (d: Drag, t: number, done: boolean) => {
    if (d.mode === "create") {
      const s = { start: Math.min(d.t0, t), end: Math.max(d.t0, t) };
      if (done) {
        setPreview(null);
        props.onCreate(s.start, s.end);
      } else setPreview(s);
    } else if (d.mode === "move" || d.mode === "start" || d.mode === "end") {
      const { seg } = d;
      const dt = t - d.t0;
      let { start, end } = seg;
      if (d.mode === "move") {
        const shift = clamp(dt, -start, axis.duration - end);
        start += shift;
        end += shift;
      } else if (d.mode === "start") start = Math.min(clamp(seg.start + dt, 0, axis.duration), end);
      else end = Math.max(clamp(seg.end + dt, 0, axis.duration), start);
      props.onChange(seg.id, start, end, done);
    }
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    if (!d.moved && Math.abs(e.clientX - d.x0) < MIN_DRAG_PX) return;
    d.moved = true;
    apply(d, timeAt(e.clientX), false);
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    const t = timeAt(e.clientX);
    if (!d.moved) {
      // A click: seek there; on empty waveform it also drops the selection.
      if (d.mode === "create" || d.mode === "seek") {
        if (!(e.target as HTMLElement).closest("[data-segment]")) props.onSelect(null);
      }
      props.onSeek(t);
      return;
    }
    apply(d, t, true);
  };

  const contentWidth = Math.max(viewWidth, axis.duration * axis.pxPerSec);
  const waveH = height - RULER;
  return (
    <div
      ref={scroller}
      className="waveform"
      data-testid={`waveform-${name}`}
      data-px-per-sec={axis.pxPerSec}
      style={{ height: height + 14 }}
      onScroll={(e) => props.onScroll(e.currentTarget.scrollLeft)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        drag.current = null;
        setPreview(null);
      }}
    >
      <div className={`wave-content${drawColor ? " drawing" : ""}`} style={{ width: contentWidth, height }}>
        <canvas ref={canvas} style={{ width: viewWidth, height }} />
        {segments.map((s) => (
          <div
            key={s.id}
            data-segment={s.id}
            className={`segment${s.selected ? " selected" : ""}${s.locked ? " locked" : ""}`}
            style={
              {
                left: s.start * axis.pxPerSec,
                width: Math.max(2, (s.end - s.start) * axis.pxPerSec),
                height: waveH,
                "--seg": s.color,
              } as React.CSSProperties
            }
            title={`${s.caption}: ${formatTime(s.start)} – ${formatTime(s.end)}`}
          >
            <span className="seg-caption">{s.caption}</span>
            {!s.locked && <span className="seg-edge start" data-edge="start" />}
            {!s.locked && <span className="seg-edge end" data-edge="end" />}
          </div>
        ))}
        {preview && (
          <div
            className="segment preview"
            style={
              {
                left: preview.start * axis.pxPerSec,
                width: (preview.end - preview.start) * axis.pxPerSec,
                height: waveH,
                "--seg": drawColor ?? "#f59e0b",
              } as React.CSSProperties
            }
          />
        )}
        <div className="playhead" style={{ left: time * axis.pxPerSec, height: waveH }} />
      </div>
    </div>
  );
}
