// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { parseConfig, resolveValue } from "./parse";
import { sampleData } from "./sampleData";

describe("sampleData", () => {
  it("gives each object's field a value of its kind", () => {
    const config = parseConfig(`<View>
      <Image name="img" value="$image_path"/>
      <Image name="pages" valueList="$pages"/>
      <Text name="text" value="$item.text"/>
      <Paragraphs name="chat" value="$dialogue" nameKey="speaker" textKey="line"/>
      <Audio name="audio" value="$audio"/>
      <Choices name="c" toName="img"><Choice value="a"/></Choices>
    </View>`);
    const data = sampleData(config);
    expect(String(data.image_path)).toMatch(/^data:image\/svg\+xml/);
    expect(data.pages).toHaveLength(2);
    expect(typeof resolveValue("$item.text", data)).toBe("string");
    expect((data.dialogue as Record<string, string>[])[0]).toHaveProperty("speaker");
    expect((data.dialogue as Record<string, string>[])[0]).toHaveProperty("line");
    const wav = atob(String(data.audio).split(",")[1]);
    expect(wav.slice(0, 4)).toBe("RIFF");
    expect(wav.slice(8, 12)).toBe("WAVE");
    expect(wav.length).toBe(44 + 8000 * 2 * 2);
  });

  it("leaves literal values and videos alone", () => {
    const data = sampleData(
      parseConfig(`<View><Header value="Pick one"/><Video name="v" value="$video"/><Text name="t" value="$t"/></View>`),
    );
    expect(Object.keys(data)).toEqual(["t"]);
  });
});
