// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { sanitizeHtml } from "./sanitize";
import { rangeOf, resolveXpath, spanOf, toTextPoint, xpathOf } from "./xpath";

function root(html: string): HTMLElement {
  const div = document.createElement("div");
  div.appendChild(sanitizeHtml(html));
  return div;
}

/** The text point just before the first occurrence of `needle`, as a selection would give it. */
function pointAt(r: HTMLElement, needle: string, after = false) {
  const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const i = n.data.indexOf(needle);
    if (i >= 0) return { node: n, offset: i + (after ? needle.length : 0) };
  }
  throw new Error(needle);
}

describe("HyperText positions", () => {
  // Label Studio's own emoji cases (web/libs/editor/tests: NER - Emoji): its expected values, verbatim.
  const LS_HTML = "<article><h2>🐱 Warning:</h2> <p>🐱 This is a test text</p></article>";

  it("gives xpaths, UTF-16 node offsets and code-point global offsets like Label Studio", () => {
    const r = root(LS_HTML);
    expect(spanOf(r, pointAt(r, "test"), pointAt(r, "test", true))).toEqual({
      start: "/article[1]/p[1]/text()[1]",
      end: "/article[1]/p[1]/text()[1]",
      startOffset: 13,
      endOffset: 17,
      globalOffsets: { start: 23, end: 27 },
      text: "test",
    });
  });

  it("spans elements", () => {
    const r = root(LS_HTML);
    const span = spanOf(r, pointAt(r, "Warning"), pointAt(r, "a test", true))!;
    expect(span.start).toBe("/article[1]/h2[1]/text()[1]");
    expect(span.end).toBe("/article[1]/p[1]/text()[1]");
    expect([span.startOffset, span.endOffset]).toEqual([3, 17]);
    expect(span.globalOffsets).toEqual({ start: 2, end: 27 });
    expect(span.text).toBe("Warning: 🐱 This is a test");
  });

  it("matches Label Studio's heuristic edge case (an emoji and a newline before the span)", () => {
    const r = root("<p>🐱\nmeans cat</p>");
    const span = spanOf(r, pointAt(r, "means"), pointAt(r, "means", true))!;
    expect(span).toMatchObject({ start: "/p[1]/text()[1]", startOffset: 3, endOffset: 8, text: "means" });
    expect(span.globalOffsets).toEqual({ start: 2, end: 7 });
  });

  it("counts same-named siblings and text nodes separately", () => {
    const r = root("<p>a</p>x<p>b<b>c</b>d</p>");
    const d = pointAt(r, "d").node;
    expect(xpathOf(d, r)).toBe("/p[2]/text()[2]");
    expect(resolveXpath("/p[2]/text()[2]", r)).toBe(d);
    expect(resolveXpath("/p[2]/b[1]/text()[1]", r)?.textContent).toBe("c");
    expect(resolveXpath("/p[3]", r)).toBeNull();
    expect(xpathOf(pointAt(r, "x").node, r)).toBe("/text()[1]");
  });

  it("moves boundaries between elements into the text they bound", () => {
    const r = root("<p>ab</p><p>cd</p>");
    const start = toTextPoint(r, r, 1, false)!;
    expect([start.node.data, start.offset]).toEqual(["cd", 0]);
    const end = toTextPoint(r, r, 1, true)!;
    expect([end.node.data, end.offset]).toEqual(["ab", 2]);
    expect(toTextPoint(r, r, 2, false)).toBeNull();
  });

  it("finds the stored range again, by xpath or else by global offsets", () => {
    const r = root(LS_HTML);
    const value = { ...spanOf(r, pointAt(r, "This"), pointAt(r, "is a", true))! };
    expect(rangeOf(r, value)!.toString()).toBe("This is a");
    expect(rangeOf(r, { ...value, start: "/nope[1]" })!.toString()).toBe("This is a");
    expect(rangeOf(r, { start: "/x", end: "/y" })).toBeNull();
  });
});
