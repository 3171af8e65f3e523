import { describe, expect, it } from "vitest";
import { drawnTop, offsetInPage, pageCount, pageOf, pagesFor, scrollScale, toRealOffset } from "./paging";

describe("page math", () => {
  it("maps rows to 1-based pages of 100", () => {
    expect(pageOf(0)).toBe(1);
    expect(pageOf(99)).toBe(1);
    expect(pageOf(100)).toBe(2);
    expect(pageOf(90_000)).toBe(901);
    expect(offsetInPage(90_042)).toBe(42);
  });

  it("counts at least one page", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(100)).toBe(1);
    expect(pageCount(101)).toBe(2);
  });

  it("lists only the pages a range of rows needs", () => {
    expect(pagesFor(0, 30, 1000)).toEqual([1]);
    expect(pagesFor(95, 130, 1000)).toEqual([1, 2]);
    expect(pagesFor(89_990, 90_020, 1_000_000)).toEqual([900, 901]);
  });

  it("never asks for a page past the end (the server answers 404 there)", () => {
    expect(pagesFor(0, 500, 150)).toEqual([1, 2]);
    expect(pagesFor(0, 10, 0)).toEqual([]);
    expect(pagesFor(10, 5, 100)).toEqual([]);
  });
});

describe("scroll scaling", () => {
  it("is the identity when the content fits", () => {
    expect(scrollScale(100_000 * 36, 800)).toEqual({ spacer: 3_600_000, factor: 1 });
  });

  it("squeezes a million rows under the browser limit and still reaches both ends", () => {
    const viewport = 800;
    const content = 1_000_000 * 36;
    const scale = scrollScale(content, viewport, 8_000_000);
    expect(scale.spacer).toBe(8_000_000);
    const maxReal = scale.spacer - viewport;
    expect(toRealOffset(content - viewport, scale)).toBeCloseTo(maxReal, 3);
    // The last row ends exactly at the bottom of the spacer when scrolled to the end.
    const lastStart = content - 36;
    expect(drawnTop(lastStart, maxReal, scale) + 36).toBeCloseTo(scale.spacer, 3);
    // At the top nothing moves.
    expect(drawnTop(360, 0, scale)).toBe(360);
  });
});
