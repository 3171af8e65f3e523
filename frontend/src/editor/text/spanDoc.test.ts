// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { fromResults, toResults, type ResultItem } from "../store/doc";
import { EditorStore } from "../store/store";
import { spanParts, makeSpan } from "../components/spans";

const config = parseConfig(`<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" perRegion="true"><Choice value="city"/></Choices>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <HyperText name="html" value="$html"/>
  <HyperTextLabels name="tag" toName="html"><Label value="Warning"/></HyperTextLabels>
  <Paragraphs name="dialogue" value="$dialogue"/>
  <ParagraphLabels name="intent" toName="dialogue"><Label value="Greeting"/></ParagraphLabels>
  <Taxonomy name="topic" toName="text"><Choice value="A"><Choice value="B"/></Choice></Taxonomy>
  <Relations><Relation value="founded"/></Relations>
</View>`);

// Shapes as Label Studio writes them (LS-COMPAT §4), including fields this editor does not model.
const RESULT: ResultItem[] = [
  {
    id: "p1",
    from_name: "ner",
    to_name: "text",
    type: "labels",
    origin: "manual",
    value: { start: 3, end: 15, text: "Barack Obama", labels: ["PER"] },
  },
  {
    id: "o1",
    from_name: "ner",
    to_name: "text",
    type: "labels",
    origin: "prediction",
    score: 0.9,
    value: { start: 10, end: 26, text: "Obama Foundation", labels: ["ORG"] },
  },
  {
    id: "p1",
    from_name: "kind",
    to_name: "text",
    type: "choices",
    origin: "manual",
    value: { start: 3, end: 15, text: "Barack Obama", choices: ["city"] },
  },
  { id: "s1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Positive"] } },
  {
    id: "h1",
    from_name: "tag",
    to_name: "html",
    type: "hypertextlabels",
    value: {
      start: "/p[1]/text()[1]",
      end: "/p[1]/text()[1]",
      startOffset: 13,
      endOffset: 17,
      globalOffsets: { start: 12, end: 16 },
      text: "test",
      hypertextlabels: ["Warning"],
    },
  },
  {
    id: "d1",
    from_name: "intent",
    to_name: "dialogue",
    type: "paragraphlabels",
    value: { start: "0", end: "1", startOffset: 2, endOffset: 4, text: "llo\nHi. H", paragraphlabels: ["Greeting"] },
  },
  { id: "t1", from_name: "topic", to_name: "text", type: "taxonomy", value: { taxonomy: [["A", "B"], ["A"]] } },
  { from_id: "p1", to_id: "o1", type: "relation", direction: "right", labels: ["founded"] },
];

describe("span results", () => {
  it("load spans of every kind as regions, per-span choices as their parts", () => {
    const doc = fromResults(RESULT, config);
    expect(doc.regions.map((r) => [r.id, r.shape, r.parts.map((p) => p.fromName)])).toEqual([
      ["p1", "text", ["ner", "kind"]],
      ["o1", "text", ["ner"]],
      ["h1", "hypertext", ["tag"]],
      ["d1", "paragraph", ["intent"]],
    ]);
    expect(doc.regions[0].geometry).toEqual({ start: 3, end: 15, text: "Barack Obama" });
    expect(doc.classifications.map((c) => c.fromName)).toEqual(["sentiment", "topic"]);
    expect(doc.relations).toHaveLength(1);
    expect(doc.passthrough).toEqual([]);
  });

  it("write back exactly what was loaded", () => {
    expect(toResults(fromResults(RESULT, config))).toEqual(RESULT);
  });

  it("relabel a span and mark an edited prediction, keeping its offsets", () => {
    const store = new EditorStore(fromResults(RESULT, config));
    store.setRegionPart("o1", config.controlByName.get("ner")!, ["PER"]);
    const item = toResults(store.state.doc).find((r) => r.id === "o1")!;
    expect(item).toEqual({
      ...RESULT[1],
      origin: "prediction-changed",
      value: { ...RESULT[1].value, labels: ["PER"] },
    });
  });

  it("make a new span from the labels picked for its object only", () => {
    const parts = spanParts(config, "text", { ner: ["ORG"], tag: ["Warning"] });
    expect(parts.map((p) => [p.fromName, p.type, p.valueKey, p.payload])).toEqual([
      ["ner", "labels", "labels", ["ORG"]],
    ]);
    const region = makeSpan("text", "text", { start: 0, end: 2, text: "😀a" }, parts);
    const store = new EditorStore();
    store.addRegion(region, false);
    expect(store.state.ui.selected).toEqual([]);
    expect(toResults(store.state.doc)).toEqual([
      {
        id: region.id,
        from_name: "ner",
        to_name: "text",
        type: "labels",
        origin: "manual",
        value: { start: 0, end: 2, text: "😀a", labels: ["ORG"] },
      },
    ]);
  });

  it("give a taxonomy no number keys but keep them for labels and choices", () => {
    expect(config.controlByName.get("topic")!.labels.map((l) => l.hotkey)).toEqual([null, null]);
    expect(config.controlByName.get("ner")!.labels.map((l) => l.hotkey)).toEqual(["1", "2"]);
    expect(config.controlByName.get("sentiment")!.labels.map((l) => l.hotkey)).toEqual(["4", "5"]);
  });
});
