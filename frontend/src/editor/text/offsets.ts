/**
 * Text offsets. The browser indexes strings in UTF-16 code units; Label Studio stores `start`/`end` of text
 * regions in Unicode code points, which is what Python's `text[start:end]` (and label_studio_sdk's CONLL
 * export) slices by. An emoji before a span moves its UTF-16 index by 2 and its code-point offset by 1, so
 * every offset crosses this module on its way in or out. Pure functions; 1 MB of text is indexed in one pass.
 */

/** Converts between UTF-16 indices and code-point offsets of one string. */
export class TextIndex {
  readonly text: string;
  /** UTF-16 indices where a surrogate pair starts, ascending; empty for BMP-only text (the usual case). */
  private readonly pairs: number[] = [];

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length - 1; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) this.pairs.push(i++);
      }
    }
  }

  /** The text's length in code points. */
  get length(): number {
    return this.text.length - this.pairs.length;
  }

  /** UTF-16 index -> code-point offset. An index inside a pair counts as the pair's start. */
  toCodePoint(index: number): number {
    const i = clamp(index, 0, this.text.length);
    return i - lowerBound(this.pairs.length, (j) => this.pairs[j] < i);
  }

  /** Code-point offset -> UTF-16 index. */
  toUtf16(offset: number): number {
    const cp = clamp(offset, 0, this.length);
    // Pair j sits at code point pairs[j] - j; every pair before `cp` adds one code unit.
    return cp + lowerBound(this.pairs.length, (j) => this.pairs[j] - j < cp);
  }

  /** The text between two code-point offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

/** The number of leading indices in [0, n) for which `before` holds (it must be monotone). */
function lowerBound(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(v) ? Math.trunc(v) : lo));
}

export interface Span {
  id: string;
  /** UTF-16 indices, end exclusive. */
  start: number;
  end: number;
}

/** A run of text covered by the same spans (in the order given), so the text is drawn with few elements. */
export interface Segment {
  start: number;
  end: number;
  ids: string[];
}

/**
 * Cuts [0, length) at span boundaries only: k spans give at most 2k + 1 segments however long the text,
 * so a megabyte of text with a few hundred entities renders as a few hundred elements.
 */
export function segments(length: number, spans: Span[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  const valid = spans.filter((s) => s.end > s.start && s.start < length && s.end > 0);
  for (const s of valid) {
    cuts.add(clamp(s.start, 0, length));
    cuts.add(clamp(s.end, 0, length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...valid].sort((a, b) => a.start - b.start);
  const order = new Map(spans.map((s, i) => [s.id, i]));
  const out: Segment[] = [];
  let active: Span[] = [];
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const [start, end] = [points[i], points[i + 1]];
    active = active.filter((s) => s.end > start);
    while (next < byStart.length && byStart[next].start <= start) {
      if (byStart[next].end > start) active.push(byStart[next]);
      next++;
    }
    const ids = active.map((s) => s.id).sort((a, b) => order.get(a)! - order.get(b)!);
    out.push({ start, end, ids });
  }
  return out;
}

export type Granularity = "symbol" | "word" | "sentence" | "paragraph";

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const SPACE = /\s/;

/** The code point ending just before UTF-16 index i, and its width (1 or 2 units). */
function before(text: string, i: number): [string, number] {
  if (i <= 0) return ["", 0];
  const low = text.charCodeAt(i - 1);
  const w = low >= 0xdc00 && low <= 0xdfff && i >= 2 ? 2 : 1;
  return [text.slice(i - w, i), w];
}

function at(text: string, i: number): [string, number] {
  if (i >= text.length) return ["", 0];
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  return [ch, ch.length];
}

/**
 * Widens a selection [start, end) (UTF-16) to whole units, as Label Studio's `granularity` does: "word" takes
 * whole words and drops surrounding blanks, "sentence" runs to . ! ? and "paragraph" to line breaks.
 */
export function snap(
  text: string,
  start: number,
  end: number,
  granularity: Granularity | string | undefined,
): [number, number] {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  if (granularity !== "word" && granularity !== "sentence" && granularity !== "paragraph") return [s, e];
  while (s < e && SPACE.test(at(text, s)[0])) s += at(text, s)[1];
  while (e > s && SPACE.test(before(text, e)[0])) e -= before(text, e)[1];
  if (s === e) return [s, s];
  if (granularity === "word") {
    if (WORD.test(at(text, s)[0])) while (WORD.test(before(text, s)[0])) s -= before(text, s)[1];
    if (WORD.test(before(text, e)[0])) while (WORD.test(at(text, e)[0])) e += at(text, e)[1];
    return [s, e];
  }
  const stop = granularity === "sentence" ? /[.!?。！？]\s|\n/g : /\n/g;
  const head = text.slice(0, s);
  let m: RegExpExecArray | null;
  let from = 0;
  stop.lastIndex = 0;
  while ((m = stop.exec(head))) from = m.index + m[0].length;
  stop.lastIndex = e;
  const tail = stop.exec(text);
  let to = tail ? tail.index + (granularity === "sentence" && tail[0] !== "\n" ? 1 : 0) : text.length;
  // A selection that ends on the sentence's own full stop keeps it.
  if (to < e) to = e;
  while (from < to && SPACE.test(text[from])) from++;
  return [from, to];
}

export type Edge = "start" | "end";

/** What a step of the keyboard crosses: "word" is a run of letters and digits, or one punctuation mark. */
function kind(ch: string): "" | "space" | "word" | "punct" {
  if (!ch) return "";
  return SPACE.test(ch) ? "space" : WORD.test(ch) ? "word" : "punct";
}

/** Can a span end at UTF-16 index i (a word or mark ends there), or start there (one starts)? */
function isBoundary(text: string, i: number, edge: Edge): boolean {
  const b = kind(before(text, i)[0]);
  const a = kind(at(text, i)[0]);
  const [inside, outside] = edge === "end" ? [b, a] : [a, b];
  return inside !== "" && inside !== "space" && (inside !== outside || inside === "punct");
}

/**
 * Moves one edge of a span [start, end) (UTF-16) one code point, or to the next word boundary, left
 * (`dir` -1) or right. A span never becomes empty or leaves the text; a step that cannot be made returns the
 * span unchanged. Steps go by code points, so an emoji is never cut in half.
 */
export function resizeSpan(
  text: string,
  start: number,
  end: number,
  edge: Edge,
  dir: 1 | -1,
  unit: "char" | "word",
): [number, number] {
  const step = (i: number) => i + (dir > 0 ? at(text, i)[1] : -before(text, i)[1]);
  let i = edge === "end" ? end : start;
  do {
    const next = step(i);
    if (next === i) return [start, end];
    i = next;
  } while (unit === "word" && !isBoundary(text, i, edge));
  if (edge === "end") return i > start ? [start, i] : [start, end];
  return i < end ? [i, end] : [start, end];
}
