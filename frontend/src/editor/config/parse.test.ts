// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { ConfigError, interpolate, parseConfig, resolveValue, styleObject, toolsFor } from "./parse";

const CONFIG = `<View style="display: flex; gap: 8px">
  <Header value="Image of $title"/>
  <Image name="img" value="$image" zoomControl="true"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Car" background="#f00"/>
    <Label value="Person" hotkey="p"/>
  </RectangleLabels>
  <choices name="cls" toname="img" choice="multiple" showInline="true">
    <Choice value="day"/>
    <Choice value="night"/>
  </choices>
  <TextArea name="ocr" toName="img" perRegion="true"/>
  <Polygon name="poly" toName="img"/>
  <TimeSeries name="ts" value="$csv"/>
</View>`;

describe("parseConfig", () => {
  const c = parseConfig(CONFIG);

  it("normalises tag and attribute case", () => {
    const cls = c.controlByName.get("cls")!;
    expect(cls.tag).toBe("Choices");
    expect(cls.toName).toEqual(["img"]);
    expect(cls.node.attrs.showinline).toBe("true");
    expect(cls.kind).toBe("classification");
    expect(cls.valueKey).toBe("choices");
  });

  it("classifies controls and their shapes", () => {
    const box = c.controlByName.get("box")!;
    expect(box).toMatchObject({
      kind: "labels",
      shape: "rectangle",
      type: "rectanglelabels",
      valueKey: "rectanglelabels",
    });
    expect(c.controlByName.get("poly")).toMatchObject({ kind: "tool", shape: "polygon", valueKey: null });
    expect(c.controlByName.get("ocr")).toMatchObject({ perRegion: true, valueKey: "text" });
    expect(toolsFor(c, "img").map((t) => t.name)).toEqual(["box", "poly"]);
  });

  it("assigns number hotkeys in config order, skipping explicit ones", () => {
    expect(c.controlByName.get("box")!.labels.map((l) => l.hotkey)).toEqual(["1", "p"]);
    expect(c.controlByName.get("cls")!.labels.map((l) => l.hotkey)).toEqual(["2", "3"]);
    expect(c.controlByName.get("box")!.labels[0].background).toBe("#f00");
  });

  it("names unsupported tags", () => {
    expect(c.unsupported).toEqual(["TimeSeries"]);
  });

  it("rejects broken XML", () => {
    expect(() => parseConfig("<View><Image></View>")).toThrow(ConfigError);
    expect(() => parseConfig("")).toThrow(ConfigError);
  });
});

describe("values and styles", () => {
  it("resolves $vars, dotted paths and interpolation", () => {
    const data = { image: "/a.png", meta: { title: "Cat" } };
    expect(resolveValue("$image", data)).toBe("/a.png");
    expect(resolveValue("$meta.title", data)).toBe("Cat");
    expect(resolveValue("literal", data)).toBe("literal");
    expect(interpolate("A $meta.title and $missing", data)).toBe("A Cat and $missing");
  });

  it("turns CSS text into a React style object", () => {
    expect(styleObject("display: flex; margin-top:4px; --x: 1;")).toEqual({
      display: "flex",
      marginTop: "4px",
      "--x": "1",
    });
  });
});

describe("visibleWhen", async () => {
  const { isVisible } = await import("../components/ConfigView");
  const { EditorStore } = await import("../store/store");
  const config = parseConfig(`<View>
    <Image name="img" value="$i"/>
    <Choices name="kind" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices>
    <View visibleWhen="choice-selected" whenTagName="kind" whenChoiceValue="cat"><Header value="Cat details"/></View>
    <View visibleWhen="region-selected"><Header value="Region"/></View>
    <Choices name="q" toName="img" perRegion="true"><Choice value="ok"/></Choices>
  </View>`);
  const [catView, regionView] = config.root.children.filter((n) => n.tag === "View");
  const q = config.controlByName.get("q")!;

  it("follows choices and the selection", () => {
    const store = new EditorStore();
    expect(isVisible(catView, store.state, config)).toBe(false);
    store.setClassification(config.controlByName.get("kind")!, "img", ["cat"]);
    expect(isVisible(catView, store.state, config)).toBe(true);
    expect(isVisible(regionView, store.state, config)).toBe(false);
    expect(isVisible(q.node, store.state, config)).toBe(false);
    store.addRegion({ id: "r", toName: "img", shape: "keypoint", geometry: { x: 1, y: 1 }, parts: [], image: null });
    expect(isVisible(regionView, store.state, config)).toBe(true);
    expect(isVisible(q.node, store.state, config)).toBe(true);
  });
});
