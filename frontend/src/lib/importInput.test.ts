import { describe, expect, it } from "vitest";
import { extensionOf, formatBytes, importSummary, jsonProblem, pastedKind, splitByType } from "./importInput";

describe("import input", () => {
  it("accepts Label Studio's file types and rejects the rest", () => {
    const files = [{ name: "a.PNG" }, { name: "tasks.csv" }, { name: "virus.exe" }, { name: "README" }];
    const { accepted, rejected } = splitByType(files);
    expect(accepted.map((f) => f.name)).toEqual(["a.PNG", "tasks.csv"]);
    expect(rejected.map((f) => f.name)).toEqual(["virus.exe", "README"]);
    expect(extensionOf(".hidden")).toBe("");
  });

  it("tells pasted JSON from CSV", () => {
    expect(pastedKind(' [{"image": "a.png"}]')).toBe("json");
    expect(pastedKind('{"data": {}}')).toBe("json");
    expect(pastedKind("image,cluster\na.png,1")).toBe("csv");
    expect(pastedKind("   ")).toBeNull();
    expect(jsonProblem("[1, 2]")).toBeNull();
    expect(jsonProblem("[1, 2")).toMatch(/not valid/);
  });

  it("summarises the result", () => {
    expect(importSummary({ task_count: 3, annotation_count: 1, prediction_count: 0 })).toBe(
      "3 tasks, 1 annotation, 0 predictions imported",
    );
    expect(formatBytes(2048)).toBe("2.0 KB");
  });
});
