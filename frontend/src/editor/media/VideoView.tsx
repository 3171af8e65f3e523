/**
 * The Video tag: a <video> stepped frame by frame (Label Studio's numbering: frame = round(time * fps), from 1),
 * VideoRectangle tracks drawn over it with keyframes and linear interpolation between them, TimelineLabels
 * ranges on a timeline, and whole-video controls (Choices) as usual.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { resolveValue, type TagNode } from "../config/parse";
import { useEditor, useEditorState, type MediaHandle } from "../components/EditorContext";
import { regionCaption, regionColor } from "../regions";
import type { Region } from "../store/doc";
import {
  boxAt,
  keyframeAt,
  lifespans,
  removeKeyframe,
  setBoxAt,
  sortedKeyframes,
  toggleLifespan,
  type Box,
} from "./interpolate";
import { MediaControls, NoMedia } from "./MediaControls";
import { newTimelineRange, newVideoBox, pickedColor, rangeOf, sequenceOf } from "./mediaRegions";
import { clamp, frameAt, framesCountOf, parseFramerate, seekTimeOfFrame, timeOfFrame } from "./timeline";
import { useMediaHandle, useWidth } from "./useMediaTag";
import { nextSpeed, usePlayer } from "./usePlayer";
import { VideoBoxes, type ShownBox } from "./VideoBoxes";
import { VideoTimeline, type TimelineRow } from "./VideoTimeline";
import "../../styles/media.css";

export function VideoView({ node }: { node: TagNode }) {
  const { store, config, data } = useEditor();
  const state = useEditorState();
  const name = node.attrs.name;
  const raw = resolveValue(node.attrs.value, data);
  const src = typeof raw === "string" ? raw : "";
  const fps = parseFramerate(String(resolveValue(node.attrs.framerate, data) ?? ""));
  const player = usePlayer(src);
  const { duration, time } = player;
  const framesCount = framesCountOf(duration, fps);
  const frame = frameAt(time, fps, framesCount);
  const frameRef = useRef(frame);
  frameRef.current = frame;

  const wrap = useRef<HTMLDivElement>(null);
  // The picture is painted on a canvas, as Label Studio does: after quick seeks a paused <video> element can
  // keep showing an earlier frame for a while, while drawImage always has the frame it seeked to.
  const canvas = useRef<HTMLCanvasElement>(null);
  const paint = useCallback(() => {
    const c = canvas.current;
    const v = player.ref.current as HTMLVideoElement | null;
    if (!c || !v || v.readyState < 2 || !c.clientWidth) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(c.clientWidth * dpr);
    const h = Math.round(c.clientHeight * dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    c.getContext("2d")?.drawImage(v, 0, 0, w, h);
  }, [player.ref]);
  const containerWidth = useWidth(wrap);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const maxHeight = Math.max(160, Number(node.attrs.height) || 480);
  const aspect = natural ? natural.width / natural.height : 16 / 9;
  const width = Math.floor(Math.min(containerWidth, maxHeight * aspect)) || containerWidth;
  const height = Math.round(width / aspect);

  useEffect(paint, [paint, time, width, height]);

  const goToFrame = useCallback(
    (f: number) => {
      player.pause();
      player.seek(seekTimeOfFrame(clamp(f, 1, framesCount), fps, player.ref.current?.duration ?? duration));
    },
    [player.pause, player.seek, player.ref, framesCount, fps, duration], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const handle = useMemo<MediaHandle>(
    () => ({
      togglePlay: player.toggle,
      step: (dir, big) => goToFrame(frameRef.current + dir * (big ? Math.round(fps) : 1)),
      speed: (dir) => player.setRate(nextSpeed(player.ref.current?.playbackRate ?? 1, dir)),
      zoom: () => false,
    }),
    [player.toggle, player.setRate, player.ref, goToFrame, fps],
  );
  const markUsed = useMediaHandle(name, handle);

  const { selected, hidden, locked, activeLabels } = state.ui;
  const regions = useMemo(() => state.doc.regions.filter((r) => r.toName === name), [state.doc.regions, name]);
  const tracks = regions.filter((r) => r.shape === "videorectangle");
  const meta = { fps, framesCount, duration };
  const hasTool = config.controls.some((c) => c.type === "videorectangle" && c.toName.includes(name));
  const boxColor = hasTool ? (pickedColor(config, name, ["labels"], activeLabels) ?? "#f59e0b") : null;
  const rangeColor = pickedColor(config, name, ["timelinelabels"], activeLabels);

  const shown: ShownBox[] = [];
  for (const r of tracks) {
    if (hidden.has(r.id)) continue;
    const seq = sortedKeyframes(sequenceOf(r));
    const box = boxAt(seq, frame);
    if (box)
      shown.push({
        id: r.id,
        box,
        color: regionColor(r, config),
        caption: regionCaption(r, config),
        selected: selected.includes(r.id),
        locked: locked.has(r.id),
        keyframe: !!keyframeAt(seq, frame),
      });
  }

  const setTrack = (r: Region, sequence: unknown, merge: string | null) =>
    store.updateRegion(r.id, { geometry: { ...r.geometry, sequence, framesCount, duration } }, undefined, merge);

  const rows: TimelineRow[] = regions
    .filter((r) => r.shape === "videorectangle" || r.shape === "timeline")
    .map((r) => {
      const seq = r.shape === "videorectangle" ? sortedKeyframes(sequenceOf(r)) : [];
      return {
        id: r.id,
        caption: regionCaption(r, config),
        color: regionColor(r, config),
        selected: selected.includes(r.id),
        spans: r.shape === "timeline" ? [rangeOf(r)] : lifespans(seq, framesCount),
        keys: seq.map((k) => ({ frame: k.frame, enabled: k.enabled })),
        editable: r.shape === "timeline" && !locked.has(r.id),
      };
    });

  const track = selected.length === 1 ? tracks.find((r) => r.id === selected[0]) : undefined;

  // A track or range picked in the region list: show its first frame unless it is on screen already.
  const selectedHere = useRef(false);
  const selectHere = (id: string | null) => {
    selectedHere.current = id !== null;
    store.select(id ? [id] : []);
  };
  const selectedId = selected.length === 1 ? selected[0] : null;
  useEffect(() => {
    const r = selectedId ? regions.find((x) => x.id === selectedId) : undefined;
    if (!r || selectedHere.current) {
      selectedHere.current = false;
      return;
    }
    const seq = sortedKeyframes(sequenceOf(r));
    const range = rangeOf(r);
    const shown = r.shape === "timeline" ? frame >= range.start && frame <= range.end : !!boxAt(seq, frame);
    const first = r.shape === "timeline" ? range.start : seq[0]?.frame;
    if (!shown && first) goToFrame(first);
    // Only when the selection changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  if (!src) return <NoMedia kind="video" value={node.attrs.value} />;

  return (
    <div className="video-tag" ref={wrap} data-testid={`video-${name}`} onPointerDownCapture={markUsed}>
      {player.error && (
        <div className="image-error" role="alert" data-testid="media-error">
          {player.error} You can still skip the task.
        </div>
      )}
      <div
        className={`video-stage${boxColor ? " drawing" : ""}`}
        style={{ width, height, display: player.error ? "none" : undefined }}
      >
        <video
          ref={player.ref as React.RefObject<HTMLVideoElement>}
          src={src}
          preload="auto"
          muted={node.attrs.muted === "true"}
          playsInline
          {...player.events}
          onLoadedMetadata={(e) => {
            setNatural({ width: e.currentTarget.videoWidth || 16, height: e.currentTarget.videoHeight || 9 });
            player.events.onLoadedMetadata?.(e);
          }}
          onLoadedData={paint}
          onSeeked={(e) => {
            paint();
            player.events.onSeeked?.(e);
          }}
        />
        <canvas ref={canvas} style={{ width, height }} />
        {duration > 0 && (
          <VideoBoxes
            width={width}
            height={height}
            boxes={shown}
            drawColor={boxColor}
            onStart={player.pause}
            onSelect={selectHere}
            onCreate={(box: Box) => {
              const r = newVideoBox(config, name, frame, box, meta, activeLabels);
              if (r) store.addRegion(r);
            }}
            onChange={(id, box, done) => {
              const r = tracks.find((x) => x.id === id);
              if (!r) return;
              setTrack(r, setBoxAt(sequenceOf(r), frame, box, timeOfFrame(frame, fps)), `track:${id}:${frame}`);
              if (done) store.seal();
            }}
          />
        )}
        {!duration && !player.error && <div className="video-loading">Loading video…</div>}
      </div>
      {!player.error && (
        <MediaControls
          player={player}
          name={name}
          frame={{ current: frame, count: framesCount, step: (d) => goToFrame(frame + d) }}
        >
          <span className="hint">
            {[boxColor && "Drag on the video to draw a box", rangeColor && "drag on the frame ruler to mark frames"]
              .filter(Boolean)
              .join(" · ")}
          </span>
        </MediaControls>
      )}
      {track && <KeyframeBar track={track} frame={frame} fps={fps} goToFrame={goToFrame} setTrack={setTrack} />}
      {width > 0 && duration > 0 && (
        <VideoTimeline
          name={name}
          width={width}
          framesCount={framesCount}
          fps={fps}
          frame={frame}
          rows={rows}
          rangeColor={rangeColor}
          onSeekFrame={goToFrame}
          onSelect={selectHere}
          onCreateRange={(start, end) => {
            const r = newTimelineRange(config, name, start, end, activeLabels);
            selectedHere.current = true; // the new range is selected: stay on the frame shown
            if (r) store.addRegion(r);
          }}
          onChangeRange={(id, start, end, done) => {
            const r = regions.find((x) => x.id === id);
            const was = r && rangeOf(r);
            if (r && was && (was.start !== start || was.end !== end))
              store.updateRegion(
                id,
                { geometry: { ...r.geometry, ranges: [{ start, end }] } },
                undefined,
                `range:${id}`,
              );
            if (done) store.seal();
          }}
        />
      )}
    </div>
  );
}

interface BarProps {
  track: Region;
  frame: number;
  fps: number;
  goToFrame: (f: number) => void;
  setTrack: (r: Region, sequence: unknown, merge: string | null) => void;
}

/** Keyframe tools for the selected track at the frame shown. */
function KeyframeBar({ track, frame, fps, goToFrame, setTrack }: BarProps) {
  const seq = sortedKeyframes(sequenceOf(track));
  const here = keyframeAt(seq, frame);
  const box = boxAt(seq, frame);
  const prev = [...seq].reverse().find((k) => k.frame < frame);
  const next = seq.find((k) => k.frame > frame);
  const t = timeOfFrame(frame, fps);
  return (
    <div className="keyframe-bar" data-testid="keyframe-bar">
      <span className="hint">
        Keyframes: {seq.map((k) => k.frame).join(", ")} · frame {frame} is{" "}
        {here
          ? `a keyframe${here.enabled ? "" : " (the track ends here)"}`
          : !box
            ? "outside the track"
            : next
              ? "interpolated"
              : `held from keyframe ${prev?.frame}`}
      </span>
      <button type="button" className="btn small" disabled={!prev} onClick={() => prev && goToFrame(prev.frame)}>
        ◆ Previous
      </button>
      <button type="button" className="btn small" disabled={!next} onClick={() => next && goToFrame(next.frame)}>
        Next ◆
      </button>
      {here ? (
        <button
          type="button"
          className="btn small"
          disabled={seq.length < 2}
          onClick={() => setTrack(track, removeKeyframe(seq, frame), null)}
        >
          Delete keyframe
        </button>
      ) : (
        <button
          type="button"
          className="btn small"
          disabled={!box}
          onClick={() => box && setTrack(track, setBoxAt(seq, frame, box, t), null)}
        >
          Add keyframe
        </button>
      )}
      <button type="button" className="btn small" onClick={() => setTrack(track, toggleLifespan(seq, frame, t), null)}>
        {box && !(here && !here.enabled) ? "End track here" : "Resume track here"}
      </button>
    </div>
  );
}
