import { Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { errorRange } from "./errorRange";

const doc = Text.of(["<View>", '  <Choices name="c" toName="x">', "</View>"]);

describe("errorRange", () => {
  it("marks the line from its first tag", () => {
    const r = errorRange(doc, 2, 'line 2: Choices "c": toName "x" is not an object of this config')!;
    expect(doc.sliceString(r.from, r.to)).toBe('<Choices name="c" toName="x">');
  });
  it("starts at the column a parser names", () => {
    const r = errorRange(doc, 2, "column 12: attribute expected")!;
    expect(doc.sliceString(r.from, r.to)).toBe('name="c" toName="x">');
  });
  it("marks nothing without a line, or past the end", () => {
    expect(errorRange(doc, null, "The config is empty.")).toBeNull();
    expect(errorRange(doc, 9, "line 9: no")).toBeNull();
  });
});
