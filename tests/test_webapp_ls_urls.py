"""Label Studio's data-manager links (/projects/ID/data?tab=V&task=T), bookmarked or pasted by a user who
switched, open the same place in LabelHive: the project's tab, or that task in the labeling stream."""
import re

import httpx

from browser import logged_in_page, require_browser
from conftest import FLOWERS
from server import live_server

sync_api = require_browser()
expect = sync_api.expect


def test_label_studio_data_manager_links_open_the_tab_and_the_task(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid = api.post("/api/projects", json={"title": "Flowers", "label_config": FLOWERS}).json()["id"]
        ids = api.post(f"/api/projects/{pid}/import?return_task_ids=1",
                       json=[{"image_path": f"/img/{i}.jpg"} for i in range(3)]).json()["task_ids"]
        view = api.post("/api/dm/views", json={"project": pid, "data": {"title": "Newest first",
                                                                         "ordering": ["-tasks:id"]}}).json()

        page = logged_in_page(pw, srv, f"/projects/{pid}/data?tab={view['id']}")
        page.wait_for_url(re.compile(rf"/projects/{pid}\?tab={view['id']}$"))
        expect(page.get_by_role("tab", name="Newest first", selected=True)).to_be_visible()
        expect(page.get_by_test_id("task-count")).to_contain_text("3 tasks")

        page.goto(f"/projects/{pid}/data?tab={view['id']}&task={ids[1]}")
        page.wait_for_url(re.compile(rf"/projects/{pid}/label/{ids[1]}\?view={view['id']}$"))
        expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
        page.context.browser.close()
