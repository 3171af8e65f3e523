/**
 * A readable summary of a label config for the live preview: the objects (what is shown, from which
 * $variable) and the controls (what the annotator produces, with their labels). Parsed with the
 * browser's DOMParser; the server's /api/projects/validate stays the judge of validity.
 */

export const OBJECT_TAGS = new Set([
  "Image",
  "Text",
  "HyperText",
  "Audio",
  "AudioPlus",
  "Video",
  "TimeSeries",
  "Paragraphs",
  "Table",
  "PDF",
  "Markdown",
  "List",
  "Ranker",
  "Bitmask",
]);

const LABEL_CHILDREN = new Set(["Label", "Choice", "Path"]);

export interface PreviewObject {
  tag: string;
  name: string;
  /** The task data key without "$", or null when the value is a literal. */
  variable: string | null;
  value: string;
}

export interface PreviewLabel {
  value: string;
  color: string | null;
}

export interface PreviewControl {
  tag: string;
  name: string;
  toName: string[];
  labels: PreviewLabel[];
  notes: string[];
}

export interface ConfigPreview {
  objects: PreviewObject[];
  controls: PreviewControl[];
  /** An XML syntax error, with its 1-based line when the parser says. */
  error: { line: number | null; message: string } | null;
}

const CONTROL_NOTES: [string, (v: string) => string | null][] = [
  ["choice", (v) => (v === "multiple" ? "multiple choice" : null)],
  ["perRegion", (v) => (v === "true" ? "per region" : null)],
  ["required", (v) => (v === "true" ? "required" : null)],
  ["maxRating", (v) => `up to ${v}`],
];

function isControl(el: Element): boolean {
  return el.hasAttribute("name") && el.hasAttribute("toName");
}

function labelsOf(el: Element): PreviewLabel[] {
  const out: PreviewLabel[] = [];
  for (const child of Array.from(el.getElementsByTagName("*"))) {
    if (!LABEL_CHILDREN.has(child.tagName)) continue;
    const value = child.getAttribute("value") ?? child.getAttribute("alias") ?? "";
    if (value) out.push({ value, color: child.getAttribute("background") });
  }
  return out;
}

function notesOf(el: Element): string[] {
  const notes: string[] = [];
  for (const [attr, describe] of CONTROL_NOTES) {
    const v = el.getAttribute(attr);
    const note = v === null ? null : describe(v);
    if (note) notes.push(note);
  }
  return notes;
}

/** The line of a DOMParser error: Chromium says "error on line 3 at column 5", Firefox/jsdom "Line Number 3". */
export function parserErrorLine(message: string): number | null {
  const m = message.match(/line(?: number)?\s*:?\s*(\d+)/i);
  return m ? Number(m[1]) : null;
}

/**
 * A DOMParser error as a person would say it. Chromium wraps libxml's message in page text ("This page
 * contains the following errors:error on line 1 at column 62: Unexpected closing tag: View != Choices
 * Below is a rendering of the page up to the first error."); the line is shown beside it already.
 */
export function cleanParserError(message: string): string {
  let text = message
    .replace(/^.*?following errors?:\s*/i, "")
    .replace(/\s*Below is a rendering of the page.*$/i, "")
    .replace(/^error on line \d+ at column (\d+):\s*/i, "column $1: ")
    .trim();
  text = text.replace(/Unexpected closing tag: (\S+) != (\S+)/, (_, closing, open) =>
    `</${closing}> closes <${open}>, which is still open (close it with </${open}> or end it with />)`,
  );
  return text || "Not valid XML.";
}

/** The line a server validation message points at: "line 3: Choices "c": ..." -> 3. */
export function serverErrorLine(message: string): number | null {
  const m = message.match(/^\s*line (\d+)\s*:/i);
  return m ? Number(m[1]) : null;
}

export function previewConfig(xml: string, parser: DOMParser = new DOMParser()): ConfigPreview {
  if (!xml.trim()) return { objects: [], controls: [], error: { line: 1, message: "The config is empty." } };
  const doc = parser.parseFromString(xml, "text/xml");
  const failure = doc.getElementsByTagName("parsererror")[0];
  if (failure) {
    const raw = (failure.textContent ?? "Not valid XML").replace(/\s+/g, " ").trim();
    return { objects: [], controls: [], error: { line: parserErrorLine(raw), message: cleanParserError(raw) } };
  }
  const objects: PreviewObject[] = [];
  const controls: PreviewControl[] = [];
  for (const el of Array.from(doc.getElementsByTagName("*"))) {
    if (OBJECT_TAGS.has(el.tagName) && el.hasAttribute("name") && !el.hasAttribute("toName")) {
      const value = el.getAttribute("value") ?? el.getAttribute("valueList") ?? "";
      const variable = value.startsWith("$") ? value.slice(1) : null;
      objects.push({ tag: el.tagName, name: el.getAttribute("name") ?? "", variable, value });
    } else if (isControl(el)) {
      controls.push({
        tag: el.tagName,
        name: el.getAttribute("name") ?? "",
        toName: (el.getAttribute("toName") ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        labels: labelsOf(el),
        notes: notesOf(el),
      });
    }
  }
  return { objects, controls, error: null };
}

/** Data keys a task needs for this config, e.g. ["image"], for import hints. */
export function requiredKeys(preview: ConfigPreview): string[] {
  return [...new Set(preview.objects.map((o) => o.variable).filter((v): v is string => !!v))];
}
