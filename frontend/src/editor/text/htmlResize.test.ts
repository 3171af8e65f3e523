// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { resizeHtmlSpan } from "./htmlResize";
import { sanitizeHtml } from "./sanitize";
import { spanOf } from "./xpath";

function root(html: string): HTMLElement {
  const div = document.createElement("div");
  div.appendChild(sanitizeHtml(html));
  return div;
}

/** The span a mouse selection of the `nth` occurrence of `needle` would save. */
function selected(r: HTMLElement, needle: string) {
  const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const i = n.data.indexOf(needle);
    if (i >= 0) return spanOf(r, { node: n, offset: i }, { node: n, offset: i + needle.length })!;
  }
  throw new Error(needle);
}

/** Steps applied in order; each must move. */
function steps(r: HTMLElement, span: object, ...moves: [edge: "start" | "end", dir: 1 | -1, unit: "char" | "word"][]) {
  let value = span as Record<string, unknown>;
  for (const [edge, dir, unit] of moves) {
    const next = resizeHtmlSpan(r, value, edge, dir, unit);
    expect(next, `${edge} ${dir} ${unit} from ${String(value.text)}`).not.toBeNull();
    value = next as unknown as Record<string, unknown>;
  }
  return value;
}

describe("HyperText span resize", () => {
  it("moves an edge by characters in code points, keeping Label Studio's value", () => {
    const r = root("<article><h2>🐱 Warning:</h2> <p>🐱 This is a test text</p></article>");
    const test = selected(r, "test");
    expect(steps(r, test, ["end", 1, "char"], ["start", -1, "char"])).toEqual({
      start: "/article[1]/p[1]/text()[1]",
      end: "/article[1]/p[1]/text()[1]",
      startOffset: 12,
      endOffset: 18,
      globalOffsets: { start: 22, end: 28 },
      text: " test ",
    });
    // The cat is two UTF-16 units in its node but one code point in globalOffsets.
    expect(steps(r, selected(r, "This"), ["start", -1, "char"], ["start", -1, "char"])).toMatchObject({
      startOffset: 0,
      globalOffsets: { start: 11, end: 17 },
      text: "🐱 This",
    });
  });

  it("crosses inline elements, ending inside the node where the text ends", () => {
    const r = root("<p>Acme <b>Corp</b>. hired Jane</p>");
    const acme = selected(r, "Acme");
    expect(steps(r, acme, ["end", 1, "word"])).toMatchObject({
      end: "/p[1]/b[1]/text()[1]",
      endOffset: 4,
      text: "Acme Corp",
    });
    expect(steps(r, acme, ["end", 1, "word"], ["end", 1, "char"])).toMatchObject({
      end: "/p[1]/text()[2]",
      endOffset: 1,
      text: "Acme Corp.",
    });
    // A start stepping onto the node boundary belongs to the node that starts there.
    expect(steps(r, selected(r, ". hired"), ["start", -1, "word"])).toMatchObject({
      start: "/p[1]/b[1]/text()[1]",
      startOffset: 0,
      text: "Corp. hired",
    });
  });

  it("treats blocks as apart: a word step stops at a paragraph's edge, a break takes one step", () => {
    const r = root("<p>Hello</p><p>World wide</p>");
    expect(steps(r, selected(r, "orld"), ["start", -1, "word"])).toMatchObject({ startOffset: 0, text: "World" });
    expect(steps(r, selected(r, "Hello"), ["end", 1, "char"])).toMatchObject({
      end: "/p[2]/text()[1]",
      endOffset: 1,
      text: "HelloW",
    });
    expect(steps(r, selected(r, "Hello"), ["end", 1, "word"])).toMatchObject({ text: "HelloWorld" });
    expect(steps(r, selected(r, "World"), ["start", -1, "char"])).toMatchObject({
      start: "/p[1]/text()[1]",
      startOffset: 4,
      text: "oWorld",
    });
    // <br> breaks a line too.
    const br = root("<p>one<br>two</p>");
    expect(steps(br, selected(br, "two"), ["start", -1, "word"])).toMatchObject({
      start: "/p[1]/text()[1]",
      text: "onetwo",
    });
  });

  it("stops at the content's ends and never empties a span", () => {
    const r = root("<p>Hi there</p>");
    expect(resizeHtmlSpan(r, selected(r, "there") as never, "end", 1, "char")).toBeNull();
    expect(resizeHtmlSpan(r, selected(r, "Hi") as never, "start", -1, "word")).toBeNull();
    const h = selected(r, "H");
    expect(resizeHtmlSpan(r, h as never, "end", -1, "char")).toBeNull();
    expect(resizeHtmlSpan(r, h as never, "start", 1, "char")).toBeNull();
    expect(
      resizeHtmlSpan(
        r,
        { start: "/p[9]/text()[1]", end: "/p[9]/text()[1]", startOffset: 0, endOffset: 1 },
        "end",
        1,
        "char",
      ),
    ).toBeNull();
  });
});
