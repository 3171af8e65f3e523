import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it("agrees with the count", () => {
    expect(plural(1, "task")).toBe("1 task");
    expect(plural(0, "task")).toBe("0 tasks");
    expect(plural(12000, "new task")).toBe(`${(12000).toLocaleString()} new tasks`);
    expect(plural(2, "match", "matches")).toBe("2 matches");
  });
});
