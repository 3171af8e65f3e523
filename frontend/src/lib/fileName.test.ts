import { describe, expect, it } from "vitest";
import { fileName } from "./fileName";

describe("fileName", () => {
  it("takes the last part of the path", () => {
    expect(fileName("/data/upload/3/ab12-rose.png")).toBe("ab12-rose.png");
    expect(fileName("https://example.com/img/x.jpg?sig=1#a")).toBe("x.jpg");
    expect(fileName("s3://bucket/dir/c.png")).toBe("c.png");
  });
  it("reads a local file's path from its d= parameter, decoded", () => {
    expect(fileName("/data/local-files/?d=photos/a%20b.jpg")).toBe("a b.jpg");
    expect(fileName("/data/local-files/?d=photos%2Fsub%2Fc.png")).toBe("c.png");
  });
  it("has none for inline data", () => {
    expect(fileName("data:image/png;base64,AAAA")).toBe("");
  });
});
