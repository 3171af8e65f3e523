// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { cleanParserError, parserErrorLine, previewConfig, requiredKeys, serverErrorLine } from "./labelConfig";
import { TEMPLATES } from "./templates";

const FLOWERS = `<View>
  <Image name="image" value="$image_path" zoom="true"/>
  <Choices name="class" toName="image" choice="multiple">
    <Choice value="daisy"/>
    <Choice value="rose" background="#e11d48"/>
  </Choices>
</View>`;

describe("config preview", () => {
  it("lists objects with their $variables and controls with their labels", () => {
    const p = previewConfig(FLOWERS);
    expect(p.error).toBeNull();
    expect(p.objects).toEqual([{ tag: "Image", name: "image", variable: "image_path", value: "$image_path" }]);
    expect(p.controls).toEqual([
      {
        tag: "Choices",
        name: "class",
        toName: ["image"],
        labels: [
          { value: "daisy", color: null },
          { value: "rose", color: "#e11d48" },
        ],
        notes: ["multiple choice"],
      },
    ]);
    expect(requiredKeys(p)).toEqual(["image_path"]);
  });

  it("reports XML syntax errors with a line", () => {
    const p = previewConfig(`<View>\n  <Image name="image" value="$image">\n</View>`);
    expect(p.error).not.toBeNull();
    expect(p.objects).toEqual([]);
    expect(previewConfig("  ").error?.message).toMatch(/empty/);
  });

  it("reads the line from parser and server messages", () => {
    expect(parserErrorLine("This page contains the following errors:error on line 3 at column 5: bad")).toBe(3);
    expect(parserErrorLine("XML Parsing Error ... Line Number 7, Column 2")).toBe(7);
    expect(serverErrorLine('line 4: Choices "c": toName="x" names no object tag')).toBe(4);
    expect(serverErrorLine("Label config is not valid")).toBeNull();
  });

  it("every template parses and names what it shows and what it produces", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(13);
    for (const t of TEMPLATES) {
      const p = previewConfig(t.config);
      expect(p.error, t.id).toBeNull();
      expect(p.objects.length, t.id).toBeGreaterThan(0);
      expect(p.controls.length, t.id).toBeGreaterThan(0);
      for (const c of p.controls)
        for (const to of c.toName)
          expect(
            p.objects.map((o) => o.name),
            t.id,
          ).toContain(to);
    }
  });
});

describe("XML errors", () => {
  it("drop the browser's page text and say which tag is left open", () => {
    const chromium =
      "This page contains the following errors:error on line 1 at column 62: Unexpected closing tag: View != Choices" +
      "Below is a rendering of the page up to the first error.";
    expect(cleanParserError(chromium)).toBe(
      "column 62: </View> closes <Choices>, which is still open (close it with </Choices> or end it with />)",
    );
    expect(cleanParserError("error on line 2 at column 3: StartTag: invalid element name")).toBe(
      "column 3: StartTag: invalid element name",
    );
    expect(cleanParserError("")).toBe("Not valid XML.");
  });
});
