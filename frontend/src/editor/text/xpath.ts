/**
 * Positions in rendered HTML as Label Studio stores them for HyperText regions: `start`/`end` are xpaths
 * of text nodes relative to the content root ("/article[1]/p[1]/text()[1]"), `startOffset`/`endOffset` are
 * UTF-16 offsets inside those nodes, and `globalOffsets` count code points through all the text. Pure DOM
 * functions over a root element that holds the sanitised content and nothing else.
 */

export interface TextPoint {
  node: Text;
  /** UTF-16 offset inside the node. */
  offset: number;
}

export interface HtmlSpan {
  start: string;
  end: string;
  startOffset: number;
  endOffset: number;
  globalOffsets: { start: number; end: number };
  text: string;
}

function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walker = root.ownerDocument!.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n as Text);
  return out;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** "/p[2]/text()[1]": each step counts same-named siblings from 1, as Label Studio's xpath-range does. */
export function xpathOf(node: Node, root: Node): string {
  const steps: string[] = [];
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) {
    const text = n.nodeType === 3;
    const name = text ? "text()" : (n as Element).localName;
    let index = 1;
    for (let s = n.previousSibling; s; s = s.previousSibling)
      if (text ? s.nodeType === 3 : s.nodeType === 1 && (s as Element).localName === name) index++;
    steps.unshift(`${name}[${index}]`);
  }
  return `/${steps.join("/")}`;
}

/** The node an xpath of `xpathOf` names, or null. */
export function resolveXpath(path: string, root: Node): Node | null {
  let cur: Node | null = root;
  for (const step of path.split("/").filter(Boolean)) {
    const m = /^([\w-]+(?:\(\))?)(?:\[(\d+)\])?$/.exec(step);
    if (!m || !cur) return null;
    const [name, wanted] = [m[1].toLowerCase(), Number(m[2] ?? 1)];
    let seen = 0;
    let found: Node | null = null;
    for (let c: ChildNode | null = cur.firstChild; c && !found; c = c.nextSibling) {
      const match = name === "text()" ? c.nodeType === 3 : c.nodeType === 1 && (c as Element).localName === name;
      if (match && ++seen === wanted) found = c;
    }
    cur = found;
  }
  return cur;
}

/**
 * A DOM boundary point (as in a Range) -> a point in a text node. Between elements, a start moves to the
 * next text and an end to the previous one, so a selection never starts or ends outside the text it covers.
 */
export function toTextPoint(root: Node, node: Node, offset: number, isEnd: boolean): TextPoint | null {
  if (node.nodeType === 3) return root.contains(node) ? { node: node as Text, offset } : null;
  const all = textNodes(root);
  const at = root.ownerDocument!.createRange();
  at.setStart(node, offset);
  // The first text node that begins at or after the boundary.
  let after = all.findIndex((t) => at.comparePoint(t, 0) >= 0);
  if (after < 0) after = all.length;
  if (!isEnd) return after < all.length ? { node: all[after], offset: 0 } : null;
  return after > 0 ? { node: all[after - 1], offset: all[after - 1].data.length } : null;
}

/** The code-point offset of a text point in the whole content. */
export function globalOffset(root: Node, point: TextPoint): number {
  let n = 0;
  for (const t of textNodes(root)) {
    if (t === point.node) return n + codePoints(t.data.slice(0, point.offset));
    n += codePoints(t.data);
  }
  return n;
}

/** A code-point offset in the whole content -> a text point (the end of a node rather than the next start). */
export function pointAtGlobal(root: Node, offset: number, isEnd: boolean): TextPoint | null {
  let n = 0;
  let last: Text | null = null;
  for (const t of textNodes(root)) {
    const len = codePoints(t.data);
    if (offset < n + len || (isEnd && offset === n + len)) {
      let cp = offset - n;
      let i = 0;
      while (cp > 0 && i < t.data.length) {
        const c = t.data.codePointAt(i)!;
        i += c > 0xffff ? 2 : 1;
        cp--;
      }
      return { node: t, offset: i };
    }
    n += len;
    last = t;
  }
  return last ? { node: last, offset: last.data.length } : null;
}

/** Label Studio's value of a selection from `a` to `b` inside root; null when it covers no text. */
export function spanOf(root: Node, a: TextPoint, b: TextPoint): HtmlSpan | null {
  const start = globalOffset(root, a);
  const end = globalOffset(root, b);
  if (end <= start) return null;
  const all = textNodes(root);
  let text = "";
  let on = false;
  for (const t of all) {
    const from = t === a.node ? a.offset : 0;
    if (t === a.node) on = true;
    if (!on) continue;
    text += t.data.slice(from, t === b.node ? b.offset : undefined);
    if (t === b.node) break;
  }
  return {
    start: xpathOf(a.node, root),
    end: xpathOf(b.node, root),
    startOffset: a.offset,
    endOffset: b.offset,
    globalOffsets: { start, end },
    text,
  };
}

/** The Range a stored value covers: by xpath when it still resolves, else by global offsets. */
export function rangeOf(root: Node, value: Record<string, unknown>): Range | null {
  const doc = root.ownerDocument!;
  const byPath = (path: unknown, offset: unknown): TextPoint | null => {
    if (typeof path !== "string" || typeof offset !== "number") return null;
    const node = resolveXpath(path, root);
    if (!node) return null;
    if (node.nodeType === 3) return offset <= (node as Text).data.length ? { node: node as Text, offset } : null;
    // An element path (older Label Studio results): the offset counts characters of its text.
    return pointAtGlobal(root, globalOffset(root, toTextPoint(root, node, 0, false)!) + offset, false);
  };
  let a = byPath(value.start, value.startOffset);
  let b = byPath(value.end, value.endOffset);
  const g = value.globalOffsets as { start?: unknown; end?: unknown } | undefined;
  if ((!a || !b) && g && typeof g.start === "number" && typeof g.end === "number") {
    a = pointAtGlobal(root, g.start, false);
    b = pointAtGlobal(root, g.end, true);
  }
  if (!a || !b) return null;
  const range = doc.createRange();
  try {
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
  } catch {
    return null;
  }
  return range;
}

/** The UTF-16 offset of a text point in the content's whole text (its textContent). */
export function utf16Offset(root: Node, point: TextPoint): number {
  let n = 0;
  for (const t of textNodes(root)) {
    if (t === point.node) return n + point.offset;
    n += t.data.length;
  }
  return n;
}

/** A UTF-16 offset in the content's whole text -> a text point (an end stays in the node it ends). */
export function pointAtUtf16(root: Node, offset: number, isEnd: boolean): TextPoint | null {
  let n = 0;
  let last: Text | null = null;
  for (const t of textNodes(root)) {
    if (offset < n + t.data.length || (isEnd && offset === n + t.data.length)) return { node: t, offset: offset - n };
    n += t.data.length;
    last = t;
  }
  return last ? { node: last, offset: last.data.length } : null;
}

/** The boxes of the text a range covers, one per line of each text node. A range's own getClientRects()
 * also gives the box of every element it wholly holds (a <b> inside the span), drawn over its text again. */
export function textRects(range: Range): DOMRect[] {
  const root = range.commonAncestorContainer;
  if (root.nodeType === 3) return Array.from(range.getClientRects());
  const doc = root.ownerDocument!;
  const out: DOMRect[] = [];
  for (const t of textNodes(root)) {
    if (!range.intersectsNode(t)) continue;
    const part = doc.createRange();
    part.selectNodeContents(t);
    if (t === range.startContainer) part.setStart(t, range.startOffset);
    if (t === range.endContainer) part.setEnd(t, range.endOffset);
    out.push(...Array.from(part.getClientRects()));
  }
  return out;
}
