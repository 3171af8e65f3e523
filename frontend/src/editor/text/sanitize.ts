/**
 * HTML from task data is untrusted: anyone who can import tasks can put HTML in front of every annotator.
 * This allow-list sanitizer parses it in an inert document (DOMParser: no scripts run, nothing loads), keeps
 * only formatting elements with harmless attributes and http(s)/mailto/relative URLs, and returns the nodes
 * themselves, never an HTML string: re-parsing a serialised tree is how mutation XSS slips past sanitizers.
 * Elements that are not allowed but harmless are unwrapped (their text stays, so offsets into the text do);
 * active or hidden content (script, style, iframe, svg, forms, ...) goes with everything inside it.
 */

const ALLOWED = new Set(
  (
    "a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del " +
    "details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main " +
    "mark nav ol p pre q rp rt ruby s samp section small span strike strong sub summary sup table tbody td " +
    "tfoot th thead time tr tt u ul var wbr"
  ).split(" "),
);

/** Removed together with their content: they run code, load documents, take input or hide text. */
const DROPPED = new Set(
  (
    "script style iframe frame frameset object embed applet noscript noembed noframes template base link meta " +
    "title head svg math canvas form input button textarea select option optgroup datalist output keygen " +
    "audio video source track portal xmp plaintext listing dialog slot param picture map area"
  ).split(" "),
);

const GLOBAL_ATTRS = new Set(["title", "lang", "dir", "style"]);
const TAG_ATTRS: Record<string, string[]> = {
  a: ["href"],
  img: ["src", "alt", "width", "height"],
  td: ["colspan", "rowspan", "align", "valign", "width"],
  th: ["colspan", "rowspan", "align", "valign", "width", "scope"],
  table: ["border", "cellpadding", "cellspacing", "width", "align"],
  col: ["span", "width"],
  colgroup: ["span", "width"],
  ol: ["start", "type", "reversed"],
  li: ["value"],
  blockquote: ["cite"],
  q: ["cite"],
  del: ["cite", "datetime"],
  ins: ["cite", "datetime"],
  time: ["datetime"],
  font: ["color", "size", "face"],
  p: ["align"],
  div: ["align"],
  details: ["open"],
};
const URL_ATTRS = new Set(["href", "src", "cite"]);
const HTML_NS = "http://www.w3.org/1999/xhtml";

/** Inline CSS that can fetch (url(), @import), run script (old IE) or escape the view. */
const BAD_STYLE =
  /url\s*\(|image-set|expression|@import|javascript:|behaviou?r|binding|\\|position\s*:\s*(fixed|sticky)/i;

/** The URL itself if it may be followed (links) or loaded (images), else null. */
export function safeUrl(value: string, use: "link" | "image"): string | null {
  let url: URL;
  try {
    // Parsing like the browser will (it drops tabs, newlines and leading blanks) is what makes
    // "java\tscript:" and " javascript:" recognisable.
    url = new URL(value, "https://relative.invalid/");
  } catch {
    return null;
  }
  if (url.protocol === "http:" || url.protocol === "https:") return value.trim();
  if (use === "link" && url.protocol === "mailto:") return value.trim();
  if (use === "image" && /^data:image\/(png|jpe?g|gif|webp|avif|bmp);/i.test(value.trim())) return value.trim();
  return null;
}

function cleanElement(el: Element): void {
  const tag = el.localName;
  const allowed = TAG_ATTRS[tag] ?? [];
  for (const attr of Array.from(el.attributes)) {
    const name = attr.name.toLowerCase();
    let keep = GLOBAL_ATTRS.has(name) || allowed.includes(name);
    if (keep && URL_ATTRS.has(name)) {
      const url = safeUrl(attr.value, tag === "img" ? "image" : "link");
      keep = url !== null;
    }
    if (keep && name === "style") keep = !BAD_STYLE.test(attr.value);
    if (!keep) el.removeAttribute(attr.name);
  }
  if (tag === "a" && el.hasAttribute("href")) {
    // Links open beside the editor, never in place of it, and get no handle on it.
    el.setAttribute("target", "_blank");
    el.setAttribute("rel", "noopener noreferrer nofollow");
  }
}

function cleanChildren(parent: Node): void {
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === 3) continue;
    if (node.nodeType !== 1) {
      node.parentNode?.removeChild(node);
      continue;
    }
    const el = node as Element;
    const tag = el.localName;
    if (el.namespaceURI !== HTML_NS || DROPPED.has(tag)) {
      el.remove();
      continue;
    }
    cleanChildren(el);
    if (ALLOWED.has(tag)) cleanElement(el);
    else el.replaceWith(...Array.from(el.childNodes));
  }
}

/**
 * Sanitised nodes of `html`, owned by `target` (the live document), ready to append. The markup is parsed
 * as the content of a <body>, like assigning it to a div's innerHTML, so Label Studio's xpaths match.
 */
export function sanitizeHtml(html: string, target: Document = document): DocumentFragment {
  const inert = new DOMParser().parseFromString(`<!DOCTYPE html><body>${html}`, "text/html");
  cleanChildren(inert.body);
  // "a<script>..</script>b" leaves two text nodes; Label Studio, which strips such tags from the string, sees
  // one. Merging them keeps text()[n] in xpaths the same.
  inert.body.normalize();
  const out = target.createDocumentFragment();
  for (const node of Array.from(inert.body.childNodes)) out.appendChild(target.importNode(node, true));
  return out;
}
