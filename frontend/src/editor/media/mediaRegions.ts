/**
 * Making Audio and Video regions in Label Studio's shapes (LS-COMPAT §4):
 * - an audio segment: `labels` {start, end, channel, labels} (seconds), plus per-region items with its id;
 * - a video box: `videorectangle` {sequence, framesCount, duration}, its labels folded in on save (doc.ts);
 * - a timeline range: `timelinelabels` {ranges: [{start, end}], timelinelabels} (frames).
 */
import { labelControlsFor, type Control, type ParsedConfig } from "../config/parse";
import { newId, type Region, type RegionPart } from "../store/doc";
import { lifespans, type Box, type Keyframe } from "./interpolate";
import { formatTime, roundTime } from "./timeline";

type Active = Readonly<Record<string, string[]>>;

const part = (c: Control, payload: unknown): RegionPart => ({
  fromName: c.name,
  type: c.type,
  valueKey: c.valueKey,
  payload,
  raw: null,
});

function region(toName: string, shape: Region["shape"], geometry: Region["geometry"], parts: RegionPart[]): Region {
  return { id: newId(), toName, shape, geometry, parts, origin: "manual", image: null };
}

/** The Labels control of `object` whose label is picked, with its labels; null when none is picked. */
export function pickedLabels(config: ParsedConfig, object: string, type: string, active: Active): RegionPart | null {
  const c = labelControlsFor(config, object).find((x) => x.type === type && active[x.name]?.length);
  return c ? part(c, active[c.name]) : null;
}

export function newSegment(config: ParsedConfig, object: string, start: number, end: number, active: Active) {
  const labels = pickedLabels(config, object, "labels", active);
  if (!labels) return null;
  return region(object, "segment", { start: roundTime(start), end: roundTime(end), channel: 0 }, [labels]);
}

export function newTimelineRange(config: ParsedConfig, object: string, start: number, end: number, active: Active) {
  const labels = pickedLabels(config, object, "timelinelabels", active);
  if (!labels) return null;
  return region(object, "timeline", { ranges: [{ start, end }] }, [labels]);
}

export interface VideoMeta {
  fps: number;
  framesCount: number;
  duration: number;
}

export function newVideoBox(
  config: ParsedConfig,
  object: string,
  frame: number,
  box: Box,
  meta: VideoMeta,
  active: Active,
) {
  const tool = config.controls.find((c) => c.type === "videorectangle" && c.toName.includes(object));
  if (!tool) return null;
  const parts = [part(tool, undefined)];
  const labels = pickedLabels(config, object, "labels", active);
  if (labels) parts.push(labels);
  const first: Keyframe = { frame, time: frame / meta.fps, ...box, enabled: true };
  return region(
    object,
    "videorectangle",
    { sequence: [first], framesCount: meta.framesCount, duration: meta.duration },
    parts,
  );
}

export function sequenceOf(r: Region): Keyframe[] {
  return Array.isArray(r.geometry.sequence) ? (r.geometry.sequence as Keyframe[]) : [];
}

export function rangeOf(r: Region): { start: number; end: number } {
  const ranges = Array.isArray(r.geometry.ranges) ? (r.geometry.ranges as { start: number; end: number }[]) : [];
  return ranges[0] ?? { start: 1, end: 1 };
}

/** A segment's start and end, in order, whatever was loaded. */
export function spanOf(r: Region): { start: number; end: number } {
  const a = Number(r.geometry.start) || 0;
  const b = Number(r.geometry.end) || 0;
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

/** The colour of what would be drawn now: the first picked label among `types` on `object`. */
export function pickedColor(config: ParsedConfig, object: string, types: string[], active: Active): string | null {
  for (const c of labelControlsFor(config, object)) {
    const v = types.includes(c.type) ? active[c.name]?.[0] : undefined;
    if (v) return c.labels.find((l) => l.value === v)?.background ?? null;
  }
  return null;
}

/** Where a media region is, for the region list: "1.500–2.250 s", "59:01.000–59:04.000", "frames 5–30". */
export function mediaDetail(r: Region): string | null {
  if (r.shape === "segment") {
    const { start, end } = spanOf(r);
    // Past a minute, "3541.000" has to be worked out; the clock's own format reads at once.
    return end < 60 ? `${start.toFixed(3)}–${end.toFixed(3)} s` : `${formatTime(start)}–${formatTime(end)}`;
  }
  if (r.shape === "timeline") {
    const { start, end } = rangeOf(r);
    return start === end ? `frame ${start}` : `frames ${start}–${end}`;
  }
  if (r.shape === "videorectangle") {
    const spans = lifespans(sequenceOf(r), Number(r.geometry.framesCount) || 0);
    return spans.length
      ? `frames ${spans.map((s) => (s.start === s.end ? s.start : `${s.start}–${s.end}`)).join(", ")}`
      : null;
  }
  return null;
}
