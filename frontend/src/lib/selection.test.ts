import { describe, expect, it } from "vitest";
import {
  EVERYTHING,
  headerState,
  isSelected,
  NOTHING,
  selectedCount,
  toggle,
  toggleAll,
  toSelectedItems,
} from "./selection";

describe("selection", () => {
  it("selects some tasks by id", () => {
    const sel = toggle(toggle(NOTHING, 3), 5);
    expect(isSelected(sel, 3)).toBe(true);
    expect(isSelected(sel, 4)).toBe(false);
    expect(selectedCount(sel, 100)).toBe(2);
    expect(toSelectedItems(sel)).toEqual({ all: false, included: [3, 5] });
    expect(toSelectedItems(toggle(sel, 3))).toEqual({ all: false, included: [5] });
  });

  it("selects all matching tasks, minus the ones unticked", () => {
    const sel = toggle(toggleAll(NOTHING, 1_000_000), 7);
    expect(isSelected(sel, 7)).toBe(false);
    expect(isSelected(sel, 8)).toBe(true);
    expect(selectedCount(sel, 1_000_000)).toBe(999_999);
    expect(headerState(sel, 1_000_000)).toBe("some");
    expect(toSelectedItems(sel)).toEqual({ all: true, excluded: [7] });
  });

  it("header checkbox toggles between all and none", () => {
    expect(headerState(EVERYTHING, 10)).toBe("all");
    expect(toggleAll(EVERYTHING, 10)).toBe(NOTHING);
    expect(headerState(NOTHING, 10)).toBe("none");
    expect(headerState(toggle(NOTHING, 1), 1)).toBe("all");
  });

  it("an empty selection acts on every matching task", () => {
    expect(toSelectedItems(NOTHING)).toEqual({ all: true, excluded: [] });
  });
});
