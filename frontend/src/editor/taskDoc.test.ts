// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { applyLabelKey, isChoiceKey } from "./components/controls";
import { parseConfig } from "./config/parse";
import { fromResults } from "./store/doc";
import { EditorStore } from "./store/store";
import type { LabelTask } from "./stream/api";
import { initialDoc, validate } from "./taskDoc";

const config = parseConfig(`<View>
  <Image name="image" value="$image"/>
  <Choices name="cls" toName="image" required="true"><Choice value="a"/><Choice value="b"/></Choices>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
  <TextArea name="ocr" toName="image" perRegion="true" required="true"/>
</View>`);

const choice = (v: string) => [
  { id: "c", from_name: "cls", to_name: "image", type: "choices", value: { choices: [v] } },
];
const base: LabelTask = { id: 1, data: {}, annotations: [], predictions: [], drafts: [] };

describe("initialDoc", () => {
  it("prefers the user's draft, then their annotation, then the newest prediction", () => {
    const pred = (id: number, v: string, at: string) => ({
      id,
      result: choice(v),
      score: 0.5,
      model_version: "m",
      created_at: at,
    });
    const withPreds = { ...base, predictions: [pred(1, "a", "2024-01-01"), pred(2, "b", "2024-02-01")] };
    const p = initialDoc(config, withPreds, 7);
    expect(p.predictionId).toBe(2);
    expect(p.doc.classifications[0]).toMatchObject({ payload: ["b"], origin: "prediction" });

    const ann = {
      id: 5,
      result: choice("a"),
      completed_by: 7,
      was_cancelled: false,
      lead_time: 3,
      updated_at: "2024-03-01",
    };
    const annotated = { ...withPreds, annotations: [ann, { ...ann, id: 6, completed_by: 8, result: choice("b") }] };
    const a = initialDoc(config, annotated, 7);
    expect(a.annotation?.id).toBe(5);
    expect(a.doc.classifications[0].payload).toEqual(["a"]);
    // GET /api/tasks/{id} expands authors to user objects, as Label Studio does: still recognised as mine.
    const expanded = {
      ...annotated,
      annotations: annotated.annotations.map((x) => ({ ...x, completed_by: { id: x.completed_by } })),
    };
    expect(initialDoc(config, expanded, 7).annotation?.id).toBe(5);

    const draft = { id: 9, result: choice("b"), lead_time: 1, annotation: null, updated_at: "2024-04-01" };
    const d = initialDoc(config, { ...annotated, drafts: [draft] }, 7);
    expect(d.draftId).toBe(9);
    expect(d.annotation?.id).toBe(5);
    expect(d.doc.classifications[0].payload).toEqual(["b"]);
  });

  it("leaves predictions out when the project hides them, and keeps to its model version", () => {
    const pred = (id: number, v: string, version: string, at: string) => ({
      id,
      result: choice(v),
      score: 0.5,
      model_version: version,
      created_at: at,
    });
    const task = { ...base, predictions: [pred(1, "a", "old", "2024-01-01"), pred(2, "b", "new", "2024-02-01")] };
    const hidden = initialDoc(config, task, 7, { predictions: false });
    expect(hidden.predictionId).toBeNull();
    expect(hidden.doc.classifications).toEqual([]);
    const old = initialDoc(config, task, 7, { predictions: true, modelVersion: "old" });
    expect(old.predictionId).toBe(1);
    expect(old.doc.classifications[0].payload).toEqual(["a"]);
    expect(initialDoc(config, task, 7, { predictions: true, modelVersion: "gone" }).predictionId).toBeNull();
    expect(initialDoc(config, task, 7, { predictions: true, modelVersion: "" }).predictionId).toBe(2);
  });

  it("names a prediction with its score rounded to two decimals", () => {
    const pred = (score: number | null) => ({
      ...base,
      predictions: [{ id: 1, result: choice("a"), score, model_version: "v2", created_at: "2024-01-01" }],
    });
    expect(initialDoc(config, pred(0.7092265144569234), null).source).toBe("prediction v2 (score 0.71)");
    expect(initialDoc(config, pred(0.5), null).source).toBe("prediction v2 (score 0.5)");
    expect(initialDoc(config, pred(1), null).source).toBe("prediction v2 (score 1)");
    expect(initialDoc(config, pred(null), null).source).toBe("prediction v2");
  });
});

describe("validate", () => {
  it("names required controls left empty, per region too", () => {
    const region = {
      id: "r",
      from_name: "box",
      to_name: "image",
      type: "rectanglelabels",
      value: { x: 1, y: 1, width: 1, height: 1, rectanglelabels: ["Car"] },
    };
    expect(Object.keys(validate(config, fromResults([region], config)))).toEqual(["cls", "ocr"]);
    const ok = fromResults(
      [
        ...choice("a"),
        region,
        { ...region, from_name: "ocr", type: "textarea", value: { ...region.value, text: ["x"] } },
      ],
      config,
    );
    expect(validate(config, ok)).toEqual({});
  });
});

describe("validate a required Ranker", () => {
  const ranker = (buckets: string) =>
    parseConfig(`<View>
  <List name="results" value="$items"/>
  <Ranker name="rank" toName="results" required="true" requiredMessage="Rank the results">${buckets}</Ranker>
</View>`);
  const ranked = (ranking: Record<string, string[]>) => [
    { id: "r", from_name: "rank", to_name: "results", type: "ranker", value: { ranker: ranking } },
  ];

  it("with Buckets is empty until an item leaves the unsorted list", () => {
    const c = ranker('<Bucket name="best"/>');
    expect(validate(c, fromResults([], c))).toEqual({ rank: "Rank the results" });
    // Reordered within the unsorted list only: still nothing picked.
    expect(validate(c, fromResults(ranked({ _: ["b", "a"], best: [] }), c))).toEqual({ rank: "Rank the results" });
    expect(validate(c, fromResults(ranked({ _: ["b"], best: ["a"] }), c))).toEqual({});
  });

  it("without Buckets is answered by any saved order", () => {
    const c = ranker("");
    expect(validate(c, fromResults([], c))).toEqual({ rank: "Rank the results" });
    expect(validate(c, fromResults(ranked({ rank: ["a", "b"] }), c))).toEqual({});
  });
});

describe("choice hotkeys on a prediction", () => {
  const flowers = parseConfig(`<View>
    <Image name="image" value="$image"/>
    <Choices name="class" toName="image"><Choice value="daisy"/><Choice value="rose"/></Choices>
    <Choices name="tags" toName="image" choice="multiple"><Choice value="wilted"/><Choice value="bud"/></Choices>
  </View>`);
  const task = {
    ...base,
    predictions: [
      {
        id: 3,
        result: [{ id: "p", from_name: "class", to_name: "image", type: "choices", value: { choices: ["rose"] } }],
        score: null,
        model_version: "v1",
        created_at: "2024-01-01",
      },
    ],
  };
  const chosen = (store: EditorStore, name: string) =>
    store.state.doc.classifications.find((c) => c.fromName === name)?.payload;

  it("keeps the predicted choice on its own key, replaces it with another's, and toggles multiple choice", () => {
    const initial = initialDoc(flowers, task, 7);
    const store = new EditorStore(initial.doc);
    const key = (name: string, value: string) =>
      String(flowers.controls.find((c) => c.name === name)!.labels.find((l) => l.value === value)!.hotkey);
    expect(applyLabelKey(store, flowers, key("class", "rose"))).toBe(true);
    // Not even a new doc: the badge ("Showing prediction v1") is shown while the doc is the one it opened with.
    expect(store.state.doc).toBe(initial.doc);
    applyLabelKey(store, flowers, key("class", "daisy"));
    expect(chosen(store, "class")).toEqual(["daisy"]);
    applyLabelKey(store, flowers, key("tags", "bud"));
    applyLabelKey(store, flowers, key("tags", "wilted"));
    applyLabelKey(store, flowers, key("tags", "bud"));
    expect(chosen(store, "tags")).toEqual(["wilted"]);
    expect(isChoiceKey(flowers, key("class", "rose"))).toBe(true);
    expect(isChoiceKey(config, String(config.controls.find((c) => c.name === "box")!.labels[0].hotkey))).toBe(false);
  });
});
