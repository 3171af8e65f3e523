/**
 * Resizing a HyperText span by keyboard. The content's text nodes are grouped into blocks (text that runs on
 * without a block element or <br> between), and the blocks go through ParagraphText as paragraphs do: a
 * step crosses from one block to the next over one "\n", so "<p>Hello</p><p>World</p>" is two words, not
 * "HelloWorld". The new edges become text points and then the value a mouse selection would have saved.
 */
import { TextIndex, type Edge } from "./offsets";
import { ParagraphText } from "./paragraphs";
import { rangeOf, spanOf, toTextPoint, type HtmlSpan, type TextPoint } from "./xpath";

const BLOCKS = new Set(
  (
    "address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure footer " +
    "form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot th " +
    "thead tr ul"
  ).split(" "),
);

const isBlock = (n: Node): boolean => n.nodeType === 1 && BLOCKS.has((n as Element).localName);

/** A block element that holds `from` but not `other`: leaving it on the way from one text to the other. */
function leavesBlock(root: Node, from: Node, other: Node): boolean {
  for (let n = from.parentNode; n && n !== root; n = n.parentNode) if (isBlock(n) && !n.contains(other)) return true;
  return false;
}

interface Block {
  nodes: Text[];
  index: TextIndex;
}

/** The text nodes under `root` in blocks, in document order. */
function blocksOf(root: Node): Block[] {
  const walker = root.ownerDocument!.createTreeWalker(root, 1 | 4 /* SHOW_ELEMENT | SHOW_TEXT */);
  const groups: Text[][] = [];
  let prev: Text | null = null;
  // A block element (or <br>) met since the last text: entered, or empty, so the text after it is apart.
  let crossed = false;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === 1) {
      crossed ||= isBlock(n);
      continue;
    }
    const t = n as Text;
    if (!prev || crossed || leavesBlock(root, prev, t)) groups.push([]);
    groups[groups.length - 1].push(t);
    prev = t;
    crossed = false;
  }
  return groups.map((nodes) => ({ nodes, index: new TextIndex(nodes.map((t) => t.data).join("")) }));
}

/** A text point as (block, code-point offset in the block's text); null when it is not under the root. */
function locate(blocks: Block[], point: TextPoint): [number, number] | null {
  for (let b = 0; b < blocks.length; b++) {
    let before = 0;
    for (const t of blocks[b].nodes) {
      if (t === point.node) return [b, blocks[b].index.toCodePoint(before + point.offset)];
      before += t.data.length;
    }
  }
  return null;
}

/** (block, code-point offset) as a text point: an end stays in the node it ends, a start goes to the next. */
function pointAt(blocks: Block[], block: number, offset: number, edge: Edge): TextPoint {
  const { nodes, index } = blocks[block];
  let rest = index.toUtf16(offset);
  for (let i = 0; i < nodes.length; i++) {
    const len = nodes[i].data.length;
    const last = i === nodes.length - 1;
    if (rest < len || (rest === len && (edge === "end" || last))) return { node: nodes[i], offset: rest };
    rest -= len;
  }
  const t = nodes[nodes.length - 1];
  return { node: t, offset: t.data.length };
}

/**
 * One step of an edge of the HyperText span stored as `value` (see offsets.resizeSpan), in the content under
 * `root`: the value to save, or null when the span is not found or the edge cannot move.
 */
export function resizeHtmlSpan(
  root: Node,
  value: Record<string, unknown>,
  edge: Edge,
  dir: 1 | -1,
  unit: "char" | "word",
): HtmlSpan | null {
  const range = rangeOf(root, value);
  const a = range && toTextPoint(root, range.startContainer, range.startOffset, false);
  const b = range && toTextPoint(root, range.endContainer, range.endOffset, true);
  if (!a || !b) return null;
  const blocks = blocksOf(root);
  const from = locate(blocks, a);
  const to = locate(blocks, b);
  if (!from || !to) return null;
  const flat = new ParagraphText(blocks.map((k) => k.index.text));
  const span = { start: from[0], startOffset: from[1], end: to[0], endOffset: to[1], text: "" };
  const next = flat.resize(span, edge, dir, unit);
  if (!next) return null;
  return spanOf(
    root,
    pointAt(blocks, next.start, next.startOffset, "start"),
    pointAt(blocks, next.end, next.endOffset, "end"),
  );
}
