"""Resizing a text span without redrawing it, in Debian's Chromium against a real `labelhive start`: Shift+arrows
move its end, Alt+Shift+arrows its start, Ctrl makes a step a word, and the handles on its edges drag; offsets
stay in code points across emoji, and a dialogue (Paragraphs) span grows across a paragraph break. Results are
checked through the API as exact JSON; a HyperText span's edges move by keys across elements and blocks.
Screenshots: tests/artifacts/text-06-*.png, text-07-*.png, text-08-*.png."""
from editor_session import browser, http, page, server, submit  # noqa: F401 (fixtures)
from test_editor_text import (CHAR_BOXES, DIALOGUE, HTML_CONFIG, click_text, drag_select, expect, new_project,
                              shot, wait_for_annotation, without_ids)

NER = """<View>
  <Labels name="ner" toName="text">
    <Label value="ORG" background="#2563eb"/><Label value="PER" background="#e11d48"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""
TEXT = "🐱 Yesterday Acme Corp. hired 🧑‍💻 Jane Doe-Smith in Paris."


def labelled_and_selected(page, http, config: str, data: dict, root: str, key: str, word: str):
    """Opens a one-task project, labels `word` with the label on `key` and clicks it; returns its list row."""
    pid, (tid,) = new_project(http, config, f"Span resize {word}", [data])
    page.goto(f"/projects/{pid}/label/{tid}")
    expect(page.locator(root)).to_contain_text(word)
    page.keyboard.press(key)
    drag_select(page, root, word)
    click_text(page, root, word, at=1)
    row = page.get_by_test_id("region-1")
    expect(row).to_have_attribute("aria-selected", "true")
    return tid, row


def test_span_edges_move_by_character_and_word(page, http):
    pid, (tid,) = new_project(http, NER, "Span resize", [{"text": TEXT}])
    page.goto(f"/projects/{pid}/label/{tid}")
    root = '[data-testid="text-text"]'
    expect(page.locator(root)).to_contain_text("Acme Corp.")
    row = page.get_by_test_id("region-1")

    # ORG on "cme Cor" (a sloppy selection; no granularity), then fix both ends from the keyboard.
    page.keyboard.press("1")
    drag_select(page, root, "Acme Corp", start=1, end=8)
    expect(row).to_contain_text("cme Cor")
    click_text(page, root, "Corp", at=1)
    expect(row).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Alt+Shift+ArrowLeft")      # start one character left: "Acme Cor"
    page.keyboard.press("Control+Shift+ArrowRight")  # end to the end of the word: "Acme Corp"
    page.keyboard.press("Shift+ArrowRight")          # and the full stop: "Acme Corp."
    expect(row).to_contain_text("Acme Corp.")
    page.keyboard.press("Control+z")  # the keys in a row are one undo step
    expect(row).to_contain_text("cme Cor")
    page.keyboard.press("Control+Shift+z")
    expect(row).to_contain_text("Acme Corp.")

    # PER on "Doe", grown to "Jane Doe-Smith" by words; the start never passes the end.
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    drag_select(page, root, "Doe")
    click_text(page, root, "Doe", at=1)
    per = page.get_by_test_id("region-2")
    expect(per).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Control+Alt+Shift+ArrowLeft")
    for _ in range(3):  # a word step takes the hyphen, "Smith", then "in"
        page.keyboard.press("Control+Shift+ArrowRight")
    expect(per).to_contain_text("Jane Doe-Smith in")
    page.keyboard.press("Control+Shift+ArrowLeft")
    expect(per).to_contain_text("Jane Doe-Smith")
    shot(page, "06-span-resized")
    submit(page)

    result = without_ids(wait_for_annotation(page, http, tid)["result"])
    # Python indexes code points, as Label Studio's offsets do: the cat is one, the technologist (person, ZWJ,
    # laptop) three, where the browser counts 2 and 5 UTF-16 units.
    acme, jane = TEXT.index("Acme"), TEXT.index("Jane")
    assert (acme, jane) == (12, 33)
    assert result == [
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": acme, "end": acme + 10, "text": "Acme Corp.", "labels": ["ORG"]}},
        {"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": jane, "end": jane + 14, "text": "Jane Doe-Smith", "labels": ["PER"]}},
    ]


def drag_handle(page, handle: str, root: str, needle: str, at: int, right: bool) -> None:
    """Drags the handle (a selector) to the left (or right) edge of character `at` of `needle` under root."""
    grip = page.locator(handle).bounding_box()
    (char, _) = page.evaluate(CHAR_BOXES, [root, needle, 0, at, at + 1])
    page.mouse.move(grip["x"], grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(char["x"] + (char["w"] - 1 if right else 1), char["y"] + char["h"] / 2, steps=8)
    page.mouse.up()


def test_span_edges_drag_by_their_handles(page, http):
    root = '[data-testid="text-text"]'
    tid, row = labelled_and_selected(page, http, NER, {"text": TEXT}, root, "2", "Jane")
    drag_handle(page, f"{root} .span-handle.end", root, "Smith", 4, right=True)  # to after the "h" of Smith
    expect(row).to_contain_text("Jane Doe-Smith")
    drag_handle(page, f"{root} .span-handle.start", root, "Doe", 0, right=False)  # to before "Doe"
    expect(row).to_contain_text("Doe-Smith")
    expect(row).to_have_attribute("aria-selected", "true")  # the drag is not a click that unselects
    shot(page, "07-span-handles")
    page.keyboard.press("Control+z")  # one drag, one undo step
    expect(row).to_contain_text("Jane Doe-Smith")
    page.keyboard.press("Control+Shift+z")
    submit(page)
    result = without_ids(wait_for_annotation(page, http, tid)["result"])
    doe = TEXT.index("Doe")
    assert result == [{"from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
                       "value": {"start": doe, "end": doe + 9, "text": "Doe-Smith", "labels": ["PER"]}}]


def test_dialogue_span_grows_across_a_paragraph_break(page, http):
    dialogue = [{"author": "Ana", "text": "👋 Hello there!"}, {"author": "Bo", "text": "Hi. How are you?"}]
    root = '[data-testid="paragraphs-dialogue"]'
    tid, row = labelled_and_selected(page, http, DIALOGUE, {"dialogue": dialogue}, root, "1", "there")
    for _ in range(3):  # "!", then over the break to "Hi", then "."
        page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowRight")  # the start one character in: "here"
    expect(row).to_contain_text("here!")
    submit(page)
    (r,) = without_ids(wait_for_annotation(page, http, tid)["result"])
    assert r == {"from_name": "intent", "to_name": "dialogue", "type": "paragraphlabels", "origin": "manual",
                 "value": {"start": "0", "end": "1", "startOffset": 9, "endOffset": 3, "text": "here!\nHi.",
                           "paragraphlabels": ["Greeting"]}}
    assert dialogue[0]["text"][9:] + "\n" + dialogue[1]["text"][:3] == r["value"]["text"]


def test_html_span_edges_move_across_elements(page, http):
    html = "<article><h2>🐱 News</h2><p>🐱 Acme <b>Corp</b>. hired</p><p>Jane in Paris.</p></article>"
    root = '[data-testid="hypertext-html"] .hypertext-content'
    tid, row = labelled_and_selected(page, http, HTML_CONFIG, {"html": html}, root, "1", "Corp")
    page.keyboard.press("Control+Alt+Shift+ArrowLeft")  # the start out of <b>, a word left: "Acme Corp"
    page.keyboard.press("Shift+ArrowRight")             # the end out of <b>: "Acme Corp."
    page.keyboard.press("Control+Shift+ArrowRight")     # "Acme Corp. hired"
    expect(row).to_contain_text("Acme Corp. hired")
    # Over the paragraph break to the next word; the stored text joins blocks with nothing, as Label Studio's does.
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(row).to_contain_text("Acme Corp. hiredJane")
    shot(page, "08-html-span-resized")
    page.keyboard.press("Control+Shift+ArrowLeft")
    expect(row).to_contain_text("Acme Corp. hired")
    expect(row).not_to_contain_text("Jane")
    page.keyboard.press("Control+z")  # the keys in a row are one undo step
    expect(row).not_to_contain_text("Acme")
    page.keyboard.press("Control+Shift+z")
    expect(row).to_contain_text("Acme Corp. hired")
    submit(page)
    (r,) = without_ids(wait_for_annotation(page, http, tid)["result"])
    # Node offsets in UTF-16 (the cat is 2), global offsets in code points (the cat is 1): "🐱 News" is 6.
    assert r == {"from_name": "tag", "to_name": "html", "type": "hypertextlabels", "origin": "manual",
                 "value": {"start": "/article[1]/p[1]/text()[1]", "end": "/article[1]/p[1]/text()[2]",
                           "startOffset": 3, "endOffset": 7, "globalOffsets": {"start": 8, "end": 24},
                           "text": "Acme Corp. hired", "hypertextlabels": ["Warning"]}}


def test_html_span_handles_drag_across_elements_and_shade_once(page, http):
    html = "<article><p>🐱 Acme <b>Corp</b>. hired</p><p>Jane <i>Doe</i> in Paris.</p></article>"
    root = '[data-testid="hypertext-html"] .hypertext-content'
    tid, row = labelled_and_selected(page, http, HTML_CONFIG, {"html": html}, root, "1", "Corp")
    handle = '[data-testid="hypertext-html"] .html-span-handle'
    drag_handle(page, f"{handle}.start", root, "Acme", 0, right=False)  # out of <b>, to before "Acme"
    expect(row).to_contain_text("Acme Corp")
    drag_handle(page, f"{handle}.end", root, "hired", 4, right=True)  # out of <b>, to after "hired"
    expect(row).to_contain_text("Acme Corp. hired")
    expect(row).to_have_attribute("aria-selected", "true")  # the drags are not clicks that unselect
    # One highlight box per text run ("Acme ", "Corp", ". hired"): none for the <b> drawn over its text again.
    expect(page.locator('[data-testid="hypertext-html"] .span-box')).to_have_count(3)
    shot(page, "09-html-span-handles")
    page.keyboard.press("Control+z")  # one drag, one undo step
    expect(row).not_to_contain_text("hired")
    page.keyboard.press("Control+Shift+z")
    submit(page)
    (r,) = without_ids(wait_for_annotation(page, http, tid)["result"])
    assert r["value"] == {"start": "/article[1]/p[1]/text()[1]", "end": "/article[1]/p[1]/text()[2]",
                          "startOffset": 3, "endOffset": 7, "globalOffsets": {"start": 2, "end": 18},
                          "text": "Acme Corp. hired", "hypertextlabels": ["Warning"]}
