"""Text, HTML and dialogue labeling in Debian's Chromium against a real `labelhive start`: overlapping entities
with word snapping, a relation and a per-span choice; text classification by hotkey, a translation and a
taxonomy; malicious task HTML that must run nothing; HyperText spans as Label Studio stores them; a 1 MB
document; and the CONLL2003 export of browser-made labels against label_studio_sdk's converter. Every result
is checked through the API as exact JSON. Screenshots go to tests/artifacts/text-*.png."""
import time

import pytest

from browser import ARTIFACTS, require_browser
from editor_session import browser, http, page, server, settled, submit  # noqa: F401 (fixtures)
from export_helpers import export, run_oracle, unpack

sync_api = require_browser()
expect = sync_api.expect


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"text-{name}.png"), full_page=True)


def new_project(http, config: str, title: str, tasks: list[dict]) -> tuple[int, list[int]]:
    r = http.post("/api/projects", json={"title": title, "label_config": config})
    r.raise_for_status()
    pid = r.json()["id"]
    http.post(f"/api/projects/{pid}/import", json=tasks).raise_for_status()
    ids = sorted(t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"])
    return pid, ids


def wait_for_annotation(page, http, tid: int) -> dict:
    for _ in range(100):
        anns = http.get(f"/api/tasks/{tid}").json()["annotations"]
        if anns:
            return anns[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"task {tid} has no saved annotation")


# Client rects of the characters [from, to) of the n-th occurrence of `needle` in the text under `root`,
# counted over the DOM's text nodes, so it works for Text, HyperText and Paragraphs alike.
CHAR_BOXES = """([root, needle, nth, from, to]) => {
  const el = document.querySelector(root);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.data; }
  let at = -1;
  for (let k = 0; k <= nth; k++) at = all.indexOf(needle, at + 1);
  if (at < 0) throw new Error('not found: ' + needle);
  const box = (i) => {
    const [node, base] = nodes.filter(([n, b]) => b <= i && i < b + n.data.length)[0];
    const r = document.createRange();
    r.setStart(node, i - base); r.setEnd(node, i - base + 1);
    const q = r.getClientRects()[0];
    return {x: q.left, y: q.top, w: q.width, h: q.height};
  };
  const b = box(at + from);
  if (b.y < 60 || b.y + b.h > innerHeight - 20) window.scrollBy(0, b.y - innerHeight / 3);
  return [box(at + from), box(at + (to ?? needle.length) - 1)];
}"""


def drag_select(page, root: str, needle: str, nth: int = 0, start: int = 0, end: int | None = None) -> None:
    """Selects characters [start, end) of an occurrence of `needle` by dragging the mouse, as a user does."""
    first, last = page.evaluate(CHAR_BOXES, [root, needle, nth, start, end])
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] / 2, last["y"] + last["h"] / 2, steps=5)
    page.mouse.move(last["x"] + last["w"] - 1, last["y"] + last["h"] / 2)
    page.mouse.up()


def click_text(page, root: str, needle: str, nth: int = 0, at: int = 0) -> None:
    first, _ = page.evaluate(CHAR_BOXES, [root, needle, nth, at, at + 1])
    page.mouse.click(first["x"] + first["w"] / 2, first["y"] + first["h"] / 2)


def without_ids(result: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("id", "from_id", "to_id")} for r in result]


# ---- named entities ---------------------------------------------------------------------------------------

NER = """<View>
  <Labels name="ner" toName="text" granularity="word">
    <Label value="PER" background="#e11d48"/><Label value="ORG" background="#2563eb"/>
    <Label value="LOC" background="#16a34a"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" perRegion="true" showInline="true">
    <Choice value="city" hotkey="c"/><Choice value="country" hotkey="n"/>
  </Choices>
  <Relations><Relation value="founded"/></Relations>
</View>"""
NER_TEXT = "😀 On Monday the Barack Obama Foundation 🏛️ opened an office in Chicago 🌆 with 𝒳 guests."


def test_overlapping_entities_a_relation_and_a_per_span_choice_with_emoji_offsets(page, http):
    pid, (tid,) = new_project(http, NER, "NER", [{"text": NER_TEXT}])
    page.goto(f"/projects/{pid}/label/{tid}")
    root = '[data-testid="text-text"]'
    expect(page.locator(root)).to_contain_text("Barack Obama Foundation")

    # PER by its key, then a sloppy drag from inside "Barack" to inside "Obama": snapped to whole words.
    page.keyboard.press("1")
    drag_select(page, root, "Barack Obama", start=2, end=9)
    expect(page.get_by_test_id("region-1")).to_contain_text("Barack Obama")
    # ORG overlapping it: "Obama Foundation"; selecting first and pressing the key afterwards works too.
    page.keyboard.press("1")  # puts PER down again
    drag_select(page, root, "Obama Foundation")
    expect(page.get_by_text("Now pick a label")).to_be_visible()
    page.keyboard.press("2")
    expect(page.get_by_test_id("region-2")).to_contain_text("Obama Foundation")
    # LOC after two emoji (one of them two code points, U+1F3DB U+FE0F).
    page.get_by_test_id("control-ner").get_by_role("button", name="LOC").click()
    drag_select(page, root, "Chicago")
    expect(page.get_by_test_id("region-3")).to_contain_text("Chicago")
    # The overlap is one segment covered by both spans, not nested copies of the text.
    expect(page.locator(f'{root} .seg[data-ids*=" "]')).to_have_text("Obama")

    # A per-span choice on the selected LOC span.
    click_text(page, root, "Chicago", at=3)
    expect(page.get_by_test_id("region-3")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("c")
    expect(page.get_by_test_id("control-kind").locator(".choice.on")).to_have_text("cityc")
    shot(page, "01a-per-span-choice")

    # A relation from PER to ORG: select PER (on "Barack", which only it covers), Alt+R, click "Foundation".
    click_text(page, root, "Barack", at=1)
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Alt+r")
    click_text(page, root, "Foundation", at=2)
    expect(page.get_by_test_id("relation-1")).to_be_visible()
    page.get_by_label("Relation label").select_option("founded")
    expect(page.get_by_test_id("relation-arc")).to_have_count(1)
    expect(page.get_by_test_id("relation-arc")).to_contain_text("founded")
    page.keyboard.press("Escape")
    shot(page, "01-ner")

    submit(page)
    ann = wait_for_annotation(page, http, tid)
    result = ann["result"]
    per, org, loc, kind, rel = result
    ids = {"per": per["id"], "org": org["id"], "loc": loc["id"]}
    assert len(set(ids.values())) == 3 and all(len(i) == 10 for i in ids.values())

    # Code points, as Python counts them: 😀 is one, so "Barack" starts at 16 (it is 17 in UTF-16).
    def span(needle):
        start = NER_TEXT.index(needle)
        return {"start": start, "end": start + len(needle), "text": needle}

    assert result == [
        {"id": ids["per"], "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {**span("Barack Obama"), "labels": ["PER"]}, "origin": "manual"},
        {"id": ids["org"], "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {**span("Obama Foundation"), "labels": ["ORG"]}, "origin": "manual"},
        {"id": ids["loc"], "from_name": "ner", "to_name": "text", "type": "labels",
         "value": {**span("Chicago"), "labels": ["LOC"]}, "origin": "manual"},
        {"id": ids["loc"], "from_name": "kind", "to_name": "text", "type": "choices",
         "value": {**span("Chicago"), "choices": ["city"]}, "origin": "manual"},
        {"from_id": ids["per"], "to_id": ids["org"], "type": "relation", "direction": "right",
         "labels": ["founded"]},
    ]
    assert span("Barack Obama")["start"] == 16 and span("Chicago")["start"] == 63
    for item in (per, org, loc):
        v = item["value"]
        assert NER_TEXT[v["start"]:v["end"]] == v["text"]

    # Reopened, the spans are drawn where they were and the result is written back unchanged.
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(page.locator(f'{root} .seg[data-ids*=" "]')).to_have_text("Obama")
    expect(page.locator(f"{root} .seg.hl").filter(has_text="Chicago")).to_have_count(1)
    page.get_by_role("button", name="Update").click()
    page.wait_for_timeout(500)
    assert http.get(f"/api/tasks/{tid}").json()["annotations"][0]["result"] == result


# ---- classification, translation, taxonomy ------------------------------------------------------------------

CLASSIFY = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single" showInline="true">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
  <TextArea name="translation" toName="text" placeholder="Translation" rows="2"/>
  <Taxonomy name="topic" toName="text">
    <Choice value="Science"><Choice value="Biology"><Choice value="Zoology"/></Choice><Choice value="Physics"/></Choice>
    <Choice value="Politics"/>
  </Taxonomy>
</View>"""


def test_classify_a_text_by_hotkey_translate_it_and_pick_a_topic(page, http):
    texts = ["Le chat dort sur le canapé 🐈.", "Il pleut."]
    pid, ids = new_project(http, CLASSIFY, "Sentiment", [{"text": t} for t in texts])
    page.goto(f"/projects/{pid}/label")
    expect(page.get_by_test_id("text-text")).to_have_text(texts[0])
    settled(page)
    page.keyboard.press("2")
    expect(page.locator(".choice.on")).to_have_text("Negative2")
    page.keyboard.press("1")
    expect(page.locator(".choice.on")).to_have_text("Positive1")

    page.get_by_placeholder("Translation").fill("The cat sleeps on the sofa 🐈.")
    page.keyboard.press("Enter")
    expect(page.get_by_label("translation text 1")).to_have_value("The cat sleeps on the sofa 🐈.")

    page.get_by_role("button", name="Click to add…").click()
    page.get_by_label("Search topic").fill("zoo")
    page.get_by_role("checkbox", name="Zoology").check()
    page.get_by_label("Search topic").fill("")
    page.get_by_role("checkbox", name="Politics").check()
    expect(page.locator(".tax-chip")).to_have_text(["Science / Biology / Zoology✕", "Politics✕"])
    shot(page, "02-classify")
    submit(page)
    expect(page.get_by_test_id("text-text")).to_have_text(texts[1])

    result = wait_for_annotation(page, http, ids[0])["result"]
    assert without_ids(result) == [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]},
         "origin": "manual"},
        {"from_name": "translation", "to_name": "text", "type": "textarea",
         "value": {"text": ["The cat sleeps on the sofa 🐈."]}, "origin": "manual"},
        {"from_name": "topic", "to_name": "text", "type": "taxonomy",
         "value": {"taxonomy": [["Science", "Biology", "Zoology"], ["Politics"]]}, "origin": "manual"},
    ]
    assert all(len(r["id"]) == 10 for r in result)


# ---- HTML ---------------------------------------------------------------------------------------------------

HTML_CONFIG = """<View>
  <HyperText name="html" value="$html"/>
  <HyperTextLabels name="tag" toName="html"><Label value="Warning" background="#f59e0b"/></HyperTextLabels>
</View>"""

EVIL = """<article><h2>🐱 Warning:</h2> <p>🐱 This is a test text</p></article>
<script>window.__pwned = "script"; fetch("/pwned-script")</script>
<img src="/missing.png" onerror="window.__pwned = 'onerror'; fetch('/pwned-onerror')">
<p><a href="javascript:window.__pwned='link';fetch('/pwned-link')" id="evil-link">click me</a>
<a href=" jAvAsCrIpT:window.__pwned='link2'">and me</a></p>
<svg onload="window.__pwned='svg'"><script>window.__pwned='svg-script'</script></svg>
<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>
<div id="__pwned" onmouseover="window.__pwned='hover'" style="background:url(/pwned-css)">hover me</div>
<object data="javascript:window.__pwned='object'"></object>
<form action="javascript:window.__pwned='form'"><button>send</button></form>"""


def test_malicious_html_runs_nothing_and_html_spans_are_stored_as_label_studio_does(page, http):
    pid, (tid,) = new_project(http, HTML_CONFIG, "HTML", [{"html": EVIL}])
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/projects/{pid}/label/{tid}")
    root = '[data-testid="hypertext-html"] .hypertext-content'
    expect(page.locator(root)).to_contain_text("This is a test text")
    content = page.locator(root)
    content.get_by_text("hover me").hover()
    content.get_by_text("click me").click()
    content.get_by_text("and me").click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert not [u for u in requests if "pwned" in u], requests
    assert content.locator("script, iframe, svg, object, form, [onerror], [onmouseover], [id]").count() == 0
    assert content.locator("a").first.get_attribute("href") is None
    expect(page.get_by_test_id("task-id")).to_be_visible()  # still on the editor: no navigation happened

    # The span "test" after an emoji: xpath, UTF-16 offsets in its node, code-point global offsets (LS's own case).
    page.keyboard.press("1")
    drag_select(page, root, "test")
    expect(page.get_by_test_id("region-1")).to_contain_text("test")
    expect(page.locator(".span-box")).to_have_count(1)
    # And one over two elements.
    drag_select(page, root, "Warning: 🐱 This", start=0, end=8)
    expect(page.get_by_test_id("region-2")).to_be_visible()
    shot(page, "03-html")
    submit(page)
    result = wait_for_annotation(page, http, tid)["result"]
    assert without_ids(result) == [
        {"from_name": "tag", "to_name": "html", "type": "hypertextlabels", "origin": "manual",
         "value": {"start": "/article[1]/p[1]/text()[1]", "end": "/article[1]/p[1]/text()[1]",
                   "startOffset": 13, "endOffset": 17, "globalOffsets": {"start": 23, "end": 27},
                   "text": "test", "hypertextlabels": ["Warning"]}},
        {"from_name": "tag", "to_name": "html", "type": "hypertextlabels", "origin": "manual",
         "value": {"start": "/article[1]/h2[1]/text()[1]", "end": "/article[1]/h2[1]/text()[1]",
                   "startOffset": 3, "endOffset": 11, "globalOffsets": {"start": 2, "end": 10},
                   "text": "Warning:", "hypertextlabels": ["Warning"]}},
    ]
    assert page.evaluate("window.__pwned") is None


# ---- dialogue -------------------------------------------------------------------------------------------------

DIALOGUE = """<View>
  <ParagraphLabels name="intent" toName="dialogue">
    <Label value="Greeting" background="#16a34a"/><Label value="Question" background="#2563eb"/>
  </ParagraphLabels>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue"/>
</View>"""


def test_dialogue_spans(page, http):
    dialogue = [{"author": "Ana", "text": "👋 Hello there!"}, {"author": "Bo", "text": "Hi. How are you?"}]
    pid, (tid,) = new_project(http, DIALOGUE, "Dialogue", [{"dialogue": dialogue}])
    page.goto(f"/projects/{pid}/label/{tid}")
    root = '[data-testid="paragraphs-dialogue"]'
    expect(page.locator(root)).to_contain_text("How are you?")
    page.keyboard.press("1")
    drag_select(page, root, "Hello")
    page.keyboard.press("2")
    drag_select(page, root, "How are you?")
    expect(page.get_by_test_id("region-2")).to_be_visible()
    shot(page, "04-dialogue")
    submit(page)
    result = wait_for_annotation(page, http, tid)["result"]
    assert without_ids(result) == [
        {"from_name": "intent", "to_name": "dialogue", "type": "paragraphlabels", "origin": "manual",
         "value": {"start": "0", "end": "0", "startOffset": 2, "endOffset": 7, "text": "Hello",
                   "paragraphlabels": ["Greeting"]}},
        {"from_name": "intent", "to_name": "dialogue", "type": "paragraphlabels", "origin": "manual",
         "value": {"start": "1", "end": "1", "startOffset": 4, "endOffset": 16, "text": "How are you?",
                   "paragraphlabels": ["Question"]}},
    ]
    for r in result:
        v = r["value"]
        assert dialogue[int(v["start"])]["text"][v["startOffset"]:v["endOffset"]] == v["text"]


# ---- a long document --------------------------------------------------------------------------------------------

def test_a_megabyte_of_text_stays_responsive(page, http):
    sentence = "Alice met Bob in Paris 🇫🇷 and they talked about the weather for a while. "
    text = sentence * (1_000_000 // len(sentence.encode()) + 1) + "The END."
    assert len(text.encode()) > 1_000_000
    pid, (tid,) = new_project(http, NER, "Long", [{"text": text}])
    page.goto(f"/projects/{pid}/label/{tid}")
    root = '[data-testid="text-text"]'
    expect(page.locator(root)).to_contain_text("The END.", timeout=30_000)
    page.keyboard.press("1")
    started = time.monotonic()
    drag_select(page, root, "Alice", nth=5)
    expect(page.get_by_test_id("region-1")).to_be_visible()
    first_span = time.monotonic() - started
    page.keyboard.press("3")
    started = time.monotonic()
    drag_select(page, root, "END")
    expect(page.get_by_test_id("region-2")).to_be_visible()
    second_span = time.monotonic() - started
    # Two spans cut the text into five runs, whatever its length.
    assert page.locator(f"{root} .seg").count() == 5
    # About 0.6 s each on a shared 2-core machine (pre-wrap layout took 17 s here; see editor.css).
    assert first_span < 3 and second_span < 3, (first_span, second_span)
    submit(page)
    result = wait_for_annotation(page, http, tid)["result"]
    alice = 5 * len(sentence)  # the sixth sentence; its flag is two code points (four UTF-16 units)
    end = text.index("END")
    assert [r["value"] for r in result] == [
        {"start": alice, "end": alice + 5, "text": "Alice", "labels": ["PER"]},
        {"start": end, "end": end + 3, "text": "END", "labels": ["LOC"]},
    ]


# ---- export -------------------------------------------------------------------------------------------------------

CONLL_CONFIG = """<View>
  <Labels name="label" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Text name="text" value="$text"/>
</View>"""


def test_conll_export_of_browser_labels_matches_the_converter(page, http, tmp_path):
    texts = ["😀 Angela Merkel visited Paris.", "Nothing to see here."]
    pid, ids = new_project(http, CONLL_CONFIG, "CoNLL", [{"text": t} for t in texts])
    formats = [f["name"] for f in http.get(f"/api/projects/{pid}/export/formats").json()]
    if "CONLL2003" not in formats:
        pytest.skip(f"no CONLL2003 exporter yet: {formats}")
    page.goto(f"/projects/{pid}/label/{ids[0]}")
    root = '[data-testid="text-text"]'
    expect(page.locator(root)).to_contain_text("Merkel")
    page.keyboard.press("1")
    drag_select(page, root, "Angela Merkel")
    page.keyboard.press("2")
    drag_select(page, root, "Paris")
    expect(page.get_by_test_id("region-2")).to_be_visible()
    submit(page)
    expect(page.get_by_test_id("text-text")).to_have_text(texts[1])
    submit(page)
    wait_for_annotation(page, http, ids[0])
    wait_for_annotation(page, http, ids[1])

    ours = unpack(export(http, pid, "CONLL2003"))
    tasks = export(http, pid, "JSON").json()
    oracle = run_oracle(tmp_path, CONLL_CONFIG, tasks, "CONLL2003")
    assert list(ours.values()) == list(oracle.values())
    conll = next(iter(ours.values())).decode()
    assert "Angela -X- _ B-PER\nMerkel -X- _ I-PER" in conll and "Paris -X- _ B-LOC" in conll


# ---- pairwise -------------------------------------------------------------------------------------------------------

PAIRWISE = """<View>
  <Header value="Which summary is better?"/>
  <View style="display: flex; gap: 12px">
    <View style="flex: 1"><Text name="text1" value="$a"/></View>
    <View style="flex: 1"><Text name="text2" value="$b"/></View>
  </View>
  <Pairwise name="comparison" toName="text1,text2"/>
</View>"""


def test_pairwise_picks_a_side(page, http):
    pid, (tid,) = new_project(http, PAIRWISE, "Pairwise", [{"a": "A short summary.", "b": "A better summary."}])
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(page.get_by_test_id("text-text2")).to_have_text("A better summary.")
    page.keyboard.press("Shift+ArrowLeft")
    expect(page.get_by_role("button", name="← text1 is better")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="text2 is better →").click()
    expect(page.get_by_role("button", name="text2 is better →")).to_have_attribute("aria-pressed", "true")
    shot(page, "05-pairwise")
    submit(page)
    result = wait_for_annotation(page, http, tid)["result"]
    assert without_ids(result) == [{"from_name": "comparison", "to_name": "text1,text2", "type": "pairwise",
                                    "value": {"selected": "right"}, "origin": "manual"}]
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(page.get_by_role("button", name="text2 is better →")).to_have_attribute("aria-pressed", "true")
