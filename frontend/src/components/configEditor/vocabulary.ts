/**
 * The tags of Label Studio's config language and their usual attributes, for the config editor's completion.
 * It helps people write configs; it does not judge them (the server's validation does), so a tag or an
 * attribute missing here is still accepted.
 */
import type { ElementSpec } from "@codemirror/lang-xml";

type Attr = string | { name: string; values: string[] };

const BOOL = ["true", "false"];
const bool = (name: string): Attr => ({ name, values: BOOL });
const VISIBLE_WHEN = {
  name: "visibleWhen",
  values: ["region-selected", "no-region-selected", "choice-selected", "choice-unselected"],
};
const CONDITIONS: Attr[] = [VISIBLE_WHEN, "whenTagName", "whenChoiceValue", "whenLabelValue"];
/** Every control: what it is called in results and which object it labels. */
const CONTROL: Attr[] = ["name", "toName", bool("required"), "requiredMessage", bool("perRegion"), ...CONDITIONS];
const LABEL_SET: Attr[] = [
  ...CONTROL,
  { name: "choice", values: ["single", "multiple"] },
  bool("showInline"),
  "strokeWidth",
  "opacity",
  "fillOpacity",
  "maxUsages",
];
const LABEL: Attr[] = ["value", "alias", "background", "hotkey", "hint", bool("selected"), "maxUsages"];
const TOOL: Attr[] = ["name", "toName", "strokeWidth", "opacity", "fillOpacity", bool("smart")];

const OBJECTS: ElementSpec[] = [
  {
    name: "Image",
    attributes: [
      "name",
      "value",
      "valueList",
      bool("zoom"),
      bool("zoomControl"),
      bool("rotateControl"),
      bool("brightnessControl"),
      bool("contrastControl"),
      "zoomBy",
      "maxWidth",
      "width",
      "height",
      bool("grid"),
      "gridSize",
      "gridColor",
      bool("crosshair"),
    ],
  },
  {
    name: "Text",
    attributes: [
      "name",
      "value",
      { name: "valueType", values: ["text", "url"] },
      { name: "granularity", values: ["symbol", "word"] },
      "highlightColor",
      bool("showLabels"),
    ],
  },
  { name: "HyperText", attributes: ["name", "value", { name: "valueType", values: ["text", "url"] }, bool("inline")] },
  {
    name: "Paragraphs",
    attributes: ["name", "value", "nameKey", "textKey", { name: "layout", values: ["none", "dialogue"] }, "audioUrl"],
  },
  { name: "Audio", attributes: ["name", "value", "hotkey", bool("zoom"), bool("speed"), bool("volume")] },
  { name: "Video", attributes: ["name", "value", "frameRate", "height"] },
  { name: "List", attributes: ["name", "value", "title"] },
];

const LABEL_TAGS = [
  "Labels",
  "RectangleLabels",
  "PolygonLabels",
  "KeyPointLabels",
  "EllipseLabels",
  "BrushLabels",
  "HyperTextLabels",
  "ParagraphLabels",
  "TimelineLabels",
];

const CONTROLS: ElementSpec[] = [
  {
    name: "Choices",
    children: ["Choice", "View", "Header"],
    attributes: [
      ...CONTROL,
      { name: "choice", values: ["single", "single-radio", "multiple"] },
      bool("showInline"),
      { name: "layout", values: ["select", "inline", "vertical"] },
    ],
  },
  { name: "Choice", children: ["Choice"], attributes: ["value", "alias", "hotkey", "hint", bool("selected"), "style"] },
  ...LABEL_TAGS.map((name) => ({ name, children: ["Label"], attributes: LABEL_SET })),
  { name: "Label", children: [], attributes: LABEL },
  ...["Rectangle", "Polygon", "KeyPoint", "Ellipse", "Brush", "VideoRectangle"].map((name) => ({
    name,
    children: [],
    attributes: TOOL,
  })),
  {
    name: "TextArea",
    children: [],
    attributes: [
      ...CONTROL,
      "placeholder",
      "rows",
      "maxSubmissions",
      bool("editable"),
      bool("transcription"),
      bool("showSubmitButton"),
    ],
  },
  {
    name: "Rating",
    children: [],
    attributes: [
      ...CONTROL,
      "maxRating",
      { name: "icon", values: ["star", "heart", "fire", "smile", "thumbs"] },
      "defaultValue",
      "hotkey",
    ],
  },
  { name: "Number", children: [], attributes: [...CONTROL, "min", "max", "step", "defaultValue"] },
  {
    name: "Taxonomy",
    children: ["Choice"],
    attributes: [...CONTROL, bool("leafsOnly"), bool("showFullPath"), "pathSeparator", "placeholder", "maxUsages"],
  },
  {
    name: "Pairwise",
    children: [],
    attributes: ["name", "toName", { name: "selectionStyle", values: ["background", "border"] }],
  },
  { name: "Ranker", children: [], attributes: ["name", "toName"] },
  { name: "Bucket", children: [], attributes: ["name", "title"] },
  { name: "Relations", children: ["Relation"], attributes: [{ name: "choice", values: ["single", "multiple"] }] },
  { name: "Relation", children: [], attributes: ["value", "background"] },
];

const LAYOUT: ElementSpec[] = [
  { name: "View", top: true, attributes: ["style", "className", "idAttr", ...CONDITIONS] },
  { name: "Header", children: [], attributes: ["value", "size", "style", bool("underline")] },
  { name: "Style", children: [] },
];

export const ELEMENTS: ElementSpec[] = [...LAYOUT, ...OBJECTS, ...CONTROLS];

/** Every tag the completion offers, for a test to hold the vocabulary to what the editor renders. */
export const TAG_NAMES: string[] = ELEMENTS.map((e) => e.name);
