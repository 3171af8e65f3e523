import { describe, expect, it } from "vitest";
import { resizeSpan, segments, snap, TextIndex } from "./offsets";

describe("TextIndex", () => {
  it("is the identity for BMP-only text", () => {
    const ix = new TextIndex("Barack Obama was born in Hawaii.");
    expect(ix.length).toBe(32);
    expect(ix.toCodePoint(7)).toBe(7);
    expect(ix.toUtf16(12)).toBe(12);
    expect(ix.slice(7, 12)).toBe("Obama");
  });

  it("counts an emoji before a span as one code point, as Python and Label Studio do", () => {
    // Label Studio's own emoji test: "test" is at code points 21..25.
    const text = "🐱 Warning: This is a test text";
    const ix = new TextIndex(text);
    const u16 = text.indexOf("test");
    expect(u16).toBe(22);
    expect(ix.toCodePoint(u16)).toBe(21);
    expect(ix.toCodePoint(u16 + 4)).toBe(25);
    expect(ix.toUtf16(21)).toBe(22);
    expect(ix.slice(21, 25)).toBe("test");
    expect(ix.length).toBe([...text].length);
  });

  it("round-trips every position of text mixing BMP, astral and combining characters", () => {
    const text = "a😀b𝒳c\u0301 🇫🇷 d👩‍💻e\n𠀀f";
    const ix = new TextIndex(text);
    const cps = [...text];
    expect(ix.length).toBe(cps.length);
    let u16 = 0;
    for (let cp = 0; cp <= cps.length; cp++) {
      expect(ix.toUtf16(cp)).toBe(u16);
      expect(ix.toCodePoint(u16)).toBe(cp);
      u16 += cps[cp]?.length ?? 0;
    }
    // What Python's text[start:end] gives, for every code-point slice.
    for (let s = 0; s < cps.length; s++)
      for (let e = s; e <= cps.length; e++) expect(ix.slice(s, e)).toBe(cps.slice(s, e).join(""));
  });

  it("treats a lone surrogate as one code point, as Python does", () => {
    const text = "x\ud83dy";
    const ix = new TextIndex(text);
    expect(ix.length).toBe(3);
    expect(ix.toCodePoint(2)).toBe(2);
  });

  it("clamps offsets outside the text", () => {
    const ix = new TextIndex("ab😀");
    expect(ix.toUtf16(99)).toBe(4);
    expect(ix.toUtf16(-3)).toBe(0);
    expect(ix.toCodePoint(99)).toBe(3);
  });

  it("indexes a megabyte of text quickly", () => {
    const text = "word 😀 ".repeat(140_000);
    const t0 = performance.now();
    const ix = new TextIndex(text);
    const cp = ix.toCodePoint(text.length - 3);
    const back = ix.toUtf16(cp);
    expect(back).toBe(text.length - 3);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe("segments", () => {
  it("cuts only at span boundaries, with overlapping spans on shared segments", () => {
    const segs = segments(20, [
      { id: "a", start: 2, end: 10 },
      { id: "b", start: 5, end: 15 },
    ]);
    expect(segs).toEqual([
      { start: 0, end: 2, ids: [] },
      { start: 2, end: 5, ids: ["a"] },
      { start: 5, end: 10, ids: ["a", "b"] },
      { start: 10, end: 15, ids: ["b"] },
      { start: 15, end: 20, ids: [] },
    ]);
  });

  it("keeps nested and identical spans and ignores empty ones", () => {
    const segs = segments(10, [
      { id: "outer", start: 0, end: 10 },
      { id: "inner", start: 3, end: 4 },
      { id: "same", start: 3, end: 4 },
      { id: "empty", start: 6, end: 6 },
    ]);
    expect(segs).toEqual([
      { start: 0, end: 3, ids: ["outer"] },
      { start: 3, end: 4, ids: ["outer", "inner", "same"] },
      { start: 4, end: 10, ids: ["outer"] },
    ]);
  });

  it("gives one segment for text without spans, and at most 2k+1 for k spans", () => {
    expect(segments(1_000_000, [])).toEqual([{ start: 0, end: 1_000_000, ids: [] }]);
    const spans = Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, start: i * 3000, end: i * 3000 + 7 }));
    expect(segments(1_000_000, spans).length).toBeLessThanOrEqual(601);
  });
});

describe("snap", () => {
  const text = "Angela Merkel met  Emmanuel Macron in Paris. Then they left!\nNew paragraph here.";
  const sel = (s: string, from = 0) => [text.indexOf(s, from), text.indexOf(s, from) + s.length] as const;

  it("leaves a selection alone at symbol granularity", () => {
    const [s, e] = sel("gela Mer");
    expect(snap(text, s, e, undefined)).toEqual([s, e]);
    expect(snap(text, s, e, "symbol")).toEqual([s, e]);
  });

  it("widens to whole words and drops blanks at word granularity", () => {
    const [s, e] = sel("gela Mer");
    expect(snap(text, s, e, "word")).toEqual(sel("Angela Merkel"));
    const [s2, e2] = sel(" Emmanuel Mac");
    expect(snap(text, s2, e2, "word")).toEqual(sel("Emmanuel Macron"));
    const [a, b] = snap(text, ...sel("  "), "word");
    expect(b - a).toBe(0);
  });

  it("handles non-BMP letters and emoji next to words", () => {
    const t = "😀hello𝒳 world";
    expect(snap(t, 3, 5, "word")).toEqual([2, 9]);
  });

  it("widens to the sentence or paragraph", () => {
    expect(snap(text, ...sel("Macron"), "sentence")).toEqual(sel("Angela Merkel met  Emmanuel Macron in Paris."));
    expect(snap(text, ...sel("they"), "sentence")).toEqual(sel("Then they left!"));
    expect(snap(text, ...sel("Merkel"), "paragraph")).toEqual(
      sel("Angela Merkel met  Emmanuel Macron in Paris. Then they left!"),
    );
    expect(snap(text, ...sel("paragraph"), "paragraph")).toEqual(sel("New paragraph here."));
  });
});

describe("resizeSpan", () => {
  const text = "Acme Corp. hired Jane Doe-Smith 🐱 today";
  const at = (s: string) => [text.indexOf(s), text.indexOf(s) + s.length] as [number, number];
  const cut = ([s, e]: [number, number]) => text.slice(s, e);

  it("moves the end by a character, and by a word or a mark", () => {
    const [s, e] = at("Acme");
    expect(cut(resizeSpan(text, s, e, "end", 1, "char"))).toBe("Acme ");
    expect(cut(resizeSpan(text, s, e, "end", 1, "word"))).toBe("Acme Corp");
    const corp = at("Acme Corp");
    expect(cut(resizeSpan(text, ...corp, "end", 1, "word"))).toBe("Acme Corp.");
    expect(cut(resizeSpan(text, ...at("Acme Corp."), "end", -1, "word"))).toBe("Acme Corp");
    expect(cut(resizeSpan(text, ...corp, "end", -1, "word"))).toBe("Acme");
  });

  it("moves the start, and stops short of an empty span or the text's ends", () => {
    const doe = at("Doe");
    expect(cut(resizeSpan(text, ...doe, "start", -1, "word"))).toBe("Jane Doe");
    expect(cut(resizeSpan(text, ...doe, "start", 1, "char"))).toBe("oe");
    expect(resizeSpan(text, ...doe, "start", 1, "word")).toEqual(doe);
    expect(resizeSpan(text, ...at("Acme"), "start", -1, "char")).toEqual(at("Acme"));
    expect(resizeSpan(text, ...at("today"), "end", 1, "word")).toEqual(at("today"));
    expect(cut(resizeSpan(text, ...at("Jane Doe-Smith"), "end", -1, "word"))).toBe("Jane Doe-");
  });

  it("steps over an emoji as one character", () => {
    const smith = at("Smith ");
    const [s, e] = resizeSpan(text, ...smith, "end", 1, "char");
    expect(text.slice(s, e)).toBe("Smith 🐱");
    expect(e - s).toBe(8);
    expect(resizeSpan(text, s, e, "end", -1, "char")).toEqual(smith);
    expect(cut(resizeSpan(text, ...at("Smith"), "end", 1, "word"))).toBe("Smith 🐱");
  });
});
