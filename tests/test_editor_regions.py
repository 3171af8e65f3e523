"""Editing regions while a drawing tool is active (issue 15, point 4): a box just drawn is selected, Delete
removes it and Escape lets it go; in Rectangle mode a click on an existing box selects it and a drag on it
moves it instead of drawing a new one; Ctrl+drag draws over a box; picking the next label after drawing
labels the next box, not the one just drawn. Chromium against a real `labelhive start`; results are read
back through the API."""
from browser import require_browser
from editor_session import browser, http, page, server, submit  # noqa: F401 (fixtures)
from test_editor import annotations, drag, image_ready, new_project, png, shot, to_screen, upload

sync_api = require_browser()
expect = sync_api.expect

BOXES = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Car" background="#e11d48"/><Label value="Person" background="#2563eb"/>
  </RectangleLabels>
</View>"""


def saved_boxes(page, http, tid: int) -> list[dict]:
    for _ in range(100):
        anns = annotations(http, tid)
        if anns:
            return sorted((r["value"] for r in anns[0]["result"]), key=lambda v: (v["x"], v["y"]))
        page.wait_for_timeout(100)
    raise AssertionError(f"task {tid} has no saved annotation")


def close_to(value: float, expected: float) -> bool:
    return abs(value - expected) <= 1.0


def test_rectangle_mode_selects_moves_and_deletes_existing_boxes(page, http):
    pid = new_project(http, BOXES, "Region editing")
    (tid,) = upload(http, pid, {"street.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.keyboard.press("1")  # Car, and the rectangle tool with it

    # A box just drawn is selected: Delete removes it.
    drag(page, to_screen(page, 10, 10), to_screen(page, 30, 30))
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("region-1")).to_have_count(0)

    # Draw it again; Escape lets it go.
    drag(page, to_screen(page, 10, 10), to_screen(page, 30, 30))
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "false")

    # A second box elsewhere, then a click inside the first one, still in Rectangle mode: it is selected,
    # and no third box appears.
    drag(page, to_screen(page, 60, 60), to_screen(page, 80, 80))
    expect(page.get_by_test_id("region-2")).to_have_attribute("aria-selected", "true")
    page.mouse.click(*to_screen(page, 20, 20))
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("region-2")).to_have_attribute("aria-selected", "false")
    expect(page.get_by_test_id("region-3")).to_have_count(0)
    expect(page.get_by_role("button", name="Rectangle")).to_have_attribute("aria-pressed", "true")

    # A drag on the first box moves it by (+10, +5) percent, still two boxes.
    drag(page, to_screen(page, 20, 20), to_screen(page, 30, 25))
    expect(page.get_by_test_id("region-3")).to_have_count(0)

    # Ctrl+drag inside the second box draws a third one over it.
    page.keyboard.down("Control")
    drag(page, to_screen(page, 65, 65), to_screen(page, 75, 75))
    page.keyboard.up("Control")
    expect(page.get_by_test_id("region-3")).to_have_attribute("aria-selected", "true")
    shot(page, "regions-rectangle-mode")

    submit(page)
    first, second, nested = saved_boxes(page, http, tid)
    assert close_to(first["x"], 20) and close_to(first["y"], 15), first  # moved from (10, 10)
    assert close_to(first["width"], 20) and close_to(first["height"], 20), first
    assert close_to(second["x"], 60) and close_to(second["y"], 60) and close_to(second["width"], 20), second
    assert close_to(nested["x"], 65) and close_to(nested["width"], 10), nested
    assert all(v["rectanglelabels"] == ["Car"] for v in (first, nested, second))


def test_the_next_label_key_labels_the_next_box_not_the_one_just_drawn(page, http):
    pid = new_project(http, BOXES, "Label then draw")
    (tid,) = upload(http, pid, {"street.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.keyboard.press("1")
    drag(page, to_screen(page, 10, 10), to_screen(page, 30, 30))
    page.keyboard.press("2")
    expect(page.get_by_test_id("region-1")).to_contain_text("Car")
    drag(page, to_screen(page, 50, 50), to_screen(page, 70, 70))
    expect(page.get_by_test_id("region-2")).to_contain_text("Person")
    # A box picked on purpose is relabelled by a label key, as before.
    page.mouse.click(*to_screen(page, 20, 20))
    page.keyboard.press("2")
    expect(page.get_by_test_id("region-1")).to_contain_text("Person")
    submit(page)
    labels = [v["rectanglelabels"] for v in saved_boxes(page, http, tid)]
    assert labels == [["Person"], ["Person"]]
