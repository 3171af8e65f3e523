/** What the editor needs to know about a region beyond its data: its colour, its caption, how to make one. */
import type { Control, ParsedConfig, ShapeType } from "./config/parse";
import { regionLabels, newId, type ImageMeta, type Region, type RegionPart, type RegionShape } from "./store/doc";
import type { Geometry } from "./geometry/shapes";

const DEFAULT_COLOR = "#f59e0b";

export function regionColor(r: Region, config: ParsedConfig): string {
  const labels = regionLabels(r, config);
  if (labels && labels.values.length) {
    const def = labels.control.labels.find((l) => l.value === labels.values[0]);
    if (def) return def.background;
  }
  for (const p of r.parts) {
    const c = config.controlByName.get(p.fromName);
    const color = c?.node.attrs.strokecolor ?? c?.node.attrs.fillcolor;
    if (color) return color;
  }
  return DEFAULT_COLOR;
}

export function regionCaption(r: Region, config: ParsedConfig): string {
  const labels = regionLabels(r, config);
  return labels && labels.values.length ? labels.values.join(", ") : SHAPE_NAMES[r.shape];
}

export const SHAPE_NAMES: Record<RegionShape, string> = {
  rectangle: "Rectangle",
  polygon: "Polygon",
  keypoint: "Key point",
  ellipse: "Ellipse",
  brush: "Brush",
  text: "Text span",
  hypertext: "HTML span",
  paragraph: "Dialogue span",
  segment: "Audio segment",
  videorectangle: "Video box",
  timeline: "Timeline range",
};

/**
 * The parts of a new region of `shape` on `object`: the *Labels control of that shape with its active
 * labels, else the bare tool, plus a generic Labels control with active labels. Null when nothing may
 * draw it (a *Labels control without a picked label and no bare tool).
 */
export function newRegionParts(
  config: ParsedConfig,
  object: string,
  shape: ShapeType,
  active: Readonly<Record<string, string[]>>,
): RegionPart[] | null {
  const on = (c: Control) => c.toName.includes(object);
  const part = (c: Control, payload: unknown): RegionPart => ({
    fromName: c.name,
    type: c.type,
    valueKey: c.valueKey,
    payload,
    raw: null,
  });
  const shaped = config.controls.find(
    (c) => on(c) && c.kind === "labels" && c.shape === shape && active[c.name]?.length,
  );
  const tool = config.controls.find((c) => on(c) && c.kind === "tool" && c.shape === shape);
  const first = shaped ?? tool;
  if (!first) return null;
  const parts = [part(first, shaped ? active[shaped.name] : undefined)];
  const generic = config.controls.find((c) => on(c) && c.type === "labels" && active[c.name]?.length);
  if (generic) parts.push(part(generic, active[generic.name]));
  return parts.length ? parts : null;
}

/** The shapes an object can be drawn with. */
export function shapesOf(config: ParsedConfig, object: string): ShapeType[] {
  const out: ShapeType[] = [];
  for (const c of config.controls)
    if (c.shape && c.toName.includes(object) && !out.includes(c.shape)) out.push(c.shape);
  return out;
}

export function makeRegion(
  object: string,
  shape: ShapeType,
  geometry: Geometry,
  parts: RegionPart[],
  image: ImageMeta,
): Region {
  return { id: newId(), toName: object, shape, geometry, parts, origin: "manual", image };
}
