/**
 * The Audio tag: an <audio> element driven by our own controls, its waveform (decoded once with Web Audio
 * into peaks) and its segments. Segments are Label Studio `labels` regions {start, end, channel} in seconds;
 * per-region controls (a TextArea for the transcription) attach to the selected one through the store.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { resolveValue, type TagNode } from "../config/parse";
import { useEditor, useEditorState, type MediaHandle } from "../components/EditorContext";
import { regionCaption, regionColor } from "../regions";
import { MediaControls, NoMedia } from "./MediaControls";
import { newSegment, pickedColor, spanOf } from "./mediaRegions";
import { computePeaks, type Peaks } from "./peaks";
import { followTime, roundTime, zoomAxis, type TimeAxis } from "./timeline";
import { useMediaHandle, useWidth } from "./useMediaTag";
import { nextSpeed, usePlayer } from "./usePlayer";
import { Waveform, type Segment } from "./Waveform";
import "../../styles/media.css";

/** Long files are decoded at a low rate: the waveform only needs its envelope, and an hour at 44.1 kHz is 600 MB. */
const LONG_SECONDS = 600;

async function loadPeaks(src: string, duration: number, signal: AbortSignal): Promise<Peaks> {
  const r = await fetch(src, { credentials: "same-origin", signal });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const bytes = await r.arrayBuffer();
  const rate = duration > LONG_SECONDS ? 8000 : 44100;
  const buffer = await new OfflineAudioContext(1, 1, rate).decodeAudioData(bytes);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  return computePeaks(channels, buffer.sampleRate);
}

export function AudioView({ node }: { node: TagNode }) {
  const { store, config, data, hint } = useEditor();
  const state = useEditorState();
  const name = node.attrs.name;
  const raw = resolveValue(node.attrs.value, data);
  const src = typeof raw === "string" ? raw : "";
  const player = usePlayer(src);
  const { duration, time } = player;
  const height = Math.min(400, Math.max(60, Number(node.attrs.height) || 120));

  const wrap = useRef<HTMLDivElement>(null);
  const viewWidth = useWidth(wrap);
  const [axis, setAxis] = useState<TimeAxis>({ pxPerSec: 100, scroll: 0, duration: 0 });
  const userZoomed = useRef(false);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [peaksError, setPeaksError] = useState<string | null>(null);

  // Fit the whole file until the user zooms.
  useLayoutEffect(() => {
    if (!duration || !viewWidth) return;
    setAxis((a) =>
      userZoomed.current && a.duration === duration ? a : { pxPerSec: viewWidth / duration, scroll: 0, duration },
    );
  }, [duration, viewWidth]);

  useEffect(() => {
    if (!src || !duration || player.error) return;
    const abort = new AbortController();
    setPeaksError(null);
    loadPeaks(src, duration, abort.signal).then(setPeaks, (e: unknown) => {
      if (!abort.signal.aborted) setPeaksError(e instanceof Error ? e.message : String(e));
    });
    return () => abort.abort();
  }, [src, duration, player.error]);

  const zoom = useCallback(
    (factor: number, atX?: number) => {
      userZoomed.current = true;
      setAxis((a) => {
        const x =
          atX ?? Math.min(Math.max(0, a.pxPerSec * (player.ref.current?.currentTime ?? 0) - a.scroll), viewWidth);
        return zoomAxis(a, factor, x, viewWidth);
      });
    },
    [viewWidth, player.ref],
  );

  const handle = useMemo<MediaHandle>(
    () => ({
      togglePlay: player.toggle,
      step: (dir, big) => player.seek((player.ref.current?.currentTime ?? 0) + dir * (big ? 5 : 1)),
      speed: (dir) => player.setRate(nextSpeed(player.ref.current?.playbackRate ?? 1, dir)),
      zoom: (f) => (zoom(f), true),
    }),
    [player.toggle, player.seek, player.setRate, player.ref, zoom],
  );
  const markUsed = useMediaHandle(name, handle);

  // Keep the playhead in view while playing.
  useEffect(() => {
    if (player.playing && viewWidth) setAxis((a) => followTime(a, time, viewWidth));
  }, [time, player.playing, viewWidth]);

  const { selected, hidden, locked, activeLabels } = state.ui;
  const regions = useMemo(
    () => state.doc.regions.filter((r) => r.toName === name && r.shape === "segment"),
    [state.doc.regions, name],
  );
  const segments: Segment[] = regions
    .filter((r) => !hidden.has(r.id))
    .map((r) => ({
      id: r.id,
      ...spanOf(r),
      color: regionColor(r, config),
      caption: regionCaption(r, config),
      selected: selected.includes(r.id),
      locked: locked.has(r.id),
    }));

  // A segment picked in the region list: play from its start (unless the playhead is already in it).
  const fromWave = useRef(false);
  const selectedId = selected.length === 1 ? selected[0] : null;
  useEffect(() => {
    const r = selectedId ? regions.find((x) => x.id === selectedId) : undefined;
    if (!r || fromWave.current) {
      fromWave.current = false;
      return;
    }
    const { start, end } = spanOf(r);
    const now = player.ref.current?.currentTime ?? 0;
    if (now < start || now > end) player.seek(start);
    if (viewWidth) setAxis((a) => followTime(a, start, viewWidth));
    // Only when the selection changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const drawColor = pickedColor(config, name, ["labels"], activeLabels);

  if (!src) return <NoMedia kind="audio" value={node.attrs.value} />;

  return (
    <div className="audio-tag" ref={wrap} data-testid={`audio-${name}`} onPointerDownCapture={markUsed}>
      <audio ref={player.ref as React.RefObject<HTMLAudioElement>} src={src} preload="auto" {...player.events} />
      {player.error ? (
        <div className="image-error" role="alert" data-testid="media-error">
          {player.error} You can still skip the task.
        </div>
      ) : (
        <>
          <Waveform
            name={name}
            peaks={peaks}
            axis={axis}
            viewWidth={viewWidth}
            height={height}
            time={time}
            segments={segments}
            drawColor={drawColor}
            onScroll={(scroll) => setAxis((a) => (a.scroll === scroll ? a : { ...a, scroll }))}
            onZoom={zoom}
            onSeek={player.seek}
            onSelect={(id) => {
              fromWave.current = id !== null;
              store.select(id ? [id] : []);
            }}
            onCreate={(start, end) => {
              const r = newSegment(config, name, start, end, activeLabels);
              if (r) store.addRegion(r);
              else hint("Pick a label first, then drag on the waveform.");
            }}
            onChange={(id, start, end, done) => {
              const r = regions.find((x) => x.id === id);
              if (!r) return;
              store.updateRegion(
                id,
                { geometry: { ...r.geometry, start: roundTime(start), end: roundTime(end) } },
                undefined,
                `seg:${id}`,
              );
              if (done) store.seal();
            }}
          />
          {!peaks && (
            <p className="hint media-note" data-testid="waveform-status">
              {peaksError
                ? `No waveform: this browser could not decode the file (${peaksError}).`
                : "Drawing the waveform…"}
            </p>
          )}
        </>
      )}
      {!player.error && (
        <MediaControls player={player} name={name}>
          <span className="seg-group">
            <button
              type="button"
              className="btn small seg"
              onClick={() => zoom(1 / 1.5)}
              title="Zoom out (-)"
              aria-label="Zoom out"
            >
              −
            </button>
            <button
              type="button"
              className="btn small seg"
              onClick={() => zoom(1.5)}
              title="Zoom in (+)"
              aria-label="Zoom in"
            >
              +
            </button>
          </span>
          <span className="hint">
            {drawColor ? "Drag on the waveform to add a segment" : "Pick a label to add segments"}
          </span>
        </MediaControls>
      )}
    </div>
  );
}
