"""One submit saves one annotation in the labeling stream, whatever the input (double click, Ctrl+Enter
tapped twice, Ctrl+Enter held), and a pre-filled prediction survives its own hotkey and is not cleared and
saved empty without a confirmation. Chromium against a real `labelhive start`; annotations are counted
through the API. Screenshots go to tests/artifacts/stream-*.png."""
import io

from PIL import Image, ImageDraw

from browser import ARTIFACTS, require_browser
from editor_session import browser, http, page, server  # noqa: F401 (fixtures)

sync_api = require_browser()
expect = sync_api.expect

FLOWERS = """<View>
  <Image name="image" value="$image_path" zoom="true" zoomControl="true" rotateControl="true"/>
  <Choices name="class" toName="image">
    <Choice value="daisy"/><Choice value="dandelion"/><Choice value="rose"/><Choice value="sunflower"/>
    <Choice value="tulip"/>
  </Choices>
</View>"""
# Long enough for any stray second save to land, so "none" is not just "not yet".
STRAY_SAVE_MS = 800


def png(color: str) -> bytes:
    img = Image.new("RGB", (320, 240), "#3f7d3a")
    ImageDraw.Draw(img).ellipse((100, 60, 220, 180), fill=color)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def new_project(http, title: str, n: int) -> tuple[int, list[int]]:
    """A flowers project with n uploaded images; returns its id and its task ids in stream order."""
    pid = http.post("/api/projects", json={"title": title, "label_config": FLOWERS}).json()["id"]
    colors = ["#f4f1e8", "#f2c200", "#c81d4a", "#e8a33d", "#8e44ad"]
    http.post(f"/api/projects/{pid}/import", files=[
        ("files", (f"f{i}.png", png(colors[i % len(colors)]), "image/png")) for i in range(n)]).raise_for_status()
    tasks = http.get("/api/tasks", params={"project": pid, "page_size": 100}).json()["tasks"]
    return pid, sorted(t["id"] for t in tasks)


def annotations(http, tid: int) -> list[dict]:
    """All of the task's annotations, skips included (/api/tasks/{id}/annotations leaves those out)."""
    r = http.get(f"/api/tasks/{tid}")
    r.raise_for_status()
    return r.json()["annotations"]


def saved(page, http, tid: int) -> list[dict]:
    """The task's annotations once at least one has landed, and after time enough for a stray second."""
    for _ in range(100):
        if annotations(http, tid):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(STRAY_SAVE_MS)
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved")
    return annotations(http, tid)


def shows(page, tid: int) -> None:
    """Waits until task tid is on screen with its image, and has settled (takes submits and hotkeys)."""
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{tid}")
    page.wait_for_function("""() => {
        const img = document.querySelector('.image-view img');
        return img && img.complete && img.naturalWidth > 0;
    }""")
    expect(page.get_by_role("button", name="Submit")).to_be_enabled()


def test_double_click_on_submit_saves_once(page, http):
    pid, ids = new_project(http, "Double click", 3)
    page.goto(f"/projects/{pid}/label")
    shows(page, ids[0])
    page.keyboard.press("1")
    expect(page.locator(".choice.on")).to_have_text("daisy1")
    page.get_by_role("button", name="Submit").dblclick()
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    [ann] = saved(page, http, ids[0])
    assert ann["result"][0]["value"] == {"choices": ["daisy"]}
    assert annotations(http, ids[1]) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")

    # Two clicks 60 ms apart: the second lands on the next task's Submit, at the same place.
    shows(page, ids[1])
    page.keyboard.press("2")
    box = page.get_by_role("button", name="Submit").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(60)
    page.mouse.click(x, y)
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[2]}")
    [ann] = saved(page, http, ids[1])
    assert ann["result"][0]["value"] == {"choices": ["dandelion"]}
    assert annotations(http, ids[2]) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[2]}")
    expect(page.locator(".choice.on")).to_have_count(0)


def test_ctrl_enter_tapped_twice_30_ms_apart_saves_once(page, http):
    pid, ids = new_project(http, "Ctrl+Enter twice", 3)
    page.goto(f"/projects/{pid}/label")
    shows(page, ids[0])
    page.keyboard.press("3")
    page.keyboard.down("Control")
    page.keyboard.press("Enter")
    page.wait_for_timeout(30)
    page.keyboard.press("Enter")
    page.keyboard.up("Control")
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    [ann] = saved(page, http, ids[0])
    assert ann["result"][0]["value"] == {"choices": ["rose"]}
    assert annotations(http, ids[1]) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")


def test_ctrl_enter_held_down_saves_once(page, http):
    pid, ids = new_project(http, "Ctrl+Enter held", 3)
    page.goto(f"/projects/{pid}/label")
    shows(page, ids[0])
    page.evaluate("""() => {
        window.__repeats = 0;
        window.addEventListener('keydown', (e) => { if (e.repeat) window.__repeats++; }, true);
    }""")
    page.keyboard.press("4")
    page.keyboard.down("Control")
    page.keyboard.down("Enter")
    # Held: the browser repeats the key, well past the next task's settle time.
    for _ in range(6):
        page.wait_for_timeout(100)
        page.keyboard.down("Enter")
    page.evaluate("""() => window.dispatchEvent(new KeyboardEvent('keydown',
        {key: 'Enter', code: 'Enter', ctrlKey: true, repeat: true, bubbles: true}))""")
    page.keyboard.up("Enter")
    page.keyboard.up("Control")
    assert page.evaluate("window.__repeats") == 7
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    [ann] = saved(page, http, ids[0])
    assert ann["result"][0]["value"] == {"choices": ["sunflower"]}
    assert annotations(http, ids[1]) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")


def test_a_prediction_keeps_its_key_changes_in_one_key_and_is_not_cleared_silently(page, http):
    pid, ids = new_project(http, "Prediction", 1)
    url = http.get(f"/api/tasks/{ids[0]}").json()["data"]["image_path"]
    rose = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    r = http.post(f"/api/projects/{pid}/import?return_task_ids=1",
                  json=[{"data": {"image_path": url}, "predictions": [{"model_version": "v1", "result": rose}]}])
    (tid,) = r.json()["task_ids"]
    pred_id = http.get(f"/api/tasks/{tid}").json()["predictions"][0]["id"]
    http.delete(f"/api/tasks/{ids[0]}").raise_for_status()

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/projects/{pid}/label")
    shows(page, tid)
    badge = page.get_by_test_id("prefill-badge")
    expect(badge).to_have_text("Showing prediction v1")
    expect(page.locator(".choice.on")).to_have_text("rose3")
    page.locator(".choice.on").scroll_into_view_if_needed()  # the bar with the badge stays at the top
    page.screenshot(path=str(ARTIFACTS / "stream-prediction-badge.png"))

    page.keyboard.press("3")  # rose's own key: it stays chosen, and still marked as the prediction
    expect(page.locator(".choice.on")).to_have_text("rose3")
    expect(badge).to_be_visible()
    page.keyboard.press("1")  # another class's key replaces it
    expect(page.locator(".choice.on")).to_have_text("daisy1")
    expect(badge).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.locator(".choice.on")).to_have_text("rose3")
    expect(badge).to_be_visible()

    # Cleared by a click on the chosen one: Ctrl+Enter asks first, and Escape goes back with nothing saved.
    page.locator(".choice.on").click()
    expect(page.locator(".choice.on")).to_have_count(0)
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Submit with no labels?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("prediction v1")
    expect(dialog.get_by_role("button", name="Submit empty")).to_be_enabled()
    page.screenshot(path=str(ARTIFACTS / "stream-confirm-empty.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.wait_for_timeout(STRAY_SAVE_MS)
    assert annotations(http, tid) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{tid}")

    # Asked again, Enter confirms: one empty annotation, from the prediction.
    page.keyboard.press("Control+Enter")
    expect(dialog.get_by_role("button", name="Submit empty")).to_be_enabled()
    expect(dialog.get_by_role("button", name="Submit empty")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stream-done")).to_be_visible()
    [ann] = saved(page, http, tid)
    assert ann["result"] == [] and ann["was_cancelled"] is False and ann["parent_prediction"] == pred_id


def test_a_project_without_empty_annotations_refuses_an_empty_submit(page, http):
    pid, ids = new_project(http, "No empty", 2)
    http.patch(f"/api/projects/{pid}", json={"enable_empty_annotation": False}).raise_for_status()
    page.goto(f"/projects/{pid}/label")
    shows(page, ids[0])
    page.keyboard.press("Control+Enter")
    expect(page.locator(".editor-hint")).to_contain_text("does not take empty annotations")
    page.wait_for_timeout(STRAY_SAVE_MS)
    assert annotations(http, ids[0]) == []
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[0]}")
    # Skipping stays possible.
    page.keyboard.press("Control+Space")
    shows(page, ids[1])
    assert [a["was_cancelled"] for a in saved(page, http, ids[0])] == [True]


def on_task(page, tid: int) -> None:
    """Task tid is on screen (a task already answered shows Update instead of Submit)."""
    expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{tid}")


def test_browser_back_and_forward_step_through_the_stream(page, http):
    pid, ids = new_project(http, "Back and forward", 3)
    page.goto(f"/projects/{pid}")
    expect(page.get_by_test_id("task-count")).to_contain_text("3 tasks")
    page.get_by_role("link", name="Label all tasks").click()
    shows(page, ids[0])
    page.keyboard.press("2")
    page.keyboard.press("Control+Enter")
    shows(page, ids[1])
    page.keyboard.press("3")
    page.keyboard.press("Control+Enter")
    shows(page, ids[2])
    # Back: the task before, with its saved answer to update; again: the one before that.
    page.go_back()
    on_task(page, ids[1])
    expect(page.get_by_role("button", name="Update")).to_be_visible()
    expect(page.locator(".choice.on")).to_have_text("rose3")
    page.go_back()
    on_task(page, ids[0])
    expect(page.locator(".choice.on")).to_have_text("dandelion2")
    # Forward returns to the later task; nothing was saved twice on the way.
    page.go_forward()
    on_task(page, ids[1])
    assert [len(annotations(http, t)) for t in ids] == [1, 1, 0]
    # Past the first task of the stream, Back leaves the labeling screen for the data manager.
    page.go_back()
    on_task(page, ids[0])
    page.go_back()
    page.wait_for_url(f"**/projects/{pid}")
    expect(page.get_by_test_id("task-count")).to_have_text("3 tasks · 2 annotations · 0 predictions")


def test_a_logged_out_user_comes_back_to_the_task_after_logging_in(browser, http, server):
    from server import PASSWORD, USERNAME

    pid, ids = new_project(http, "Back after login", 2)
    context = browser.browser.new_context(base_url=server.url)
    try:
        anon = context.new_page()
        anon.goto(f"/projects/{pid}/label/{ids[1]}?view=")
        anon.wait_for_url("**/user/login?next=*")
        anon.get_by_label("Email").fill(USERNAME)
        anon.get_by_label("Password").fill(PASSWORD)
        anon.get_by_role("button", name="Log in").click()
        anon.wait_for_url(f"**/projects/{pid}/label/{ids[1]}*")
        expect(anon.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
    finally:
        context.close()
