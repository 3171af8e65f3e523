// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { safeUrl, sanitizeHtml } from "./sanitize";

/** The sanitised markup, serialised only to look at it. */
function clean(html: string): string {
  const div = document.createElement("div");
  div.appendChild(sanitizeHtml(html));
  return div.innerHTML;
}

/** Every attribute left anywhere in the output. */
function attributes(html: string): string[] {
  const div = document.createElement("div");
  div.appendChild(sanitizeHtml(html));
  return Array.from(div.querySelectorAll("*")).flatMap((el) =>
    Array.from(el.attributes).map((a) => `${el.localName}[${a.name}=${a.value}]`),
  );
}

describe("sanitizeHtml", () => {
  it("keeps formatting, tables, lists and their text as written", () => {
    const html =
      '<article><h2>Title</h2> <p>Some <b>bold</b> and <i>italic</i> text, <a href="https://example.com/x">a link</a>.</p>' +
      '<table border="1"><tbody><tr><td colspan="2">cell</td></tr></tbody></table><ul><li>one</li></ul></article>';
    expect(clean(html)).toBe(
      '<article><h2>Title</h2> <p>Some <b>bold</b> and <i>italic</i> text, <a href="https://example.com/x" ' +
        'target="_blank" rel="noopener noreferrer nofollow">a link</a>.</p><table border="1"><tbody><tr>' +
        '<td colspan="2">cell</td></tr></tbody></table><ul><li>one</li></ul></article>',
    );
  });

  it("removes scripts with their content, wherever they are", () => {
    expect(clean('<p>a<script>window.__pwned = 1</script>b</p><script src="https://evil.test/x.js"></script>')).toBe(
      "<p>ab</p>",
    );
    expect(clean("<div><noscript><p>x</p></noscript><template><script>1</script></template>ok</div>")).toBe(
      "<div>ok</div>",
    );
  });

  it("removes every event handler attribute", () => {
    const out = attributes(
      '<img src="x" onerror="window.__pwned=1"><p onclick="x()" onmouseover="y()">t</p>' +
        '<body onload="z()"><div ONFOCUS="a()" tabindex="1" autofocus>d</div>',
    );
    expect(out.filter((a) => /\[on/i.test(a))).toEqual([]);
    expect(out).toEqual(["img[src=x]"]);
  });

  it("drops javascript:, data: and other script URLs however they are spelled", () => {
    for (const href of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "&#106;avascript:alert(1)",
      "&#x6A;avascript&colon;alert(1)",
      "\u0001javascript:alert(1)",
      "vbscript:msgbox(1)",
      "data:text/html,<script>alert(1)</script>",
    ]) {
      expect(attributes(`<a href="${href}">x</a>`)).toEqual([]);
    }
    expect(attributes('<img src="javascript:alert(1)">')).toEqual([]);
    expect(attributes('<img src="data:image/svg+xml,<svg onload=alert(1)>">')).toEqual([]);
  });

  it("keeps http(s), mailto, relative and data:image URLs", () => {
    expect(safeUrl("https://a.test/b", "link")).toBe("https://a.test/b");
    expect(safeUrl("/data/upload/1/x.png", "image")).toBe("/data/upload/1/x.png");
    expect(safeUrl("#top", "link")).toBe("#top");
    expect(safeUrl("mailto:a@b.test", "link")).toBe("mailto:a@b.test");
    expect(safeUrl("mailto:a@b.test", "image")).toBeNull();
    expect(safeUrl("data:image/png;base64,AAAA", "image")).toBe("data:image/png;base64,AAAA");
    expect(safeUrl("data:image/png;base64,AAAA", "link")).toBeNull();
  });

  it("removes frames, objects, forms, svg and math with their content", () => {
    expect(
      clean(
        '<iframe srcdoc="<script>1</script>"></iframe><object data="x.swf"></object><embed src="x">' +
          '<form action="javascript:1"><button formaction="javascript:1">b</button></form>' +
          '<svg><script>1</script><a xlink:href="javascript:1"><text>s</text></a></svg>' +
          "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>" +
          "<p>kept</p>",
      ),
    ).toBe("<p>kept</p>");
  });

  it("drops style sheets and inline styles that fetch or escape the view", () => {
    expect(clean('<style>body{background:url(https://evil.test)}</style><p style="color: red">x</p>')).toBe(
      '<p style="color: red">x</p>',
    );
    expect(attributes('<p style="background:url(https://evil.test/t)">x</p>')).toEqual([]);
    expect(attributes('<p style="position: fixed; inset: 0">x</p>')).toEqual([]);
    expect(attributes('<p style="background:u\\72l(https://evil.test/t)">x</p>')).toEqual([]);
  });

  it("strips ids, names and classes so task HTML cannot clobber the page's globals or styles", () => {
    expect(clean('<p id="__pwned" class="btn" name="x" data-x="1" title="t">x</p><img name="body">')).toBe(
      '<p title="t">x</p><img>',
    );
  });

  it("unwraps unknown elements but keeps their text, and drops comments", () => {
    expect(clean("<p>a<custom-el foo=1>b<blink>c</blink></custom-el><!-- secret -->d</p>")).toBe("<p>abcd</p>");
  });

  it("parses like a div's innerHTML: leading blanks and a full document", () => {
    expect(clean("  <p>x</p>")).toBe("  <p>x</p>");
    expect(clean("<html><head><title>T</title><script>1</script></head><body><p>x</p></body></html>")).toBe("<p>x</p>");
  });

  it("returns nodes of the live document, not an HTML string", () => {
    const frag = sanitizeHtml("<p>x</p>");
    expect(frag.ownerDocument).toBe(document);
    expect(frag.firstChild?.nodeName).toBe("P");
  });
});
