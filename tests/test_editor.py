"""The labeling editor in Debian's Chromium against a real `labelhive start`: the classification stream with
hotkeys, prefetch and skip; drawing every image tool; Label Studio results that round-trip unchanged; and bad
input. Results are checked through the API as exact JSON. Screenshots go to tests/artifacts/editor-*.png."""
import io
import json

import numpy as np
from PIL import Image, ImageDraw

from browser import ARTIFACTS, require_browser
from editor_session import browser, http, page, server, settled, submit  # noqa: F401 (fixtures)

sync_api = require_browser()
expect = sync_api.expect

FLOWERS = ["daisy", "dandelion", "rose", "sunflower", "tulip"]
CLASSIFY = f"""<View>
  <Image name="image" value="$image" zoom="true" zoomControl="true" rotateControl="true"/>
  <Choices name="class" toName="image" choice="single" showInline="true">
    {''.join(f'<Choice value="{f}"/>' for f in FLOWERS)}
  </Choices>
</View>"""

TOOLS = """<View>
  <Image name="image" value="$image" zoomControl="true" rotateControl="true"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Car" background="#e11d48"/><Label value="Text" background="#2563eb"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road" background="#16a34a"/></PolygonLabels>
  <KeyPointLabels name="kp" toName="image"><Label value="Eye" background="#f59e0b"/></KeyPointLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Wheel" background="#9333ea"/></EllipseLabels>
  <BrushLabels name="brush" toName="image"><Label value="Sky" background="#0ea5e9"/></BrushLabels>
  <TextArea name="ocr" toName="image" perRegion="true" placeholder="Recognized text"/>
  <Relations><Relation value="next to"/></Relations>
</View>"""

W, H = 400, 300


def png(color: str, w: int = W, h: int = H) -> bytes:
    img = Image.new("RGB", (w, h), "#3f7d3a")
    draw = ImageDraw.Draw(img)
    draw.rectangle((w // 4, h // 4, 3 * w // 4, 3 * h // 4), fill=color)
    draw.line((0, 0, w, h), fill="#ffffff", width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"editor-{name}.png"), full_page=True)


def new_project(http, config: str, title: str) -> int:
    r = http.post("/api/projects", json={"title": title, "label_config": config})
    r.raise_for_status()
    return r.json()["id"]


def upload(http, pid: int, files: dict[str, bytes]) -> list[int]:
    """Uploads PNGs through the import API, as the user's browser does; returns the new task ids."""
    r = http.post(f"/api/projects/{pid}/import", params={"return_task_ids": "true"},
                  files=[("files", (name, data, "image/png")) for name, data in files.items()])
    r.raise_for_status()
    tasks = http.get("/api/tasks", params={"project": pid, "page_size": 100}).json()["tasks"]
    return sorted(t["id"] for t in tasks)


def task(http, tid: int) -> dict:
    r = http.get(f"/api/tasks/{tid}")
    r.raise_for_status()
    return r.json()


def annotations(http, tid: int) -> list[dict]:
    return task(http, tid)["annotations"]


def wait_for_annotation(page, http, tid: int, count: int = 1) -> list[dict]:
    for _ in range(100):
        anns = annotations(http, tid)
        if len(anns) >= count:
            return anns
        page.wait_for_timeout(100)
    raise AssertionError(f"task {tid} has no saved annotation")


def task_id_shown(page) -> int:
    return int(page.get_by_test_id("task-id").inner_text().split("#")[1])


def image_ready(page, name="image"):
    """Waits until the image is loaded and placed, and a task around it takes input; returns its view."""
    view = page.get_by_test_id(f"image-{name}").locator(".image-view")
    page.wait_for_function(
        f"""() => {{
        const v = document.querySelector('[data-testid="image-{name}"] .image-view');
        const img = v && v.querySelector('img');
        return v && v.dataset.transform && img && img.complete && img.naturalWidth > 0;
    }}""")
    settled(page)
    return view


def to_screen(page, x_pct: float, y_pct: float, name="image") -> tuple[float, float]:
    """Percent of the original image -> page coordinates, through the view's own transform."""
    view = page.locator(f'[data-testid="image-{name}"] .image-view')
    t = json.loads(view.get_attribute("data-transform"))
    box = view.bounding_box()
    x, y = x_pct / 100 * t["width"], y_pct / 100 * t["height"]
    s, tx, ty, w, h = t["scale"], t["tx"], t["ty"], t["width"], t["height"]
    rot = t["rotation"]
    if rot == 90:
        sx, sy = s * (h - y) + tx, s * x + ty
    elif rot == 180:
        sx, sy = s * (w - x) + tx, s * (h - y) + ty
    elif rot == 270:
        sx, sy = s * y + tx, s * (w - x) + ty
    else:
        sx, sy = s * x + tx, s * y + ty
    return box["x"] + sx, box["y"] + sy


def drag(page, a, b, steps=8):
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(*b, steps=steps)
    page.mouse.up()


def close(actual: float, expected: float, tol: float = 0.5) -> bool:
    return abs(actual - expected) <= tol


# ---- classification stream ------------------------------------------------------------------------------------

def test_classify_with_hotkeys_prefetch_skip_and_predictions(page, http):
    pid = new_project(http, CLASSIFY, "Flowers stream")
    ids = upload(http, pid, {f"flower{i}.png": png(c) for i, c in enumerate(("#f4f1e8", "#c81d4a", "#8e44ad"))})
    first_url = task(http, ids[0])["data"]["image"]
    # A fourth task with a prediction, imported the way the user's clustering notebook does.
    http.post(f"/api/projects/{pid}/import", json=[{
        "data": {"image": first_url},
        "predictions": [{"model_version": "kmeans-v1", "score": 0.8, "result": [
            {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["tulip"]}}]}],
    }]).raise_for_status()
    ids = sorted(t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"])

    page.goto(f"/projects/{pid}")
    page.get_by_role("link", name="Label all tasks").click()
    page.wait_for_url(f"**/projects/{pid}/label/*")
    image_ready(page)
    first = task_id_shown(page)
    assert first == ids[0]
    expect(page.get_by_text("dandelion")).to_be_visible()
    expect(page.get_by_test_id("tasks-left")).to_have_text("4 left")
    shot(page, "01-classification")

    page.keyboard.press("2")
    expect(page.locator(".choice.on")).to_have_text("dandelion2")
    submit(page)
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    image_ready(page)
    expect(page.get_by_test_id("tasks-left")).to_have_text("3 left")  # counted again once the save lands

    ann = wait_for_annotation(page, http, first)[0]
    assert ann["result"] == [{"id": ann["result"][0]["id"], "from_name": "class", "to_name": "image",
                              "type": "choices", "value": {"choices": ["dandelion"]}, "origin": "manual"}]
    assert len(ann["result"][0]["id"]) == 10
    assert ann["was_cancelled"] is False and ann["lead_time"] > 0

    # Skip (Ctrl+Space), then the prediction task shows its pre-annotation; submitting it keeps it as made.
    page.keyboard.press("Control+Space")
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[2]}")
    assert wait_for_annotation(page, http, ids[1])[0]["was_cancelled"] is True
    settled(page)
    page.keyboard.press("5")
    submit(page)
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[3]}")
    image_ready(page)
    expect(page.locator(".choice.on")).to_have_text("tulip5")
    expect(page.get_by_text("Showing prediction kmeans-v1")).to_be_visible()
    shot(page, "02-prediction")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    pred_ann = wait_for_annotation(page, http, ids[3])[0]
    pred = task(http, ids[3])["predictions"][0]
    assert [{k: v for k, v in r.items() if k != "id"} for r in pred_ann["result"]] == [
        {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["tulip"]},
         "origin": "prediction"}]
    assert pred_ann["parent_prediction"] == pred["id"]
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")

    # Back on an annotated task: Update, undo/redo, and the change saved as an update.
    page.goto(f"/projects/{pid}/label/{first}")
    image_ready(page)
    expect(page.get_by_role("button", name="Update")).to_be_visible()
    page.keyboard.press("3")
    expect(page.locator(".choice.on")).to_have_text("rose3")
    page.keyboard.press("Control+z")
    expect(page.locator(".choice.on")).to_have_text("dandelion2")
    page.keyboard.press("Control+Shift+Z")
    expect(page.locator(".choice.on")).to_have_text("rose3")
    submit(page)
    for _ in range(50):
        result = annotations(http, first)[0]["result"]
        if result[0]["value"]["choices"] == ["rose"]:
            break
        page.wait_for_timeout(100)
    assert result[0]["value"] == {"choices": ["rose"]} and len(annotations(http, first)) == 1

    # Delete (after a confirmation): the task is empty again and can be submitted anew.
    page.goto(f"/projects/{pid}/label/{first}")
    image_ready(page)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    expect(page.locator(".choice.on")).to_have_count(0)
    for _ in range(50):
        if not annotations(http, first):
            break
        page.wait_for_timeout(100)
    assert annotations(http, first) == []


def test_project_hides_predictions_keeps_to_a_model_version_and_shows_instructions_first(page, http):
    pid = new_project(http, CLASSIFY, "Project prefill settings")
    url = task(http, upload(http, pid, {"f.png": png("#c81d4a")})[0])["data"]["image"]

    def pred(version, label):
        return {"model_version": version, "score": 0.6, "result": [
            {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": [label]}}]}

    http.post(f"/api/projects/{pid}/import", json=[{"data": {"image": url},
                                                    "predictions": [pred("old", "rose"), pred("new", "tulip")]}])
    tid = max(t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"])
    http.patch(f"/api/projects/{pid}", json={"show_collab_predictions": False, "show_instruction": True,
                                             "expert_instruction": "Pick the flower in the <b>middle</b>."
                                                                "<script>window.__pwned = 1</script>"})
    page.goto(f"/projects/{pid}/label/{tid}")
    image_ready(page)
    expect(page.get_by_text("Pick the flower in the middle.")).to_be_visible()
    # HTML, as in Label Studio, sanitised as task HTML is.
    expect(page.locator(".instructions-body b")).to_have_text("middle")
    assert page.evaluate("window.__pwned") is None
    expect(page.locator(".choice.on")).to_have_count(0)
    expect(page.get_by_text("Showing prediction")).to_have_count(0)

    http.patch(f"/api/projects/{pid}", json={"show_collab_predictions": True, "show_instruction": False,
                                             "model_version": "old"})
    page.goto(f"/projects/{pid}/label/{tid}")
    image_ready(page)
    expect(page.locator(".choice.on")).to_have_text("rose3")
    expect(page.get_by_text("Showing prediction old")).to_be_visible()
    expect(page.get_by_text("Pick the flower in the middle.")).to_be_hidden()


def test_the_stream_follows_the_tab_filter_and_order(page, http):
    pid = new_project(http, CLASSIFY, "Ordered stream")
    ids = upload(http, pid, {f"f{i}.png": png(c) for i, c in enumerate(("#111111", "#222222", "#333333", "#444444"))})
    # A tab showing every task but the newest, newest first.
    view = http.post("/api/dm/views", json={"project": pid, "data": {
        "title": "Not the last", "ordering": ["-tasks:id"],
        "filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:id", "operator": "less", "type": "Number", "value": ids[-1]}]}}}).json()
    page.goto(f"/projects/{pid}?tab={view['id']}")
    page.get_by_role("link", name="Label tasks as displayed").click()
    page.wait_for_url(f"**/label/{ids[2]}?view={view['id']}")
    image_ready(page)
    expect(page.get_by_test_id("tasks-left")).to_have_text("3 left")  # the tab's three, not the project's four
    for expected in (ids[1], ids[0]):
        settled(page)
        page.keyboard.press("1")
        submit(page)
        expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{expected}")
    # Back to the task just submitted (its save may still be running): it opens as an annotation to update.
    page.get_by_role("button", name="Previous task").click()
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    expect(page.get_by_role("button", name="Update")).to_be_visible()
    expect(page.locator(".choice.on")).to_have_text("daisy1")
    submit(page)
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[0]}")
    settled(page)
    page.keyboard.press("Control+Space")
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    page.get_by_role("link", name="Back to the data manager").click()
    page.wait_for_url(f"**/projects/{pid}?tab={view['id']}")
    assert annotations(http, ids[-1]) == []


def test_draft_is_autosaved_and_restored(page, http):
    pid = new_project(http, CLASSIFY, "Drafts")
    (tid,) = upload(http, pid, {"a.png": png("#c81d4a")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.keyboard.press("4")
    for _ in range(60):
        drafts = task(http, tid)["drafts"]
        if drafts:
            break
        page.wait_for_timeout(100)
    assert drafts and drafts[0]["result"][0]["value"] == {"choices": ["sunflower"]}
    page.reload()
    image_ready(page)
    expect(page.locator(".choice.on")).to_have_text("sunflower4")
    expect(page.get_by_text("Showing your unsaved draft")).to_be_visible()
    submit(page)
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    wait_for_annotation(page, http, tid)
    assert task(http, tid)["drafts"] == []


def test_a_failed_save_is_kept_and_retried(page, http):
    pid = new_project(http, CLASSIFY, "Flaky network")
    first, second = upload(http, pid, {"a.png": png("#c81d4a"), "b.png": png("#8e44ad")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.route("**/api/tasks/*/annotations*", lambda route: route.abort())
    page.keyboard.press("3")
    submit(page)
    # Labeling goes on; the failure is shown with a way to retry, and the work is kept in the browser.
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{second}")
    failed = page.get_by_test_id("save-failed")
    expect(failed).to_contain_text(f"task #{first}")
    assert "labelhive.unsaved" in page.evaluate("Object.keys(localStorage).join()")
    shot(page, "08-save-failed")
    page.unroute("**/api/tasks/*/annotations*")
    failed.get_by_role("button", name="Retry").click()
    expect(failed).to_have_count(0)
    assert wait_for_annotation(page, http, first)[0]["result"][0]["value"] == {"choices": ["rose"]}
    # The server can have the annotation a moment before the page has read its answer and let the copy go.
    # (A busy machine can take its time: a full CI run once went past the default 10 s here.)
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('labelhive.unsaved'))",
                           timeout=30_000)


def test_two_images_in_one_task(page, http):
    config = """<View style="display: flex; gap: 12px">
      <View style="flex: 1"><Image name="left" value="$left"/></View>
      <View style="flex: 1"><Image name="right" value="$right"/></View>
      <RectangleLabels name="box" toName="right"><Label value="Thing"/></RectangleLabels>
    </View>"""
    pid = new_project(http, config, "Two images")
    tmp = new_project(http, CLASSIFY, "uploads")
    a, b = upload(http, tmp, {"l.png": png("#111111", 200, 100), "r.png": png("#eeeeee")})
    urls = [task(http, i)["data"]["image"] for i in (a, b)]
    http.post(f"/api/projects/{pid}/import", json=[{"left": urls[0], "right": urls[1]}]).raise_for_status()
    (tid,) = [t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"]]
    page.goto(f"/projects/{pid}/label")
    image_ready(page, "left")
    image_ready(page, "right")
    page.keyboard.press("1")
    drag(page, to_screen(page, 20, 20, "right"), to_screen(page, 60, 80, "right"))
    submit(page)
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    (box,) = wait_for_annotation(page, http, tid)[0]["result"]
    assert box["to_name"] == "right" and (box["original_width"], box["original_height"]) == (W, H)
    assert_value(box["value"], {"x": 20.0, "y": 20.0, "width": 40.0, "height": 60.0, "rotation": 0,
                                "rectanglelabels": ["Thing"]})


def test_help_overlay_lists_and_remaps_hotkeys(page, http):
    pid = new_project(http, CLASSIFY, "Hotkeys")
    (tid,) = upload(http, pid, {"a.png": png("#f2b705")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Skip task")
    expect(dialog).to_contain_text("Choose “tulip” (class)")
    dialog.get_by_role("row", name="Submit or update").get_by_role("button").click()
    page.keyboard.press("Shift+Enter")
    expect(dialog.get_by_role("row", name="Submit or update")).to_contain_text("Shift+Enter")
    shot(page, "03-help")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.keyboard.press("1")
    page.keyboard.press("Shift+Enter")
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    assert wait_for_annotation(page, http, tid)[0]["result"][0]["value"] == {"choices": ["daisy"]}
    page.evaluate("localStorage.removeItem('labelhive.hotkeys')")


# ---- image tools --------------------------------------------------------------------------------------------

def by_label(result: list[dict], from_name: str) -> list[dict]:
    return [r for r in result if r.get("from_name") == from_name]


def assert_value(value: dict, expected: dict) -> None:
    assert set(value) == set(expected), (value, expected)
    for k, v in expected.items():
        if isinstance(v, float):
            assert close(value[k], v), (k, value[k], v)
        elif k == "points":
            assert len(value[k]) == len(v) and all(close(a, b) for p, q in zip(value[k], v) for a, b in zip(p, q)), value[k]
        else:
            assert value[k] == v, (k, value[k], v)


def assert_image_item(item: dict, type_: str, rotation: int = 0) -> None:
    assert set(item) == {"id", "from_name", "to_name", "type", "value", "origin", "original_width", "original_height",
                         "image_rotation"}, item
    assert (item["type"], item["to_name"], item["origin"]) == (type_, "image", "manual")
    assert (item["original_width"], item["original_height"], item["image_rotation"]) == (W, H, rotation)
    assert len(item["id"]) == 10


def test_draw_every_tool_and_check_the_exact_results(page, http):
    from label_studio_sdk.converter.brush import decode_rle

    pid = new_project(http, TOOLS, "Every tool")
    (tid,) = upload(http, pid, {"street.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)

    # The rectangle tool without a label draws nothing and asks for one.
    page.keyboard.press("r")
    drag(page, to_screen(page, 10, 10), to_screen(page, 40, 50))
    pick_label = page.get_by_role("status").filter(has_text="Pick a label first")
    expect(pick_label).to_be_visible()
    expect(page.get_by_test_id("region-1")).to_have_count(0)

    # A box: pick "Car" with its number key (the rectangle tool comes with it), drag. The hint is gone
    # (it would time out after 3.5 s on its own).
    page.keyboard.press("1")
    drag(page, to_screen(page, 10, 10), to_screen(page, 40, 50))
    expect(page.get_by_test_id("region-1")).to_contain_text("Car")
    expect(pick_label).to_be_hidden(timeout=500)

    # A second box, labelled "Text", rotated to 90° with its handle, and its OCR text.
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    drag(page, to_screen(page, 50, 40), to_screen(page, 90, 60))
    top = to_screen(page, 70, 40)
    centre = to_screen(page, 70, 50)
    drag(page, (top[0], top[1] - 24), (centre[0] + 150, centre[1]), steps=12)
    ocr = page.get_by_placeholder("Recognized text")
    ocr.fill("HELLO 42")
    ocr.press("Enter")
    expect(page.get_by_test_id("region-2")).to_contain_text("HELLO 42")
    page.get_by_test_id("editor-main").click(position={"x": 5, "y": 5})  # leave the text field

    # A polygon, closed by clicking its first point.
    page.keyboard.press("Escape")
    page.keyboard.press("3")
    for x, y in [(10, 60), (30, 60), (30, 90), (10, 90), (10, 60)]:
        page.mouse.click(*to_screen(page, x, y))
    expect(page.get_by_test_id("region-3")).to_contain_text("Road")

    # Two key points.
    page.keyboard.press("Escape")
    page.keyboard.press("4")
    page.mouse.click(*to_screen(page, 60, 70))
    page.mouse.click(*to_screen(page, 65, 75))

    # An ellipse dragged from its centre; undo and redo it.
    page.keyboard.press("Escape")
    page.keyboard.press("5")
    drag(page, to_screen(page, 80, 80), to_screen(page, 90, 90))
    expect(page.get_by_test_id("region-6")).to_contain_text("Wheel")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("region-6")).to_have_count(0)
    page.keyboard.press("Control+Shift+Z")
    expect(page.get_by_test_id("region-6")).to_contain_text("Wheel")

    # A brush stroke 20 px wide along y = 15 px, from x = 20 to 100 px.
    page.keyboard.press("Escape")
    page.keyboard.press("6")
    drag(page, to_screen(page, 5, 5), to_screen(page, 25, 5), steps=10)
    expect(page.get_by_test_id("region-7")).to_contain_text("Sky")
    # The eraser (E) takes a 20 px bite out of the selected brush region, x = 40 to 60 px.
    page.keyboard.press("e")
    drag(page, to_screen(page, 12.5, 5), to_screen(page, 12.5, 5.01), steps=2)

    # An extra box, locked (cannot be deleted), unlocked and deleted from the region list.
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    drag(page, to_screen(page, 45, 5), to_screen(page, 55, 15))
    row = page.get_by_test_id("region-8")
    row.get_by_role("button", name="Lock region").click()
    expect(row.get_by_role("button", name="Delete region")).to_be_disabled()
    row.get_by_role("button", name="Unlock region").click()
    row.get_by_role("button", name="Hide region").click()
    expect(row.get_by_role("button", name="Show region")).to_be_visible()
    # Picked in the list while hidden: selected there, and nothing of it (no outline or handles) on the image.
    row.locator(".num").click()
    expect(row).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("selected-region")).to_have_count(0)
    row.get_by_role("button", name="Delete region").click()
    expect(page.get_by_test_id("region-8")).to_have_count(0)

    # A relation from the first box to the second: select it, Alt+R, click the target.
    page.keyboard.press("v")
    page.mouse.click(*to_screen(page, 25, 30))
    expect(page.get_by_test_id("region-1")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Alt+r")
    page.mouse.click(*to_screen(page, 70, 50))
    expect(page.get_by_test_id("relation-1")).to_be_visible()
    page.keyboard.press("Escape")
    shot(page, "04-every-tool")

    submit(page)
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    result = wait_for_annotation(page, http, tid)[0]["result"]

    boxes = by_label(result, "box")
    assert len(boxes) == 2
    for item in boxes:
        assert_image_item(item, "rectanglelabels")
    assert_value(boxes[0]["value"], {"x": 10.0, "y": 10.0, "width": 30.0, "height": 40.0, "rotation": 0,
                                     "rectanglelabels": ["Car"]})
    # Rotating about the centre (280, 150) px by 90° moves the top-left corner to (310, 70) px.
    rotated = boxes[1]["value"]
    assert_value({**rotated, "rotation": float(rotated["rotation"])},
                 {"x": 77.5, "y": 70 / 3, "width": 40.0, "height": 20.0, "rotation": 90.0, "rectanglelabels": ["Text"]})
    (text,) = by_label(result, "ocr")
    assert_image_item(text, "textarea")
    assert text["id"] == boxes[1]["id"]
    assert text["value"]["text"] == ["HELLO 42"]
    assert {k: v for k, v in text["value"].items() if k != "text"} == {
        k: v for k, v in rotated.items() if k != "rectanglelabels"}

    (poly,) = by_label(result, "poly")
    assert_image_item(poly, "polygonlabels")
    assert_value(poly["value"], {"points": [[10, 60], [30, 60], [30, 90], [10, 90]], "closed": True,
                                 "polygonlabels": ["Road"]})

    points = by_label(result, "kp")
    assert len(points) == 2
    for item, (x, y) in zip(points, [(60.0, 70.0), (65.0, 75.0)]):
        assert_image_item(item, "keypointlabels")
        assert_value(item["value"], {"x": x, "y": y, "width": 0.25, "keypointlabels": ["Eye"]})

    (ell,) = by_label(result, "ell")
    assert_image_item(ell, "ellipselabels")
    assert_value(ell["value"], {"x": 80.0, "y": 80.0, "radiusX": 10.0, "radiusY": 10.0, "rotation": 0,
                                "ellipselabels": ["Wheel"]})

    (brush,) = by_label(result, "brush")
    assert_image_item(brush, "brushlabels")
    assert brush["value"]["format"] == "rle" and brush["value"]["brushlabels"] == ["Sky"]
    mask = decode_rle(brush["value"]["rle"]).reshape(H, W, 4)[:, :, 3]
    assert mask[15, 30] == 255 and mask[15, 22] == 255 and mask[15, 98] == 255 and mask[15, 70] == 255
    assert mask[15, 50] == 0, "the eraser stroke"
    assert mask[40, 60] == 0 and mask[15, 130] == 0
    assert 1200 < int((mask > 0).sum()) < 2000  # an 80 x 20 px band with round ends, less a 20 px bite

    (rel,) = [r for r in result if r["type"] == "relation"]
    assert rel == {"from_id": boxes[0]["id"], "to_id": boxes[1]["id"], "type": "relation", "direction": "right"}
    assert len(result) == 2 + 1 + 1 + 2 + 1 + 1 + 1


def test_polygon_points_added_and_removed_and_shift_picks_several(page, http):
    pid = new_project(http, TOOLS, "Edit points")
    (tid,) = upload(http, pid, {"field.png": png("#a3e635")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.keyboard.press("3")
    for x, y in [(10, 60), (30, 60), (30, 90), (10, 90), (10, 60)]:
        page.mouse.click(*to_screen(page, x, y))
    expect(page.get_by_test_id("region-1")).to_contain_text("Road")
    page.keyboard.press("v")
    page.mouse.click(*to_screen(page, 20, 75))  # select the polygon
    # Drag the middle of the top edge up: a vertex is inserted there. Alt+click removes a vertex.
    expect(page.get_by_test_id("midpoint-handle")).to_have_count(4)
    drag(page, to_screen(page, 20, 60), to_screen(page, 20, 50))
    expect(page.get_by_test_id("midpoint-handle")).to_have_count(5)
    page.keyboard.down("Alt")
    page.mouse.click(*to_screen(page, 30, 90))
    page.keyboard.up("Alt")
    expect(page.get_by_test_id("midpoint-handle")).to_have_count(4)
    page.keyboard.press("Control+z")  # the removal is undone on its own
    expect(page.get_by_test_id("midpoint-handle")).to_have_count(5)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("midpoint-handle")).to_have_count(4)

    # Two boxes, then Shift+click both: a label goes on both, and Delete removes both.
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    drag(page, to_screen(page, 50, 10), to_screen(page, 60, 20))
    page.keyboard.press("Escape")  # the Car label stays picked for the next box
    drag(page, to_screen(page, 70, 10), to_screen(page, 80, 20))
    page.keyboard.press("Escape")
    page.keyboard.press("v")
    page.keyboard.down("Shift")
    page.mouse.click(*to_screen(page, 55, 15))
    page.mouse.click(*to_screen(page, 75, 15))
    page.keyboard.up("Shift")
    expect(page.get_by_test_id("selected-region")).to_have_count(2)
    page.keyboard.press("2")  # "Text" on both
    expect(page.get_by_test_id("region-2")).to_contain_text("Text")
    expect(page.get_by_test_id("region-3")).to_contain_text("Text")
    shot(page, "multi-select")
    submit(page)
    (ann,) = wait_for_annotation(page, http, tid)
    result = ann["result"]
    (poly,) = by_label(result, "poly")
    assert_value(poly["value"], {"points": [[10, 60], [20, 50], [30, 60], [10, 90]], "closed": True,
                                 "polygonlabels": ["Road"]})
    assert sorted(b["value"]["rectanglelabels"][0] for b in by_label(result, "box")) == ["Text", "Text"]


def test_image_value_list_pages_and_item_index(page, http):
    """Several images in one task (valueList): one at a time, each region saved with its item_index."""
    files = new_project(http, CLASSIFY, "Image files")
    upload(http, files, {"front.png": png("#ef4444"), "back.png": png("#3b82f6")})
    urls = sorted(t["data"]["image"] for t in http.get("/api/tasks", params={"project": files}).json()["tasks"])
    config = """<View><Image name="image" valueList="$images"/>
      <RectangleLabels name="box" toName="image"><Label value="Dent"/></RectangleLabels></View>"""
    pid = new_project(http, config, "Views")
    tid = http.post(f"/api/projects/{pid}/import?return_task_ids=true",
                    json=[{"images": urls}]).json()["task_ids"][0]
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    expect(page.get_by_test_id("image-page")).to_have_text("1 / 2")
    page.keyboard.press("1")
    drag(page, to_screen(page, 10, 10), to_screen(page, 30, 30))
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Next image").click()
    expect(page.get_by_test_id("image-page")).to_have_text("2 / 2")
    image_ready(page)
    expect(page.locator(".image-view img")).to_have_attribute("src", urls[1])
    drag(page, to_screen(page, 50, 50), to_screen(page, 90, 70))
    shot(page, "value-list")
    submit(page)
    (ann,) = wait_for_annotation(page, http, tid)
    boxes = sorted(ann["result"], key=lambda r: r["item_index"])
    assert [b["item_index"] for b in boxes] == [0, 1]
    assert_value(boxes[0]["value"], {"x": 10.0, "y": 10.0, "width": 20.0, "height": 20.0, "rotation": 0,
                                     "rectanglelabels": ["Dent"]})
    assert_value(boxes[1]["value"], {"x": 50.0, "y": 50.0, "width": 40.0, "height": 20.0, "rotation": 0,
                                     "rectanglelabels": ["Dent"]})


def test_image_grid_crosshair_and_zoom_step(page, http):
    config = """<View><Image name="image" value="$image" grid="true" gridSize="100" crosshair="true"
      zoomBy="2" zoomControl="true"/><RectangleLabels name="box" toName="image"><Label value="Car"/>
      </RectangleLabels></View>"""
    pid = new_project(http, config, "Grid")
    upload(http, pid, {"grid.png": png("#64748b")})
    page.goto(f"/projects/{pid}/label")
    view = image_ready(page)
    # A 400x300 image with a line every 100 px: 3 vertical and 2 horizontal.
    expect(page.get_by_test_id("image-grid").locator("line")).to_have_count(5)
    expect(page.get_by_test_id("crosshair")).to_have_count(0)
    page.mouse.move(*to_screen(page, 50, 50))
    expect(page.get_by_test_id("crosshair")).to_have_count(1)
    # The zoom reads the scale against the image's own pixels: fitted, the 400 px image is shown larger.
    zoom = page.get_by_role("button", name="Fit image")
    fitted = json.loads(view.get_attribute("data-transform"))["scale"]
    assert fitted > 1.5
    expect(zoom).to_have_text(f"{int(fitted * 100 + 0.5)}%")
    page.get_by_role("button", name="Zoom in").click()
    expect(zoom).to_have_text(f"{int(fitted * 200 + 0.5)}%")
    shot(page, "grid-crosshair")


def test_coordinates_stay_right_when_rotated_and_zoomed(page, http):
    pid = new_project(http, TOOLS, "Rotated view")
    (tid,) = upload(http, pid, {"street.png": png("#94a3b8")})
    page.goto(f"/projects/{pid}/label")
    image_ready(page)
    page.get_by_role("button", name="Rotate right").click()
    page.wait_for_function("() => JSON.parse(document.querySelector('.image-view').dataset.transform).rotation === 90")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.keyboard.press("1")
    # Draw in the rotated, zoomed view: the stored box is in the original image's frame.
    drag(page, to_screen(page, 40, 40), to_screen(page, 55, 60))
    shot(page, "05-rotated-zoomed")
    submit(page)
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    (box,) = wait_for_annotation(page, http, tid)[0]["result"]
    assert_image_item(box, "rectanglelabels", rotation=90)
    assert_value(box["value"], {"x": 40.0, "y": 40.0, "width": 15.0, "height": 20.0, "rotation": 0,
                                "rectanglelabels": ["Car"]})


# ---- Label Studio round trip -------------------------------------------------------------------------------

ROUND_TRIP = """<View>
  <Header value="Round trip"/>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/><Label value="Text"/></RectangleLabels>
  <Rectangle name="rect" toName="image"/>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/></PolygonLabels>
  <KeyPointLabels name="kp" toName="image"><Label value="Eye"/></KeyPointLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Wheel"/></EllipseLabels>
  <BrushLabels name="brush" toName="image"><Label value="Sky"/></BrushLabels>
  <TextArea name="ocr" toName="image" perRegion="true"/>
  <Choices name="quality" toName="image" perRegion="true"><Choice value="good"/><Choice value="bad"/></Choices>
  <Choices name="scene" toName="image" choice="multiple"><Choice value="day"/><Choice value="street"/></Choices>
  <TextArea name="caption" toName="image"/>
  <Rating name="rating" toName="image"/>
  <Number name="count" toName="image"/>
  <Relations><Relation value="next to"/></Relations>
</View>"""


def ls_results() -> list[dict]:
    """An annotation as Label Studio writes one, with a region of every kind."""
    from label_studio_sdk.converter.brush import mask2rle

    img = {"original_width": W, "original_height": H, "image_rotation": 0}
    mask = np.zeros((H, W), np.uint8)
    mask[200:260, 50:150] = 255
    rotated = {"x": 12.345678901234567, "y": 20.5, "width": 30.25, "height": 10.125, "rotation": 33.3}
    return [
        {"id": "Rk2_xQ9aLp", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "origin": "manual",
         **img, "value": {**rotated, "rectanglelabels": ["Text"]}},
        {"id": "Rk2_xQ9aLp", "from_name": "ocr", "to_name": "image", "type": "textarea", "origin": "manual",
         **img, "value": {**rotated, "text": ["STOP", "ahead"]}},
        {"id": "Rk2_xQ9aLp", "from_name": "quality", "to_name": "image", "type": "choices", "origin": "manual",
         **img, "value": {**rotated, "choices": ["good"]}},
        {"id": "b0x-2", "from_name": "rect", "to_name": "image", "type": "rectangle", "origin": "prediction-changed",
         "score": 0.75, **img, "value": {"x": 60, "y": 5, "width": 20, "height": 15, "rotation": 0}},
        {"id": "p0ly", "from_name": "poly", "to_name": "image", "type": "polygonlabels", "origin": "manual",
         **img, "value": {"points": [[5.5, 60.25], [30, 62], [28.125, 90], [6, 88.75]], "closed": True,
                          "polygonlabels": ["Road"]}},
        {"id": "kp1", "from_name": "kp", "to_name": "image", "type": "keypointlabels", "origin": "manual",
         **img, "value": {"x": 70.1, "y": 40.2, "width": 0.6666666666666666, "keypointlabels": ["Eye"]}},
        {"id": "e11", "from_name": "ell", "to_name": "image", "type": "ellipselabels", "origin": "manual",
         **{**img, "image_rotation": 90},
         "value": {"x": 80, "y": 70, "radiusX": 8.5, "radiusY": 12, "rotation": 15, "ellipselabels": ["Wheel"]}},
        {"id": "brsh", "from_name": "brush", "to_name": "image", "type": "brushlabels", "origin": "manual",
         **img, "value": {"format": "rle", "rle": [int(x) for x in mask2rle(mask)], "brushlabels": ["Sky"]}},
        {"id": "sc3ne", "from_name": "scene", "to_name": "image", "type": "choices", "origin": "manual",
         "value": {"choices": ["day", "street"]}},
        {"id": "capt", "from_name": "caption", "to_name": "image", "type": "textarea", "origin": "manual",
         "value": {"text": ["A street by day"]}},
        {"id": "rate", "from_name": "rating", "to_name": "image", "type": "rating", "origin": "manual",
         "value": {"rating": 4}},
        {"id": "cnt", "from_name": "count", "to_name": "image", "type": "number", "origin": "manual",
         "value": {"number": 3}},
        {"from_id": "Rk2_xQ9aLp", "to_id": "p0ly", "type": "relation", "direction": "right", "labels": ["next to"]},
        {"from_id": "kp1", "to_id": "e11", "type": "relation", "direction": "bi"},
    ]


def test_label_studio_results_round_trip_unchanged(page, http):
    pid = new_project(http, ROUND_TRIP, "Round trip")
    (tid,) = upload(http, pid, {"street.png": png("#94a3b8")})
    url = task(http, tid)["data"]["image"]
    http.delete(f"/api/tasks/{tid}").raise_for_status()
    original = ls_results()
    http.post(f"/api/projects/{pid}/import", json=[{"data": {"image": url}, "annotations": [{"result": original}]}]
              ).raise_for_status()
    (tid,) = [t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"]]
    (ann,) = annotations(http, tid)
    assert ann["result"] == original

    page.goto(f"/projects/{pid}/label/{tid}")
    image_ready(page)
    expect(page.get_by_role("button", name="Update")).to_be_visible()
    expect(page.get_by_role("listbox", name="Region list").get_by_role("option")).to_have_count(6)
    expect(page.get_by_test_id("region-1")).to_contain_text("STOP · ahead")
    expect(page.get_by_test_id("relation-1")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="count")).to_have_value("3")
    expect(page.locator(".choice.on")).to_have_count(2)
    page.get_by_test_id("region-1").click()
    expect(page.get_by_test_id("control-quality").locator(".choice.on")).to_have_text("good7")
    shot(page, "06-round-trip")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Update").click()
    for _ in range(50):
        (saved,) = annotations(http, tid)
        if saved["updated_at"] != ann["updated_at"]:
            break
        page.wait_for_timeout(100)
    assert saved["updated_at"] != ann["updated_at"], "the update was not saved"
    assert saved["result"] == original


# ---- bad input ----------------------------------------------------------------------------------------------

def test_broken_image_and_unsupported_tag_are_named_and_the_task_can_be_skipped(page, http):
    config = CLASSIFY.replace("</View>", '<TimeSeries name="series" value="$image"/></View>')
    pid = new_project(http, config, "Bad input")
    http.post(f"/api/projects/{pid}/import", json=[{"image": "http://127.0.0.1:9/missing.png"}]).raise_for_status()
    (tid,) = [t["id"] for t in http.get("/api/tasks", params={"project": pid}).json()["tasks"]]
    page.goto(f"/projects/{pid}/label")
    expect(page.get_by_test_id("image-error")).to_contain_text("http://127.0.0.1:9/missing.png")
    expect(page.get_by_test_id("unsupported-tag")).to_contain_text("<TimeSeries>")
    shot(page, "07-bad-input")
    page.get_by_role("button", name="Skip").click()
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    assert wait_for_annotation(page, http, tid)[0]["was_cancelled"] is True
