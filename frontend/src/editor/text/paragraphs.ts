/**
 * Resizing a Paragraphs span: its edges are (paragraph, offset) pairs, so the paragraphs are laid end to end
 * with "\n" between them (as a span's `text` joins them) and the edge moves through that one string. An end
 * never rests at the very start of a paragraph, nor a start at the very end of one: those are the same
 * place as the end of the paragraph before (or the start of the one after), where Label Studio puts them.
 */
import { resizeSpan, TextIndex, type Edge } from "./offsets";

export interface ParagraphSpan {
  start: number;
  startOffset: number;
  end: number;
  endOffset: number;
  text: string;
}

export class ParagraphText {
  readonly joined: string;
  private readonly indexes: TextIndex[];
  /** UTF-16 index in `joined` where each paragraph starts. */
  private readonly bases: number[] = [];

  constructor(texts: string[]) {
    this.joined = texts.join("\n");
    this.indexes = texts.map((t) => new TextIndex(t));
    let at = 0;
    for (const t of texts) {
      this.bases.push(at);
      at += t.length + 1;
    }
  }

  /** (paragraph, code-point offset) -> UTF-16 index in `joined`. */
  private flat(para: number, offset: number): number {
    const i = Math.max(0, Math.min(para, this.bases.length - 1));
    return this.bases[i] + this.indexes[i].toUtf16(offset);
  }

  /** UTF-16 index in `joined` -> (paragraph, code-point offset), on the side of a break an `edge` belongs. */
  private point(index: number, edge: Edge): [number, number] {
    let i = this.bases.length - 1;
    while (i > 0 && this.bases[i] > index) i--;
    const local = index - this.bases[i];
    const length = this.indexes[i].text.length;
    if (edge === "end" && local === 0 && i > 0) return [i - 1, this.indexes[i - 1].length];
    if (edge === "start" && local >= length && i < this.bases.length - 1) return [i + 1, 0];
    return [i, this.indexes[i].toCodePoint(local)];
  }

  /** One step of an edge (see offsets.resizeSpan); null when it cannot move. */
  resize(span: ParagraphSpan, edge: Edge, dir: 1 | -1, unit: "char" | "word"): ParagraphSpan | null {
    let s = this.flat(span.start, span.startOffset);
    let e = this.flat(span.end, span.endOffset);
    const before = edge === "end" ? [span.end, span.endOffset] : [span.start, span.startOffset];
    for (;;) {
      const [ns, ne] = resizeSpan(this.joined, s, e, edge, dir, unit);
      if (ns === s && ne === e) return null;
      [s, e] = [ns, ne];
      const [p, o] = this.point(edge === "end" ? e : s, edge);
      // Stepping over a paragraph break lands on the same place first: take one more step.
      if (p !== before[0] || o !== before[1]) break;
    }
    const [start, startOffset] = this.point(s, "start");
    const [end, endOffset] = this.point(e, "end");
    if (start > end || (start === end && startOffset >= endOffset)) return null;
    const text = this.joined.slice(this.flat(start, startOffset), this.flat(end, endOffset));
    return { start, startOffset, end, endOffset, text };
  }
}
