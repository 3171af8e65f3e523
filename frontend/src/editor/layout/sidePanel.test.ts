// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { splitForPanel } from "./sidePanel";

const tags = (nodes: { tag: string }[]) => nodes.map((n) => n.tag);

describe("splitForPanel", () => {
  it("moves an image config's choices, with the header written for them, beside the image", () => {
    const config = parseConfig(`<View>
      <Header value="Look"/><Image name="image" value="$image"/>
      <Header value="Which flower?"/><Choices name="class" toName="image"><Choice value="rose"/></Choices>
    </View>`);
    const { main, side } = splitForPanel(config.root);
    expect(tags(main.children)).toEqual(["Header", "Image"]);
    expect(tags(side)).toEqual(["Header", "Choices"]);
  });

  it("moves labels written before the image too", () => {
    const config = parseConfig(`<View><RectangleLabels name="l" toName="i"><Label value="car"/></RectangleLabels>
      <Image name="i" value="$i"/></View>`);
    expect(tags(splitForPanel(config.root).side)).toEqual(["RectangleLabels"]);
  });

  it("leaves text configs and nested layouts as written", () => {
    const text = parseConfig(
      `<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>`,
    );
    expect(splitForPanel(text.root).side).toEqual([]);
    const nested = parseConfig(`<View><View style="display: flex"><Image name="i" value="$i"/>
      <Choices name="c" toName="i"><Choice value="a"/></Choices></View></View>`);
    expect(splitForPanel(nested.root).side).toEqual([]);
    const styled = parseConfig(`<View style="display: flex"><Image name="i" value="$i"/>
      <Choices name="c" toName="i"><Choice value="a"/></Choices></View>`);
    expect(splitForPanel(styled.root).side).toEqual([]);
  });
});
