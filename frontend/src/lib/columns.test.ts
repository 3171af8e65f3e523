import { describe, expect, it } from "vitest";
import type { ParsedControl } from "../api/types";
import { buildColumns, configFields, inferType, nextOrdering, sortDirection } from "./columns";

const flowers = {
  parsed_label_config: {
    class: { type: "Choices", to_name: ["image"], inputs: [{ type: "Image", value: "image_path" }], labels: ["rose"] },
  } as Record<string, ParsedControl>,
};

describe("columns", () => {
  it("takes data keys from the config, marking Image inputs", () => {
    expect(configFields(flowers)).toEqual([{ key: "image_path", isImage: true }]);
    const dollar = {
      parsed_label_config: { c: { ...flowers.parsed_label_config.class, inputs: [{ type: "Text", value: "$text" }] } },
    };
    expect(configFields(dollar)).toEqual([{ key: "text", isImage: false }]);
  });

  it("adds every other data key seen in the tasks, typed from their values", () => {
    const tasks = [
      { data: { image_path: "/a.png", cluster: 2, note: "x" } },
      { data: { image_path: "/b.png", cluster: 3 } },
    ];
    const cols = buildColumns(flowers, tasks).filter((c) => c.field);
    expect(cols.map((c) => [c.id, c.kind, c.type])).toEqual([
      ["tasks:data.image_path", "image", "String"],
      ["tasks:data.cluster", "data", "Number"],
      ["tasks:data.note", "data", "String"],
    ]);
  });

  it("adds the keys the project summary lists though no loaded task has them, typed by the summary", () => {
    const page = [{ data: { image_path: "/a.png" } }, { data: { image_path: "/b.png", note: 5 } }];
    const summary = { data_column_types: { image_path: "String", cluster: "Number", note: "String" } } as const;
    const cols = buildColumns(flowers, page, summary).filter((c) => c.field);
    expect(cols.map((c) => [c.id, c.type])).toEqual([
      ["tasks:data.image_path", "String"],
      ["tasks:data.cluster", "Number"],
      ["tasks:data.note", "String"], // later tasks hold text: the page's numbers do not decide
    ]);
  });

  it("infers types conservatively", () => {
    expect(inferType([1, 2.5, null])).toBe("Number");
    expect(inferType([true, false])).toBe("Boolean");
    expect(inferType([1, "2"])).toBe("String");
    expect(inferType([])).toBe("String");
  });

  it("cycles ordering asc -> desc -> none, one column at a time", () => {
    expect(nextOrdering([], "tasks:id")).toEqual(["tasks:id"]);
    expect(nextOrdering(["tasks:id"], "tasks:id")).toEqual(["-tasks:id"]);
    expect(nextOrdering(["-tasks:id"], "tasks:id")).toEqual([]);
    expect(nextOrdering(["-tasks:id"], "tasks:data.cluster")).toEqual(["tasks:data.cluster"]);
    expect(sortDirection(["-tasks:data.cluster"], "tasks:data.cluster")).toBe("desc");
    expect(sortDirection(["tasks:id"], "tasks:data.cluster")).toBeNull();
  });
});
