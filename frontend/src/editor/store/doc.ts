/**
 * The annotation being edited, as plain immutable data, and its conversion from and to Label Studio's
 * result list (LS-COMPAT §4). Regions keep the value keys they were loaded with (percent coordinates), so
 * a result that is not edited is written back exactly as it came; only edited parts are recomputed.
 */
import type { Stroke } from "../brush/raster";
import {
  mediaShapeOf,
  spanKindOf,
  type Control,
  type MediaShape,
  type ParsedConfig,
  type ShapeType,
  type SpanKind,
} from "../config/parse";
import type { Geometry } from "../geometry/shapes";

/** One item of an annotation's `result` list. */
export interface ResultItem {
  id?: string;
  from_name?: string;
  to_name?: string;
  type: string;
  value?: Record<string, unknown>;
  origin?: string;
  original_width?: number;
  original_height?: number;
  image_rotation?: number;
  [key: string]: unknown;
}

/** What one control says about a region: its labels, a per-region text or choice. */
export interface RegionPart {
  fromName: string;
  type: string;
  /** The key in `value` holding `payload`; null for a bare tool (`rectangle`). */
  valueKey: string | null;
  payload: unknown;
  /** The item as loaded: fields we do not model are written back from it. */
  raw: ResultItem | null;
}

export interface ImageMeta {
  original_width: number;
  original_height: number;
  image_rotation: number;
  /** Which image of an Image valueList the region is on (Label Studio's field; absent for one image). */
  item_index?: number;
}

/** What a region is: a shape on an image, a span of text, or a stretch of audio or video. */
export type RegionShape = ShapeType | SpanKind | MediaShape;

export function isSpan(shape: RegionShape): shape is SpanKind {
  return shape === "text" || shape === "hypertext" || shape === "paragraph";
}

export function isMedia(shape: RegionShape): shape is MediaShape {
  return shape === "segment" || shape === "videorectangle" || shape === "timeline";
}

export interface Region {
  id: string;
  toName: string;
  shape: RegionShape;
  /**
   * Label Studio's value keys for the shape (x, y, width, ... or points, or format + rle; for spans start,
   * end, text and, in HTML and paragraphs, startOffset, endOffset).
   */
  geometry: Geometry;
  /** Brush strokes drawn here on top of `geometry.rle`; encoded into it when the result is written. */
  strokes?: Stroke[];
  parts: RegionPart[];
  /** "manual", "prediction", "prediction-changed"; undefined when the loaded item had none. */
  origin?: string;
  image: ImageMeta | null;
}

export interface Classification {
  id: string;
  fromName: string;
  toName: string;
  type: string;
  valueKey: string;
  payload: unknown;
  origin?: string;
  raw: ResultItem | null;
}

export interface Relation {
  fromId: string;
  toId: string;
  direction: "right" | "left" | "bi";
  labels: string[];
  raw: ResultItem | null;
}

export interface Doc {
  regions: Region[];
  classifications: Classification[];
  relations: Relation[];
  /** Items for controls this editor does not know, written back untouched. */
  passthrough: ResultItem[];
}

export const EMPTY_DOC: Doc = { regions: [], classifications: [], relations: [], passthrough: [] };

const ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

/** A random 10-character region id, like Label Studio's. */
export function newId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => ID_CHARS[b % 64]).join("");
}

const GEOMETRY_KEYS: Record<RegionShape, string[]> = {
  rectangle: ["x", "y", "width", "height", "rotation"],
  polygon: ["points", "closed"],
  keypoint: ["x", "y", "width"],
  ellipse: ["x", "y", "radiusX", "radiusY", "rotation"],
  brush: ["format", "rle"],
  text: ["start", "end", "text"],
  hypertext: ["start", "end", "startOffset", "endOffset", "globalOffsets", "text"],
  paragraph: ["start", "end", "startOffset", "endOffset", "text"],
  segment: ["start", "end", "channel"],
  videorectangle: ["sequence", "framesCount", "duration"],
  timeline: ["ranges"],
};

/** The shape of a region from its value keys, for `labels` and per-region items that do not name one. */
export function shapeOfValue(value: Record<string, unknown>): ShapeType | null {
  if ("points" in value) return "polygon";
  if ("rle" in value || value.format === "rle") return "brush";
  if ("radiusX" in value) return "ellipse";
  if ("x" in value && "y" in value && "height" in value) return "rectangle";
  if ("x" in value && "y" in value) return "keypoint";
  return null;
}

function pick(value: Record<string, unknown>, keys: string[]): Geometry {
  const out: Geometry = {};
  for (const k of keys) if (k in value) out[k] = value[k];
  return out;
}

function imageMeta(item: ResultItem): ImageMeta | null {
  if (typeof item.original_width !== "number" || typeof item.original_height !== "number") return null;
  return {
    original_width: item.original_width,
    original_height: item.original_height,
    image_rotation: typeof item.image_rotation === "number" ? item.image_rotation : 0,
    ...(typeof item.item_index === "number" ? { item_index: item.item_index } : {}),
  };
}

/** Where each loaded item stood in its list, so a re-saved result keeps Label Studio's order. */
const loadedAt = new WeakMap<object, number>();

/** Label Studio's result list -> a Doc. Items of unknown controls are kept verbatim in `passthrough`. */
export function fromResults(items: ResultItem[], config: ParsedConfig, defaultOrigin?: string): Doc {
  const doc: Doc = { regions: [], classifications: [], relations: [], passthrough: [] };
  const byId = new Map<string, Region>();
  const classificationItems: [ResultItem, Control][] = [];
  for (const [index, item] of items.entries()) {
    if (!item || typeof item !== "object") continue;
    loadedAt.set(item, index);
    if (item.type === "relation") {
      doc.relations.push({
        fromId: String(item.from_id),
        toId: String(item.to_id),
        direction: item.direction === "left" || item.direction === "bi" ? item.direction : "right",
        labels: Array.isArray(item.labels) ? item.labels.map(String) : [],
        raw: item,
      });
      continue;
    }
    const control = item.from_name ? config.controlByName.get(item.from_name) : undefined;
    const value = (item.value ?? {}) as Record<string, unknown>;
    const span = "start" in value ? spanKindOf(config.objectByName.get(item.to_name ?? "")) : null;
    const object = config.objectByName.get(item.to_name ?? "");
    const shape: RegionShape | null = control?.shape ?? span ?? mediaShapeOf(control, object) ?? shapeOfValue(value);
    // A control on several objects (Pairwise) names them all: "text1,text2".
    if (!control || !item.to_name || !config.objectByName.has(item.to_name.split(",")[0])) {
      doc.passthrough.push(item);
      continue;
    }
    if (control.kind === "classification" && !(control.perRegion && shape)) {
      classificationItems.push([item, control]);
      continue;
    }
    if (!shape) {
      doc.passthrough.push(item);
      continue;
    }
    const valueKey = control.valueKey;
    const part: RegionPart = {
      fromName: control.name,
      type: item.type,
      valueKey,
      payload: valueKey ? value[valueKey] : undefined,
      raw: item,
    };
    const id = item.id ?? newId();
    let region = byId.get(id);
    if (!region) {
      region = {
        id,
        toName: item.to_name,
        shape,
        geometry: pick(value, GEOMETRY_KEYS[shape]),
        parts: [],
        origin: typeof item.origin === "string" ? item.origin : defaultOrigin,
        image: imageMeta(item),
      };
      byId.set(id, region);
      doc.regions.push(region);
    } else if (control.shape && !region.parts.some((p) => config.controlByName.get(p.fromName)?.shape)) {
      // A tool's own item is the authority on the geometry of a region built from several items.
      region.geometry = pick(value, GEOMETRY_KEYS[shape]);
    }
    region.parts.push(part);
    if (part.type === "videorectangle") splitVideoLabels(region, part, config);
  }
  for (const [item, control] of classificationItems) {
    const value = (item.value ?? {}) as Record<string, unknown>;
    const valueKey = control.valueKey ?? control.type;
    doc.classifications.push({
      id: item.id ?? newId(),
      fromName: control.name,
      toName: item.to_name ?? control.toName[0] ?? "",
      type: item.type,
      valueKey,
      payload: value[valueKey],
      origin: typeof item.origin === "string" ? item.origin : defaultOrigin,
      raw: item,
    });
  }
  return doc;
}

/**
 * Label Studio keeps a video box's labels inside its videorectangle item (value.labels), not in an item of
 * their own. Here they become a part of the video's Labels control, as on images, so picking a label works
 * the same; toResults folds them back.
 */
function splitVideoLabels(region: Region, part: RegionPart, config: ParsedConfig): void {
  const raw = part.raw;
  const control = config.controls.find((c) => c.type === "labels" && c.toName.includes(region.toName));
  if (!raw?.value || !control || !Array.isArray(raw.value.labels)) return;
  const { labels, ...value } = raw.value;
  part.raw = { ...raw, value };
  loadedAt.set(part.raw, loadedAt.get(raw) ?? 0);
  if (!region.parts.some((p) => p.fromName === control.name))
    region.parts.push({ fromName: control.name, type: "labels", valueKey: "labels", payload: labels, raw: null });
}

export interface EncodeBrush {
  (region: Region): Geometry;
}

/** A Doc -> Label Studio's result list. `encodeBrush` turns a region's strokes into its RLE. */
export function toResults(doc: Doc, encodeBrush?: EncodeBrush): ResultItem[] {
  const out: ResultItem[] = [];
  const at = new Map<ResultItem, number>();
  const place = (item: ResultItem, raw: ResultItem | null) => {
    at.set(item, (raw && loadedAt.get(raw)) ?? 1e9 + out.length);
    out.push(item);
  };
  for (const r of doc.regions) {
    const geometry = r.strokes?.length && encodeBrush ? encodeBrush(r) : r.geometry;
    const tracked = r.shape === "videorectangle" && r.parts.some((p) => p.type === "videorectangle");
    for (const part of r.parts) {
      if (tracked && part.type === "labels") continue;
      const raw = part.raw ?? ({ type: part.type } as ResultItem);
      const value: Record<string, unknown> = { ...(raw.value ?? {}), ...geometry };
      if (part.valueKey) value[part.valueKey] = part.payload;
      if (tracked && part.type === "videorectangle") {
        const labels = r.parts.find((p) => p.type === "labels")?.payload;
        if (Array.isArray(labels) && labels.length) value.labels = labels;
      }
      const item: ResultItem = {
        ...raw,
        id: r.id,
        from_name: part.fromName,
        to_name: r.toName,
        type: part.type,
        value,
      };
      if (r.origin !== undefined) item.origin = r.origin;
      if (r.image) Object.assign(item, r.image);
      place(item, part.raw);
    }
  }
  for (const c of doc.classifications) {
    const raw = c.raw ?? ({ type: c.type } as ResultItem);
    const item: ResultItem = {
      ...raw,
      id: c.id,
      from_name: c.fromName,
      to_name: c.toName,
      type: c.type,
      value: { ...(raw.value ?? {}), [c.valueKey]: c.payload },
    };
    if (c.origin !== undefined) item.origin = c.origin;
    place(item, c.raw);
  }
  for (const rel of doc.relations) {
    const item: ResultItem = {
      ...(rel.raw ?? {}),
      from_id: rel.fromId,
      to_id: rel.toId,
      type: "relation",
      direction: rel.direction,
    };
    if (rel.labels.length || rel.raw?.labels) item.labels = rel.labels;
    place(item, rel.raw);
  }
  for (const item of doc.passthrough) place(item, item);
  // Stable: new items keep their order after the loaded ones.
  return out.sort((a, b) => at.get(a)! - at.get(b)!);
}

/** What an edit makes of a region's origin: a prediction edited by hand becomes "prediction-changed". */
export function editedOrigin(origin: string | undefined): string {
  return origin === "prediction" ? "prediction-changed" : (origin ?? "manual");
}

/** The labels a region carries (from its *Labels or Labels part). */
export function regionLabels(r: Region, config: ParsedConfig): { control: Control; values: string[] } | null {
  for (const p of r.parts) {
    const c = config.controlByName.get(p.fromName);
    if (c?.kind === "labels" && Array.isArray(p.payload)) return { control: c, values: p.payload.map(String) };
  }
  return null;
}

export function regionPart(r: Region, fromName: string): RegionPart | undefined {
  return r.parts.find((p) => p.fromName === fromName);
}
