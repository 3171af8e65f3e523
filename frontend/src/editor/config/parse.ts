/**
 * A Label Studio labeling config (XML) -> a tag tree plus the facts the editor needs: which objects show
 * data, which controls produce results (with their labels and hotkeys), and which tags we cannot render.
 * Tag and attribute names are case-insensitive in Label Studio, so both are normalised here once.
 */

export interface TagNode {
  /** Canonical tag name ("RectangleLabels"), or the name as written when the tag is unknown. */
  tag: string;
  /** Attribute names lowercased: `toName` -> `toname`. */
  attrs: Record<string, string>;
  children: TagNode[];
  /** Direct text content (Header's text, Style's CSS). */
  text: string;
  /** A stable key from the node's position, for React lists. */
  key: string;
}

export type ShapeType = "rectangle" | "polygon" | "keypoint" | "ellipse" | "brush";
/** Regions that are a stretch of text: of a Text, a HyperText (by xpath) or a Paragraphs object. */
export type SpanKind = "text" | "hypertext" | "paragraph";
/** Regions in time: a stretch of audio, a tracked box in a video, a range of video frames. */
export type MediaShape = "segment" | "videorectangle" | "timeline";
export type ControlKind = "tool" | "labels" | "classification" | "relations";

export interface LabelDef {
  value: string;
  /** What is shown (alias/value), and the colour regions drawn with it get. */
  background: string;
  hotkey: string | null;
  selected: boolean;
  hint: string | null;
}

export interface Control {
  node: TagNode;
  tag: string;
  name: string;
  /** Result type: the tag lowercased ("rectanglelabels"). */
  type: string;
  /** The key inside `value` holding the payload ("rectanglelabels", "choices", "text"); null for bare tools. */
  valueKey: string | null;
  toName: string[];
  kind: ControlKind;
  /** The shape this control draws (tools and *Labels tied to a tool). */
  shape: ShapeType | null;
  perRegion: boolean;
  labels: LabelDef[];
}

export interface ParsedConfig {
  root: TagNode;
  objects: TagNode[];
  controls: Control[];
  controlByName: Map<string, Control>;
  objectByName: Map<string, TagNode>;
  /** Tags the editor cannot render, named on screen instead of being skipped silently. */
  unsupported: string[];
}

export class ConfigError extends Error {}

const TOOL_TAGS: Record<string, ShapeType> = {
  rectangle: "rectangle",
  rectanglelabels: "rectangle",
  polygon: "polygon",
  polygonlabels: "polygon",
  keypoint: "keypoint",
  keypointlabels: "keypoint",
  ellipse: "ellipse",
  ellipselabels: "ellipse",
  brush: "brush",
  brushlabels: "brush",
};

const CLASSIFICATION = new Set(["choices", "textarea", "rating", "number", "taxonomy", "pairwise", "ranker"]);
const OBJECTS = new Set(["image", "text", "hypertext", "paragraphs", "audio", "video", "list"]);
/** Controls of Audio and Video that are neither image tools nor span labels. */
const MEDIA_CONTROLS: Record<string, ControlKind> = { videorectangle: "tool", timelinelabels: "labels" };
/** Labels controls that mark stretches of text rather than draw shapes. */
const SPAN_LABELS = new Set(["labels", "hypertextlabels", "paragraphlabels"]);
const SPAN_OBJECTS: Record<string, SpanKind> = { text: "text", hypertext: "hypertext", paragraphs: "paragraph" };

/** The kind of span regions an object holds (Text -> "text"), or null for objects without spans. */
export function spanKindOf(object: TagNode | undefined): SpanKind | null {
  return object ? (SPAN_OBJECTS[object.tag.toLowerCase()] ?? null) : null;
}
const LAYOUT = new Set(["view", "header", "style", "label", "choice", "relation", "bucket"]);

/** The kind of region a control makes on an object in time (Labels on Audio -> "segment"), else null. */
export function mediaShapeOf(control: Control | undefined, object: TagNode | undefined): MediaShape | null {
  const tag = object?.tag.toLowerCase();
  if (tag === "audio") return "segment";
  if (tag !== "video" || !control) return null;
  if (control.type === "videorectangle" || control.type === "labels") return "videorectangle";
  return control.type === "timelinelabels" ? "timeline" : null;
}

/** Every tag we render, keyed by its lowercase name. */
const CANONICAL = Object.fromEntries(
  [
    "View",
    "Header",
    "Style",
    "Image",
    "Text",
    "HyperText",
    "HyperTextLabels",
    "Paragraphs",
    "ParagraphLabels",
    "Taxonomy",
    "Pairwise",
    "List",
    "Ranker",
    "Bucket",
    "Audio",
    "Video",
    "VideoRectangle",
    "TimelineLabels",
    "Choices",
    "Choice",
    "TextArea",
    "Rating",
    "Number",
    "Labels",
    "Label",
    "Rectangle",
    "RectangleLabels",
    "Polygon",
    "PolygonLabels",
    "KeyPoint",
    "KeyPointLabels",
    "Ellipse",
    "EllipseLabels",
    "Brush",
    "BrushLabels",
    "Relations",
    "Relation",
  ].map((t) => [t.toLowerCase(), t]),
);

/** Label Studio's palette for labels without a background. */
const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#800000"];

const VALUE_KEYS: Record<string, string> = {
  choices: "choices",
  textarea: "text",
  rating: "rating",
  number: "number",
  labels: "labels",
  relations: "relations",
  pairwise: "selected",
};

function toNode(el: Element, key: string, unsupported: Set<string>): TagNode {
  const lower = el.tagName.toLowerCase();
  const tag = CANONICAL[lower] ?? el.tagName;
  if (!CANONICAL[lower]) unsupported.add(el.tagName);
  const attrs: Record<string, string> = {};
  for (const a of Array.from(el.attributes)) attrs[a.name.toLowerCase()] = a.value;
  let text = "";
  for (const n of Array.from(el.childNodes)) if (n.nodeType === 3 || n.nodeType === 4) text += n.textContent ?? "";
  const children = Array.from(el.children).map((c, i) => toNode(c, `${key}.${i}`, unsupported));
  return { tag, attrs, children, text: text.trim(), key };
}

export function isTrue(v: string | undefined): boolean {
  return v === "true" || v === "1" || v === "yes";
}

function walk(node: TagNode, fn: (n: TagNode) => void): void {
  fn(node);
  for (const c of node.children) walk(c, fn);
}

/** Colours for labels without a background, counted across the whole config so neighbours differ. */
let paletteIndex = 0;

function labelDefs(node: TagNode): LabelDef[] {
  const out: LabelDef[] = [];
  walk(node, (n) => {
    if (n === node || (n.tag !== "Label" && n.tag !== "Choice" && n.tag !== "Relation")) return;
    const value = n.attrs.value ?? n.attrs.alias ?? "";
    out.push({
      value,
      background: n.attrs.background ?? PALETTE[paletteIndex++ % PALETTE.length],
      hotkey: n.attrs.hotkey ?? null,
      selected: isTrue(n.attrs.selected),
      hint: n.attrs.hint ?? null,
    });
  });
  return out;
}

function controlOf(node: TagNode): Control | null {
  const lower = node.tag.toLowerCase();
  const name = node.attrs.name;
  if (!name || !node.attrs.toname) {
    if (lower === "relations") {
      return {
        node,
        tag: node.tag,
        name: name ?? "relations",
        type: "relation",
        valueKey: null,
        toName: [],
        kind: "relations",
        shape: null,
        perRegion: false,
        labels: labelDefs(node),
      };
    }
    return null;
  }
  const toName = node.attrs.toname
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const shape = TOOL_TAGS[lower] ?? null;
  let kind: ControlKind;
  if (MEDIA_CONTROLS[lower]) kind = MEDIA_CONTROLS[lower];
  else if (shape && !lower.endsWith("labels")) kind = "tool";
  else if (shape || SPAN_LABELS.has(lower)) kind = "labels";
  else if (CLASSIFICATION.has(lower)) kind = "classification";
  else if (lower === "relations") kind = "relations";
  else return null;
  const valueKey =
    shape || kind === "tool" ? (lower.endsWith("labels") ? lower : null) : (VALUE_KEYS[lower] ?? lower);
  return {
    node,
    tag: node.tag,
    name,
    type: lower,
    valueKey,
    toName,
    kind,
    shape,
    perRegion: isTrue(node.attrs.perregion),
    labels: labelDefs(node),
  };
}

/** Controls whose items are not picked one key each (a taxonomy has too many, nested). */
const NO_NUMBER_KEYS = new Set(["textarea", "rating", "number", "taxonomy", "pairwise", "ranker"]);

/** Number keys for Choice/Label elements without an explicit hotkey, in config order, as Label Studio does. */
function assignHotkeys(controls: Control[]): void {
  const taken = new Set(controls.flatMap((c) => c.labels.map((l) => l.hotkey).filter((k): k is string => !!k)));
  const free = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"].filter((k) => !taken.has(k));
  for (const c of controls) {
    if (c.kind === "relations" || NO_NUMBER_KEYS.has(c.type)) continue;
    for (const l of c.labels) if (!l.hotkey && free.length) l.hotkey = free.shift()!;
  }
}

export function parseConfig(xml: string, parser: DOMParser = new DOMParser()): ParsedConfig {
  if (!xml.trim()) throw new ConfigError("The project has no labeling config.");
  const doc = parser.parseFromString(xml, "text/xml");
  const failure = doc.getElementsByTagName("parsererror")[0];
  if (failure) throw new ConfigError(`The labeling config is not valid XML: ${failure.textContent?.trim()}`);
  const unsupported = new Set<string>();
  paletteIndex = 0;
  const root = toNode(doc.documentElement, "0", unsupported);
  const objects: TagNode[] = [];
  const controls: Control[] = [];
  walk(root, (n) => {
    const lower = n.tag.toLowerCase();
    if (OBJECTS.has(lower) && n.attrs.name) objects.push(n);
    else if (CANONICAL[lower] && !LAYOUT.has(lower)) {
      const c = controlOf(n);
      if (c) controls.push(c);
    }
  });
  assignHotkeys(controls);
  return {
    root,
    objects,
    controls,
    controlByName: new Map(controls.map((c) => [c.name, c])),
    objectByName: new Map(objects.map((o) => [o.attrs.name, o])),
    unsupported: [...unsupported],
  };
}

/** The controls that draw on an object, and the *Labels that can be attached to what they draw. */
export function toolsFor(config: ParsedConfig, objectName: string): Control[] {
  return config.controls.filter((c) => c.shape && c.toName.includes(objectName));
}

export function labelControlsFor(config: ParsedConfig, objectName: string): Control[] {
  return config.controls.filter((c) => c.kind === "labels" && c.toName.includes(objectName));
}

/** "$image" -> task.data.image (dotted paths allowed); a literal stays as written. */
export function resolveValue(value: string | undefined, data: Record<string, unknown>): unknown {
  if (!value) return undefined;
  if (!value.startsWith("$")) return value;
  let cur: unknown = data;
  for (const part of value.slice(1).split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Header/Text values may mix literal text and $vars: "Image of $name". */
export function interpolate(text: string, data: Record<string, unknown>): string {
  return text.replace(/\$([\w.]+)/g, (m, key: string) => {
    const v = resolveValue(`$${key}`, data);
    return v === undefined ? m : typeof v === "string" ? v : JSON.stringify(v);
  });
}

/** CSS text from a `style` attribute -> a React style object. */
export function styleObject(css: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const decl of (css ?? "").split(";")) {
    const i = decl.indexOf(":");
    if (i < 0) continue;
    const prop = decl.slice(0, i).trim();
    const value = decl.slice(i + 1).trim();
    if (!prop || !value) continue;
    const name = prop.startsWith("--") ? prop : prop.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    out[name] = value;
  }
  return out;
}
