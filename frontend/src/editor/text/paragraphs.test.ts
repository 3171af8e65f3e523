import { describe, expect, it } from "vitest";
import { ParagraphText } from "./paragraphs";

describe("ParagraphText.resize", () => {
  // "Hi 🙂 there" is 10 code points, 11 UTF-16 units.
  const p = new ParagraphText(["Hello!", "Hi 🙂 there", "Bye."]);
  const span = (start: number, startOffset: number, end: number, endOffset: number) => ({
    start,
    startOffset,
    end,
    endOffset,
  });

  it("moves an end within its paragraph, in code points", () => {
    expect(p.resize({ ...span(1, 0, 1, 2), text: "Hi" }, "end", 1, "word")).toEqual({
      ...span(1, 0, 1, 4),
      text: "Hi 🙂",
    });
    expect(p.resize({ ...span(1, 0, 1, 4), text: "Hi 🙂" }, "end", -1, "char")).toEqual({
      ...span(1, 0, 1, 3),
      text: "Hi ",
    });
  });

  it("crosses a paragraph break in one step and never rests on the wrong side of it", () => {
    expect(p.resize({ ...span(0, 0, 0, 6), text: "Hello!" }, "end", 1, "char")).toEqual({
      ...span(0, 0, 1, 1),
      text: "Hello!\nH",
    });
    expect(p.resize({ ...span(0, 0, 1, 1), text: "Hello!\nH" }, "end", -1, "char")).toEqual({
      ...span(0, 0, 0, 6),
      text: "Hello!",
    });
    expect(p.resize({ ...span(2, 0, 2, 3), text: "Bye" }, "start", -1, "word")).toEqual({
      ...span(1, 5, 2, 3),
      text: "there\nBye",
    });
    expect(p.resize({ ...span(1, 5, 2, 3), text: "there\nBye" }, "start", 1, "word")).toEqual({
      ...span(2, 0, 2, 3),
      text: "Bye",
    });
  });

  it("stops at the ends and before a span turns empty", () => {
    expect(p.resize({ ...span(2, 0, 2, 4), text: "Bye." }, "end", 1, "char")).toBeNull();
    expect(p.resize({ ...span(0, 0, 0, 1), text: "H" }, "end", -1, "char")).toBeNull();
    expect(p.resize({ ...span(2, 0, 2, 1), text: "B" }, "start", 1, "word")).toBeNull();
  });
});
