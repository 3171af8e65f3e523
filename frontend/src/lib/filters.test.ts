import { describe, expect, it } from "vitest";
import {
  buildFilters,
  OPERATOR_LABELS,
  OPERATORS_BY_TYPE,
  rowsFromFilters,
  toFilterItem,
  type FilterRow,
} from "./filters";

function row(partial: Partial<FilterRow>): FilterRow {
  return { key: "k", column: "tasks:data.cluster", type: "Number", operator: "equal", value: "", ...partial };
}

describe("filter JSON", () => {
  it("builds Label Studio's filter for a number field", () => {
    expect(buildFilters([row({ value: "2" })], "and")).toEqual({
      conjunction: "and",
      items: [{ filter: "filter:tasks:data.cluster", operator: "equal", type: "Number", value: 2 }],
    });
  });

  it("drops rows that are not complete yet, and returns null when none is", () => {
    expect(buildFilters([row({ value: "" }), row({ value: "abc" })], "and")).toBeNull();
    const built = buildFilters([row({ value: "" }), row({ operator: "greater", value: "1.5" })], "or");
    expect(built).toEqual({
      conjunction: "or",
      items: [{ filter: "filter:tasks:data.cluster", operator: "greater", type: "Number", value: 1.5 }],
    });
  });

  it("sends ranges as {min, max} and lists as arrays of the column's type", () => {
    expect(toFilterItem(row({ operator: "in", value: { min: "1", max: "3" } }))?.value).toEqual({ min: 1, max: 3 });
    expect(toFilterItem(row({ operator: "in", value: { min: "1", max: "" } }))).toBeNull();
    expect(toFilterItem(row({ operator: "in_list", value: "1, 2,3" }))?.value).toEqual([1, 2, 3]);
    const names = row({ type: "String", column: "tasks:data.name", operator: "not_in_list", value: "a, b" });
    expect(toFilterItem(names)?.value).toEqual(["a", "b"]);
  });

  it("sends empty as a boolean and keeps strings verbatim", () => {
    expect(toFilterItem(row({ operator: "empty", value: "false" }))?.value).toBe(false);
    expect(toFilterItem(row({ operator: "empty", value: "true" }))?.value).toBe(true);
    const text = row({ type: "String", operator: "contains", value: " tulip " });
    expect(toFilterItem(text)?.value).toBe("tulip");
  });

  it("sends dates as UTC ISO strings and restores them for a datetime-local input", () => {
    const item = toFilterItem(
      row({ column: "tasks:completed_at", type: "Datetime", operator: "greater", value: "2026-01-31T12:00" }),
    );
    expect(item?.value).toMatch(/^2026-01-3\dT\d\d:00:00\.000Z$/);
    const [back] = rowsFromFilters({ conjunction: "and", items: [item!] });
    expect(back.value).toBe("2026-01-31T12:00");
  });

  it("round-trips saved filters into editable rows", () => {
    const filters = buildFilters(
      [
        row({ operator: "in", value: { min: "1", max: "3" } }),
        row({ operator: "in_list", value: "4, 5" }),
        row({ operator: "empty", value: "false" }),
        row({ type: "String", column: "tasks:data.name", operator: "regex", value: "^ro" }),
      ],
      "and",
    );
    const rows = rowsFromFilters(filters);
    expect(rows.map((r) => [r.column, r.operator, r.value])).toEqual([
      ["tasks:data.cluster", "in", { min: "1", max: "3" }],
      ["tasks:data.cluster", "in_list", "4, 5"],
      ["tasks:data.cluster", "empty", "false"],
      ["tasks:data.name", "regex", "^ro"],
    ]);
    expect(buildFilters(rows, "and")).toEqual(filters);
  });

  it("offers every Label Studio operator for some type, each with a label", () => {
    const offered = new Set(Object.values(OPERATORS_BY_TYPE).flat());
    for (const op of [
      "equal",
      "not_equal",
      "less",
      "greater",
      "less_or_equal",
      "greater_or_equal",
      "in",
      "not_in",
      "in_list",
      "not_in_list",
      "empty",
      "contains",
      "not_contains",
      "regex",
    ]) {
      expect(offered.has(op)).toBe(true);
      expect(OPERATOR_LABELS[op]).toBeTruthy();
    }
  });
});
