/**
 * Time, frames and pixels for the Audio and Video tags. Frame numbers follow Label Studio's video player:
 * frame = round(time * fps), clamped to 1..framesCount, framesCount = ceil(duration * fps), and a keyframe's
 * `time` is frame / fps. Pure functions.
 */

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Label Studio's `framerate` attribute: a number, 24 when missing or not a number, fps = 1/x below 1. */
export function parseFramerate(attr: string | undefined): number {
  const n = Number(attr);
  if (!attr || !Number.isFinite(n) || n <= 0) return 24;
  return n < 1 ? 1 / n : n;
}

export function framesCountOf(duration: number, fps: number): number {
  if (!Number.isFinite(duration) || duration <= 0) return 1;
  // A duration of exactly n frames must not round up to n + 1 because of float noise (3.0000000001 s).
  return Math.max(1, Math.ceil(duration * fps - 1e-6));
}

export function frameAt(time: number, fps: number, framesCount: number): number {
  return clamp(Math.round(time * fps), 1, Math.max(1, framesCount));
}

/** The `time` Label Studio stores with a keyframe. */
export function timeOfFrame(frame: number, fps: number): number {
  return frame / fps;
}

/**
 * Where to seek to show `frame`: a quarter frame past its start, so float error can never land on the frame
 * before, and round(time * fps) still gives `frame` back. Never past the end, where nothing is drawn.
 */
export function seekTimeOfFrame(frame: number, fps: number, duration: number): number {
  const t = (frame + 0.25) / fps;
  return Number.isFinite(duration) && duration > 0 ? Math.min(t, Math.max(0, duration - 0.001)) : t;
}

/** 75.25 -> "1:15.250"; an hour or more gets hours too. */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = String(ms % 1000).padStart(3, "0");
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}.${frac}`;
}

/** Seconds rounded to microseconds: enough for any sample rate, without float noise in saved results. */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/**
 * A horizontal time axis: `pxPerSec` pixels per second, scrolled by `scroll` pixels. The waveform and the
 * video timeline both convert pointer positions through one of these.
 */
export interface TimeAxis {
  pxPerSec: number;
  scroll: number;
  duration: number;
}

export function timeAtX(axis: TimeAxis, x: number): number {
  return clamp((x + axis.scroll) / axis.pxPerSec, 0, axis.duration);
}

export function xAtTime(axis: TimeAxis, t: number): number {
  return t * axis.pxPerSec - axis.scroll;
}

/** Zoom about a point on screen (the pointer, or the playhead), keeping the time under it in place. */
export function zoomAxis(axis: TimeAxis, factor: number, atX: number, viewWidth: number, maxPxPerSec = 4000): TimeAxis {
  const fit = viewWidth / Math.max(axis.duration, 1e-9);
  const pxPerSec = clamp(axis.pxPerSec * factor, fit, Math.max(fit, maxPxPerSec));
  const t = (atX + axis.scroll) / axis.pxPerSec;
  const scroll = clamp(t * pxPerSec - atX, 0, Math.max(0, axis.duration * pxPerSec - viewWidth));
  return { ...axis, pxPerSec, scroll };
}

/** Scroll so that `t` is visible, paging like a player's playhead does. */
export function followTime(axis: TimeAxis, t: number, viewWidth: number): TimeAxis {
  const x = xAtTime(axis, t);
  if (x >= 0 && x <= viewWidth) return axis;
  const max = Math.max(0, axis.duration * axis.pxPerSec - viewWidth);
  return { ...axis, scroll: clamp(t * axis.pxPerSec - viewWidth * 0.1, 0, max) };
}
