import { describe, expect, it } from "vitest";
import fixtures from "./fixtures/rle-fixtures.json";
import { paintStroke } from "./raster";
import { decodeRle, encodeRle, maskToRle, rleToMask } from "./rle";

const expand = (runs: number[][]) => {
  const out: number[] = [];
  for (const [v, n] of runs) for (let i = 0; i < n; i++) out.push(v);
  return out;
};

describe("brush RLE, against label_studio_sdk.converter.brush", () => {
  for (const f of fixtures.masks) {
    it(`mask2rle(${f.name}) is bit-identical`, () => {
      const mask = Uint8Array.from(expand(f.mask));
      expect(maskToRle(mask)).toEqual(f.rle);
      expect(Array.from(rleToMask(f.rle, f.width, f.height))).toEqual(Array.from(mask));
    });
  }
  for (const f of fixtures.arrays) {
    it(`encode_rle(${f.name}) is bit-identical and decodes back`, () => {
      const values = expand(f.values);
      expect(encodeRle(values)).toEqual(f.rle);
      expect(Array.from(decodeRle(f.rle))).toEqual(values);
    });
  }

  it("decodes Label Studio's literal runs (several raw words after a 0 flag)", () => {
    // num=3, wordsize-1=7, sizes-1 = 2,3,7,15; then flag 0, size index 0, count-1 = 2 (3 raw words): 5, 6, 7.
    const bits =
      (3).toString(2).padStart(32, "0") +
      "00111" +
      "0010" +
      "0011" +
      "0111" +
      "1111" +
      "0" +
      "00" +
      "010" +
      [5, 6, 7].map((v) => v.toString(2).padStart(8, "0")).join("");
    const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, "0");
    const bytes = padded.match(/.{8}/g)!.map((b) => parseInt(b, 2));
    expect(Array.from(decodeRle(bytes))).toEqual([5, 6, 7]);
  });
});

describe("brush strokes", () => {
  it("paints a round dot and erases it again", () => {
    const mask = new Uint8Array(20 * 10);
    paintStroke(mask, 20, 10, { points: [[10, 5]], size: 4, erase: false });
    const painted = mask.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(painted).toBeGreaterThan(8);
    expect(painted).toBeLessThan(20);
    expect(mask[5 * 20 + 10]).toBe(255);
    expect(mask[0]).toBe(0);
    paintStroke(mask, 20, 10, { points: [[10, 5]], size: 6, erase: true });
    expect(mask.every((v) => v === 0)).toBe(true);
  });

  it("paints a capsule along a segment, clipped to the image", () => {
    const mask = new Uint8Array(10 * 10);
    paintStroke(mask, 10, 10, {
      points: [
        [-5, 5],
        [15, 5],
      ],
      size: 2,
      erase: false,
    });
    for (let x = 0; x < 10; x++) expect(mask[5 * 10 + x]).toBe(255);
    expect(mask[2 * 10 + 5]).toBe(0);
  });
});
