// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { fromResults, toResults, type ResultItem } from "./doc";
import { EditorStore } from "./store";

const config = parseConfig(`<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
  <TextArea name="ocr" toName="image" perRegion="true"/>
  <Choices name="cls" toName="image"><Choice value="day"/><Choice value="night"/></Choices>
  <Relations><Relation value="near"/></Relations>
</View>`);

const RESULT: ResultItem[] = [
  {
    id: "r1",
    from_name: "label",
    to_name: "image",
    type: "rectanglelabels",
    origin: "manual",
    original_width: 640,
    original_height: 480,
    image_rotation: 0,
    value: { x: 10.5, y: 20.25, width: 30, height: 40, rotation: 12.5, rectanglelabels: ["Car"] },
  },
  {
    id: "r1",
    from_name: "ocr",
    to_name: "image",
    type: "textarea",
    origin: "manual",
    original_width: 640,
    original_height: 480,
    image_rotation: 0,
    value: { x: 10.5, y: 20.25, width: 30, height: 40, rotation: 12.5, text: ["ABC 123"] },
  },
  { id: "c1", from_name: "cls", to_name: "image", type: "choices", value: { choices: ["day"] } },
  { id: "x1", from_name: "unknown", to_name: "image", type: "taxonomy", value: { taxonomy: [["a"]] }, meta: { k: 1 } },
  { from_id: "r1", to_id: "r1", type: "relation", direction: "right" },
];

const store = () => new EditorStore(fromResults(RESULT, config));
const labelControl = config.controlByName.get("label")!;

describe("results <-> doc", () => {
  it("groups items of one region and writes an unedited result back unchanged", () => {
    const doc = fromResults(RESULT, config);
    expect(doc.regions).toHaveLength(1);
    expect(doc.regions[0].parts.map((p) => p.fromName)).toEqual(["label", "ocr"]);
    expect(doc.classifications).toHaveLength(1);
    expect(doc.passthrough).toHaveLength(1);
    expect(toResults(doc)).toEqual(RESULT);
  });

  it("marks edited predictions prediction-changed", () => {
    const s = new EditorStore(fromResults(RESULT.slice(2, 3), config, "prediction"));
    expect(toResults(s.state.doc)[0].origin).toBe("prediction");
    s.setClassification(config.controlByName.get("cls")!, "image", ["night"]);
    expect(toResults(s.state.doc)[0]).toMatchObject({ origin: "prediction-changed", value: { choices: ["night"] } });
  });
});

describe("EditorStore", () => {
  it("undoes and redoes edits, and notifies subscribers", () => {
    const s = store();
    let calls = 0;
    s.subscribe(() => calls++);
    s.setRegionPart("r1", labelControl, ["Person"]);
    expect(toResults(s.state.doc)[0].value).toMatchObject({ rectanglelabels: ["Person"], x: 10.5 });
    expect(s.state.canUndo).toBe(true);
    s.undo();
    expect(toResults(s.state.doc)).toEqual(RESULT);
    expect(s.state.canRedo).toBe(true);
    s.redo();
    expect(toResults(s.state.doc)[0].value).toMatchObject({ rectanglelabels: ["Person"] });
    expect(calls).toBe(3);
  });

  it("merges a run of edits with the same key into one undo step", () => {
    const s = store();
    const ocr = config.controlByName.get("ocr")!;
    for (const text of ["A", "AB", "ABC"]) s.setRegionPart("r1", ocr, [text], "type:r1");
    s.undo();
    expect(toResults(s.state.doc)).toEqual(RESULT);
  });

  it("updates geometry on every item of the region", () => {
    const s = store();
    s.updateRegion("r1", { geometry: { x: 1, y: 2, width: 3, height: 4, rotation: 0 } });
    const out = toResults(s.state.doc);
    expect(out[0].value).toEqual({ x: 1, y: 2, width: 3, height: 4, rotation: 0, rectanglelabels: ["Car"] });
    expect(out[1].value).toEqual({ x: 1, y: 2, width: 3, height: 4, rotation: 0, text: ["ABC 123"] });
  });

  it("deletes a region with its relations and drops it from the selection; undo brings both back", () => {
    const s = store();
    s.select(["r1"]);
    s.deleteRegions(["r1"]);
    expect(s.state.doc.regions).toHaveLength(0);
    expect(s.state.doc.relations).toHaveLength(0);
    expect(s.state.ui.selected).toEqual([]);
    s.undo();
    expect(toResults(s.state.doc)).toEqual(RESULT);
  });

  it("does not delete locked regions", () => {
    const s = store();
    s.toggleLocked("r1");
    s.deleteRegions(["r1"]);
    expect(s.state.doc.regions).toHaveLength(1);
  });

  it("adds and selects a region; a new edit clears the redo stack", () => {
    const s = store();
    s.addRegion({
      id: "n1",
      toName: "image",
      shape: "keypoint",
      geometry: { x: 1, y: 1, width: 1 },
      parts: [],
      origin: "manual",
      image: null,
    });
    expect(s.state.ui.selected).toEqual(["n1"]);
    s.undo();
    expect(s.state.ui.selected).toEqual([]);
    s.setClassification(config.controlByName.get("cls")!, "image", undefined);
    expect(s.state.canRedo).toBe(false);
    expect(s.state.doc.classifications).toHaveLength(0);
  });
});
