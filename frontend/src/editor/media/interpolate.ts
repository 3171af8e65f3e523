/**
 * VideoRectangle tracks: keyframes in, a box per frame out, with Label Studio's semantics.
 * - Between an enabled keyframe and the next keyframe each value is interpolated linearly.
 * - After the last keyframe, if it is enabled, the box stays where it is to the end of the video.
 * - A disabled keyframe is the last frame of a lifespan: the box shows on that frame, not after it, until
 *   the next keyframe starts a new lifespan.
 * - Before the first keyframe there is no box.
 * Coordinates are percent of the frame, as stored. Pure functions; a sequence is never mutated.
 */

export interface Keyframe {
  frame: number;
  /** Seconds: frame / fps, as Label Studio writes it. */
  time?: number;
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  enabled: boolean;
  [key: string]: unknown;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

const PROPS = ["x", "y", "width", "height", "rotation"] as const;

function boxOf(k: Keyframe): Box {
  return { x: k.x, y: k.y, width: k.width, height: k.height, rotation: k.rotation ?? 0 };
}

export function sortedKeyframes(sequence: readonly Keyframe[]): Keyframe[] {
  return [...sequence].sort((a, b) => a.frame - b.frame);
}

/** The box on `frame`, or null where the track is not alive. `sequence` must be sorted by frame. */
export function boxAt(sequence: readonly Keyframe[], frame: number): Box | null {
  let prev: Keyframe | undefined;
  let next: Keyframe | undefined;
  for (const k of sequence) {
    if (k.frame <= frame) prev = k;
    else {
      next = k;
      break;
    }
  }
  if (!prev) return null;
  if (prev.frame === frame) return boxOf(prev);
  if (!prev.enabled) return null;
  if (!next) return boxOf(prev);
  const r = (frame - prev.frame) / (next.frame - prev.frame);
  const out = {} as Box;
  for (const p of PROPS) out[p] = (prev[p] ?? 0) + ((next[p] ?? 0) - (prev[p] ?? 0)) * r;
  return out;
}

/** Every frame 1..framesCount with a box: the whole track, as an export with interpolated frames lists it. */
export function framesOf(sequence: readonly Keyframe[], framesCount: number): { frame: number; box: Box }[] {
  const sorted = sortedKeyframes(sequence);
  const out: { frame: number; box: Box }[] = [];
  if (!sorted.length) return out;
  for (let f = Math.max(1, sorted[0].frame); f <= Math.max(framesCount, sorted[sorted.length - 1].frame); f++) {
    const box = boxAt(sorted, f);
    if (box) out.push({ frame: f, box });
  }
  return out;
}

/** The keyframe at exactly `frame`, if any. */
export function keyframeAt(sequence: readonly Keyframe[], frame: number): Keyframe | undefined {
  return sequence.find((k) => k.frame === frame);
}

/**
 * Put the box on `frame`: the keyframe there is replaced, or a new one is added. A new keyframe keeps the
 * lifespan it falls in (enabled unless the previous keyframe ended it), as Label Studio's editor does.
 */
export function setBoxAt(sequence: readonly Keyframe[], frame: number, box: Box, time: number): Keyframe[] {
  const sorted = sortedKeyframes(sequence);
  const at = sorted.findIndex((k) => k.frame === frame);
  if (at >= 0) {
    const next = [...sorted];
    next[at] = { ...sorted[at], ...box, time };
    return next;
  }
  const prev = [...sorted].reverse().find((k) => k.frame < frame);
  const enabled = prev ? prev.enabled : true;
  return sortedKeyframes([...sorted, { frame, time, ...box, enabled }]);
}

export function removeKeyframe(sequence: readonly Keyframe[], frame: number): Keyframe[] {
  return sequence.filter((k) => k.frame !== frame);
}

/**
 * Start or end the track's lifespan at `frame`: the keyframe there (made from the current box when there is
 * none) flips `enabled`. Disabling the last keyframe hides the box after it; enabling it interpolates again.
 */
export function toggleLifespan(sequence: readonly Keyframe[], frame: number, time: number): Keyframe[] {
  const sorted = sortedKeyframes(sequence);
  const existing = keyframeAt(sorted, frame);
  if (existing) return sorted.map((k) => (k === existing ? { ...k, enabled: !k.enabled } : k));
  const box = boxAt(sorted, frame);
  if (!box) {
    // Outside any lifespan: bring the nearest earlier box back to life here.
    const prev = [...sorted].reverse().find((k) => k.frame < frame);
    if (!prev) return sorted;
    return sortedKeyframes([...sorted, { ...boxOf(prev), frame, time, enabled: true }]);
  }
  return sortedKeyframes([...sorted, { ...box, frame, time, enabled: false }]);
}

/** Stretches of frames where the track is alive, for drawing it on a timeline. */
export function lifespans(sequence: readonly Keyframe[], framesCount: number): { start: number; end: number }[] {
  const sorted = sortedKeyframes(sequence);
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i];
    const next = sorted[i + 1];
    const end = !k.enabled ? k.frame : next ? next.frame : Math.max(framesCount, k.frame);
    const last = out[out.length - 1];
    if (last && last.end >= k.frame) last.end = Math.max(last.end, end);
    else out.push({ start: k.frame, end });
  }
  return out;
}
