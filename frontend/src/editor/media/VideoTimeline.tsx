/**
 * The video's timeline: a frame ruler (click or drag to seek; with a TimelineLabels label picked, drag to mark
 * a range) and a row per region — a box track's lifespans and keyframes, a range's extent. Frame f covers
 * [(f - 1) / N, f / N) of the width.
 */
import { useRef, useState } from "react";
import { clamp } from "./timeline";

export interface TimelineRow {
  id: string;
  caption: string;
  color: string;
  selected: boolean;
  spans: { start: number; end: number }[];
  /** Keyframes (box tracks): frame and whether it starts or ends a lifespan. */
  keys: { frame: number; enabled: boolean }[];
  /** A range that can be moved and stretched here (timeline regions, unless locked). */
  editable: boolean;
}

interface Props {
  name: string;
  width: number;
  framesCount: number;
  fps: number;
  frame: number;
  rows: TimelineRow[];
  /** Colour of a new range; null when no TimelineLabels label is picked. */
  rangeColor: string | null;
  onSeekFrame: (frame: number) => void;
  onSelect: (id: string) => void;
  onCreateRange: (start: number, end: number) => void;
  onChangeRange: (id: string, start: number, end: number, done: boolean) => void;
}

type RangeDrag = { id: string; edge: "start" | "end" | "move"; from: number; start: number; end: number };

const TICKS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export function VideoTimeline(props: Props) {
  const { name, width, framesCount: n, frame, rows, rangeColor, fps } = props;
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ from: number; create: boolean } | null>(null);
  const [draft, setDraft] = useState<{ start: number; end: number } | null>(null);
  const rangeDrag = useRef<RangeDrag | null>(null);
  const per = width / Math.max(1, n);
  const x = (f: number) => (f - 1) * per;
  const frameAtX = (clientX: number) =>
    clamp(Math.floor((clientX - ref.current!.getBoundingClientRect().left) / per) + 1, 1, n);

  const onRulerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const f = frameAtX(e.clientX);
    drag.current = { from: f, create: !!rangeColor };
    e.currentTarget.setPointerCapture(e.pointerId);
    if (rangeColor) setDraft({ start: f, end: f });
    else props.onSeekFrame(f);
  };
  const onRulerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const f = frameAtX(e.clientX);
    if (d.create) setDraft({ start: Math.min(d.from, f), end: Math.max(d.from, f) });
    else props.onSeekFrame(f);
  };
  const onRulerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    setDraft(null);
    if (!d?.create) return;
    const f = frameAtX(e.clientX);
    props.onCreateRange(Math.min(d.from, f), Math.max(d.from, f));
  };

  /** Stretch a range by an edge or move it whole; frames stay within the video and start <= end. */
  const moveRange = (f: number, done: boolean) => {
    const d = rangeDrag.current!;
    const delta = f - d.from;
    let { start, end } = d;
    if (d.edge === "move") {
      const shift = clamp(delta, 1 - start, n - end);
      start += shift;
      end += shift;
    } else if (d.edge === "start") start = clamp(start + delta, 1, end);
    else end = clamp(end + delta, start, n);
    props.onChangeRange(d.id, start, end, done);
  };

  // A tick every step that leaves ~60 px between labels; labels in frames, with seconds in the title.
  const step = TICKS.find((s) => s * per >= 60) ?? TICKS[TICKS.length - 1];
  const ticks: number[] = [];
  for (let f = 1; f <= n; f += f === 1 && step > 1 ? step - 1 : step) ticks.push(f);

  return (
    <div className="timeline" ref={ref} data-testid={`timeline-${name}`} style={{ width }}>
      <div
        className={`timeline-row ruler${rangeColor ? " drawing" : ""}`}
        data-testid={`timeline-ruler-${name}`}
        title={rangeColor ? "Drag to mark a range of frames" : "Click or drag to go to a frame"}
        onPointerDown={onRulerDown}
        onPointerMove={onRulerMove}
        onPointerUp={onRulerUp}
      >
        {ticks.map((f) => (
          <span key={f} className="tick" style={{ left: x(f) }} title={`${(f / fps).toFixed(2)} s`}>
            <span>{f}</span>
          </span>
        ))}
        {draft && (
          <span
            className="timeline-span"
            style={
              {
                left: x(draft.start),
                width: (draft.end - draft.start + 1) * per,
                "--span": rangeColor,
              } as React.CSSProperties
            }
          />
        )}
      </div>
      {rows.map((r) => (
        <div
          key={r.id}
          className={`timeline-row${r.selected ? " selected" : ""}`}
          data-row={r.id}
          onPointerDown={(e) => {
            props.onSelect(r.id);
            const f = frameAtX(e.clientX);
            const edge = (e.target as HTMLElement).dataset.edge as RangeDrag["edge"] | undefined;
            if (r.editable && edge && r.spans[0]) {
              rangeDrag.current = { id: r.id, edge, from: f, ...r.spans[0] };
              e.currentTarget.setPointerCapture(e.pointerId);
            } else props.onSeekFrame(f);
          }}
          onPointerMove={(e) => rangeDrag.current && moveRange(frameAtX(e.clientX), false)}
          onPointerUp={(e) => {
            if (rangeDrag.current) moveRange(frameAtX(e.clientX), true);
            rangeDrag.current = null;
          }}
          style={{ "--span": r.color } as React.CSSProperties}
        >
          <span className="row-label">{r.caption}</span>
          {r.spans.map((s, i) => (
            <span
              key={i}
              className={`timeline-span${r.editable ? " editable" : ""}`}
              data-edge={r.editable ? "move" : undefined}
              style={{ left: x(s.start), width: Math.max(2, (s.end - s.start + 1) * per) }}
            >
              {r.editable && <span className="span-edge start" data-edge="start" />}
              {r.editable && <span className="span-edge end" data-edge="end" />}
            </span>
          ))}
          {r.keys.map((k) => (
            <span
              key={k.frame}
              className={`timeline-key${k.enabled ? "" : " off"}`}
              style={{ left: x(k.frame) + per / 2 }}
              title={`Keyframe ${k.frame}${k.enabled ? "" : " (track ends)"}`}
            />
          ))}
        </div>
      ))}
      <div className="timeline-head" style={{ left: x(frame) + per / 2 }} />
    </div>
  );
}
