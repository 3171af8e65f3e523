import { describe, expect, it } from "vitest";
import { maskEdges } from "./outline";

const edges = (rows: string[]) => {
  const width = rows[0].length;
  const mask = Uint8Array.from(rows.join("").split(""), (c) => (c === "#" ? 255 : 0));
  const out: number[][] = [];
  maskEdges(mask, width, rows.length, (...s) => out.push(s));
  return out.sort((a, b) => a.join().localeCompare(b.join()));
};

describe("maskEdges", () => {
  it("outlines a block with four runs", () => {
    expect(edges(["....", ".##.", ".##.", "...."])).toEqual([
      [1, 1, 1, 3],
      [1, 1, 3, 1],
      [1, 3, 3, 3],
      [3, 1, 3, 3],
    ]);
  });

  it("closes a mask that touches the image border, and a hole gets its own outline", () => {
    expect(edges(["###", "#.#", "###"])).toEqual([
      [0, 0, 0, 3],
      [0, 0, 3, 0],
      [0, 3, 3, 3],
      [1, 1, 1, 2],
      [1, 1, 2, 1],
      [1, 2, 2, 2],
      [2, 1, 2, 2],
      [3, 0, 3, 3],
    ]);
  });

  it("draws nothing for an empty mask", () => {
    expect(edges(["...", "..."])).toEqual([]);
  });

  it("splits runs where the edge turns (an L shape)", () => {
    expect(edges(["#.", "##"])).toEqual([
      [0, 0, 0, 2],
      [0, 0, 1, 0],
      [0, 2, 2, 2],
      [1, 0, 1, 1],
      [1, 1, 2, 1],
      [2, 1, 2, 2],
    ]);
  });
});
