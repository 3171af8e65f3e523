"""The data manager in Debian's Chromium: a field only later tasks have (a `cluster` imported after a folder of
images) gets its column and its filter, with the right filter type, though no loaded row has it."""
import httpx

from browser import ARTIFACTS, logged_in_page, require_browser
from conftest import FLOWERS
from server import live_server

sync_api = require_browser()
expect = sync_api.expect


def clipped(locator) -> str:
    """Text in the element that is wider than its box (cut off, or ended with an ellipsis): "" when none."""
    return locator.evaluate("""el => [el, ...el.querySelectorAll('*')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => `${e.textContent}: ${e.scrollWidth}px in ${e.clientWidth}px`).join('; ')""")


def test_a_field_of_later_tasks_has_a_column_and_a_number_filter(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid = api.post("/api/projects", json={"title": "Flowers", "label_config": FLOWERS}).json()["id"]
        # The folder first (image_path only), the clustered tasks last: the first pages never show `cluster`.
        api.post(f"/api/projects/{pid}/import", json=[{"image_path": f"/img/{i}.jpg"} for i in range(300)])
        api.post(f"/api/projects/{pid}/import", json=[
            {"data": {"image_path": f"/img/c{i}.jpg", "cluster": i % 3}} for i in range(9)])
        first = api.get("/api/tasks", params={"project": pid, "page_size": 1}).json()["tasks"][0]["id"]
        choice = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
        assert api.post(f"/api/tasks/{first}/annotations", json={"result": choice}).status_code == 201

        page = logged_in_page(pw, srv, f"/projects/{pid}")
        expect(page.get_by_test_id("task-count")).to_contain_text("309 tasks")
        expect(page.get_by_role("columnheader", name="cluster")).to_be_visible()
        # Default widths show the image field's name and a whole completion date.
        assert clipped(page.get_by_role("columnheader", name="image_path")) == ""
        completed = page.locator(f"[data-testid=task-row-{first}] [data-column='tasks:completed_at']")
        expect(completed).to_contain_text("20")
        assert clipped(completed) == ""

        page.get_by_role("button", name="Filters").click()
        page.get_by_role("button", name="Add filter").click()
        page.get_by_label("Filter 1 column").select_option(label="cluster")
        # A number filter: its operators compare (a text filter would offer "contains").
        page.get_by_label("Filter 1 operator").select_option("greater_or_equal")
        page.get_by_label("Filter 1 value").fill("1")
        expect(page.get_by_test_id("task-count")).to_contain_text("6 tasks")
        page.screenshot(path=str(ARTIFACTS / "dm-later-field-filter.png"))
        # The filtered column is whole in the 1280px window: the task's data comes right after its ID.
        header = page.get_by_role("columnheader", name="cluster").bounding_box()
        assert header["x"] + header["width"] <= page.viewport_size["width"]
        # The image column shows each file's name beside its thumbnail.
        expect(page.locator(".tr .file-name")).to_have_text([f"c{i}.jpg" for i in range(9) if i % 3])
        page.context.browser.close()
