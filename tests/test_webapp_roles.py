"""Issue 18, roles in Debian's Chromium: the app leaves out what a member's role may not do. An Annotator sees
only the projects they were added to, no "Create project", and a project opens in the labeling stream; a
Reviewer's data manager has no settings, import, export or actions; a Manager's has them all."""
import time

import httpx

from browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from server import PASSWORD, USERNAME, live_server
from test_webapp_organization import log_in, new_page, shoot

sync_api = require_browser()
expect = sync_api.expect
CONFIG = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
          '<Choice value="rose"/><Choice value="tulip"/></Choices></View>')


def test_each_role_sees_what_it_may_do(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        ids = {}
        for role in ("AN", "RE", "MA"):
            r = api.post("/api/users", json={"email": f"{role.lower()}@example.com", "password": "member-pass-1",
                                             "role": role})
            ids[role] = r.json()["id"]
        mine = api.post("/api/projects", json={"title": "Roses", "label_config": CONFIG}).json()["id"]
        api.post("/api/projects", json={"title": "Secret", "label_config": CONFIG})
        api.post(f"/api/projects/{mine}/import", json=[{"image": "/static/none.jpg"}]).raise_for_status()
        api.post(f"/api/projects/{mine}/members/bulk", json={"users": [ids["AN"], ids["RE"]]}).raise_for_status()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            annotator = new_page(browser, srv)
            log_in(annotator, "an@example.com", "member-pass-1")
            expect(annotator.get_by_role("link", name="Roses")).to_be_visible()
            expect(annotator.get_by_role("link", name="Secret")).to_have_count(0)
            expect(annotator.get_by_role("link", name="Create project")).to_have_count(0)
            expect(annotator.get_by_role("button", name="Actions for Roses")).to_have_count(0)
            shoot(annotator, "roles-annotator-projects")
            annotator.get_by_role("link", name="Roses").click()
            annotator.wait_for_url(f"**/projects/{mine}/label**")
            # The stream works for them: pick a choice with its key, submit, and the annotation is theirs.
            expect(annotator.get_by_test_id("task-id")).to_be_visible()
            annotator.keyboard.press("1")
            annotator.get_by_role("button", name="Submit").click()
            expect(annotator.get_by_test_id("stream-done")).to_be_visible()
            # Saves land in the background: wait for the annotation to arrive.
            deadline = time.monotonic() + 10
            while not (task := api.get(f"/api/tasks?project={mine}").json()["tasks"][0])["annotators"]:
                assert time.monotonic() < deadline, "the annotation was never saved"
                time.sleep(0.1)
            assert task["annotators"] == [ids["AN"]]
            # Typing the data manager's address leads to the stream too.
            annotator.goto(f"/projects/{mine}")
            annotator.wait_for_url(f"**/projects/{mine}/label**")

            reviewer = new_page(browser, srv)
            log_in(reviewer, "re@example.com", "member-pass-1")
            reviewer.get_by_role("link", name="Roses").click()
            reviewer.wait_for_url(f"**/projects/{mine}")
            expect(reviewer.get_by_test_id("task-count")).to_contain_text("1 task")
            for name in ("Import", "Export"):
                expect(reviewer.get_by_role("button", name=name, exact=True)).to_have_count(0)
            expect(reviewer.get_by_role("link", name="Settings")).to_have_count(0)
            shoot(reviewer, "roles-reviewer-data-manager")

            manager = new_page(browser, srv)
            log_in(manager, "ma@example.com", "member-pass-1")
            expect(manager.get_by_role("link", name="Secret")).to_be_visible()
            manager.get_by_role("link", name="Roses").click()
            for name in ("Import", "Export"):
                expect(manager.get_by_role("button", name=name, exact=True)).to_be_visible()
            expect(manager.get_by_role("link", name="Settings")).to_be_visible()
        finally:
            browser.close()


def test_a_manager_assigns_selected_tasks_from_the_data_manager(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        ann = api.post("/api/users", json={"email": "ann@example.com", "password": "member-pass-1"}).json()["id"]
        pid = api.post("/api/projects", json={"title": "Roses", "label_config": CONFIG}).json()["id"]
        ids = api.post(f"/api/projects/{pid}/import?return_task_ids=1",
                       json=[{"image": f"/static/{i}.jpg"} for i in range(3)]).json()["task_ids"]
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, srv, height=720)
            log_in(page, USERNAME, PASSWORD, f"/projects/{pid}")
            page.get_by_label(f"Select task {ids[0]}", exact=True).check()
            page.get_by_label(f"Select task {ids[2]}", exact=True).check()
            page.get_by_role("button", name="Actions (2)").click()
            page.get_by_role("menuitem", name="Assign to members…").click()
            dialog = page.get_by_role("dialog", name="Assign to members?")
            expect(dialog).to_contain_text("the 2 selected tasks")
            dialog.get_by_label("To").select_option("AN")
            dialog.get_by_role("checkbox", name="ann@example.com").check()
            shoot(page, "roles-assign-dialog")
            dialog.get_by_role("button", name="Assign to members").click()
            expect(page.get_by_role("status")).to_contain_text("Assigned 2 tasks")
            tasks = {t["id"]: t["assignees"] for t in api.get("/api/tasks", params={"project": pid}).json()["tasks"]}
            assert tasks == {ids[0]: [ann], ids[1]: [], ids[2]: [ann]}
            # The "Assigned" column shows who has each task.
            expect(page.get_by_test_id(f"task-row-{ids[0]}").get_by_title("ann@example.com")).to_have_count(1)
            expect(page.get_by_test_id(f"task-row-{ids[1]}").get_by_title("ann@example.com")).to_have_count(0)
        finally:
            browser.close()
