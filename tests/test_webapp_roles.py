"""Issue 18, roles in Debian's Chromium: the app leaves out what a member's role may not do. An Annotator sees
only the projects they were added to, no "Create project", and a project opens in the labeling stream; a
Reviewer's data manager has no settings, import, export or actions; a Manager's has them all."""
import re
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


def _labeled_project(api, srv):
    """A project of 3 tasks, each labeled by two annotators (ann: rose; bob: rose, tulip, rose)."""
    people = {}
    for name in ("ann", "bob"):
        people[name] = api.post("/api/users", json={"email": f"{name}@example.com", "password": "member-pass-1"}
                                ).json()["id"]
    pid = api.post("/api/projects", json={"title": "Roses", "label_config": CONFIG,
                                          "maximum_annotations": 2}).json()["id"]

    def pick(v):
        return [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": [v]}}]
    tasks = [{"data": {"image": f"/static/{i}.jpg"}, "annotations": [
        {"result": pick("rose"), "completed_by": people["ann"], "lead_time": 4 + i},
        {"result": pick("tulip" if i == 1 else "rose"), "completed_by": people["bob"], "lead_time": 6}]}
        for i in range(3)]
    ids = api.post(f"/api/projects/{pid}/import?return_task_ids=1", json=tasks).json()["task_ids"]
    return pid, ids, people


def test_the_review_stream_by_keyboard(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid, ids, people = _labeled_project(api, srv)
        rev = api.post("/api/users", json={"email": "rev@example.com", "password": "member-pass-1",
                                           "role": "RE"}).json()["id"]
        api.post(f"/api/projects/{pid}/members", json={"user": rev})
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, srv, height=720)
            log_in(page, "rev@example.com", "member-pass-1", f"/projects/{pid}")
            page.get_by_role("link", name="Review").click()
            page.wait_for_url(f"**/projects/{pid}/review")
            expect(page.get_by_test_id("reviews-left")).to_have_text("6 waiting")
            expect(page.get_by_test_id("review-author")).to_contain_text("ann@example.com")
            shoot(page, "review-stream")
            page.keyboard.press("Control+Enter")  # accept ann's first
            expect(page.get_by_test_id("review-author")).to_contain_text("bob@example.com")
            page.keyboard.press("Control+Space")  # pass bob's first by
            expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[1]}")
            # Ann's second: fixed with the choice's key (2: tulip), then accepted with the fix.
            expect(page.get_by_test_id("review-author")).to_contain_text("ann@example.com")
            page.keyboard.press("2")
            expect(page.get_by_role("button", name="Fix and accept")).to_be_visible()
            page.keyboard.press("Control+Enter")
            # Bob's tulip: reject, with a comment, all by keyboard.
            expect(page.get_by_test_id("review-author")).to_contain_text("bob@example.com")
            page.keyboard.press("Control+Backspace")
            expect(page.get_by_role("textbox", name="What should the annotator fix?")).to_be_focused()
            page.keyboard.type("It is a rose.")
            page.keyboard.press("Control+Enter")
            expect(page.get_by_test_id("task-id")).to_have_text(f"Task #{ids[2]}")
            reviews = api.get("/api/annotation-reviews", params={"annotation__task__project": pid}).json()
            assert [r["accepted"] for r in reviews] == [True, True, False]
            fixed = reviews[1]
            assert fixed["previous_result"][0]["value"]["choices"] == ["rose"]
            assert fixed["result"][0]["value"]["choices"] == ["tulip"]
            assert api.get(f"/api/annotations/{fixed['annotation']}").json()["result"][0]["value"]["choices"] == [
                "tulip"]
            anns = {a["id"]: a for a in api.get(f"/api/tasks/{ids[1]}").json()["annotations"]}
            rejected = next(a for a in anns.values() if a["review_state"] == "rejected")
            assert rejected["completed_by"]["email"] == "bob@example.com"
            comments = api.get("/api/comments", params={"annotation": rejected["id"]}).json()
            assert [c["text"] for c in comments] == ["It is a rose."]
        finally:
            browser.close()


def test_the_dashboard_draws_its_charts(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid, ids, people = _labeled_project(api, srv)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, srv, height=1100)
            log_in(page, USERNAME, PASSWORD, f"/projects/{pid}")
            page.get_by_role("link", name="Dashboard").click()
            page.wait_for_url(f"**/projects/{pid}/dashboard")
            # Agreement: the pair agrees on 2 of 3 tasks.
            expect(page.get_by_text(re.compile("Agreement across the project: 67%"))).to_be_visible()
            for name in ("Annotations per day and tasks finished over time", "How often each label was used",
                         "Each annotator's agreement with the others and accuracy"):
                canvas = page.get_by_role("img", name=name)
                expect(canvas).to_be_visible()
                # Drawn: the canvas holds pixels that are not blank.
                assert canvas.evaluate("c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data"
                                       ".some((v, i) => i % 4 === 3 && v > 0)")
            table = page.get_by_test_id("annotator-table")
            expect(table).to_contain_text("ann@example.com")
            expect(table.get_by_role("row", name="ann@example.com")).to_contain_text("67%")
            shoot(page, "dashboard")
            csv = page.request.get(f"/api/projects/{pid}/dashboard/labels.csv")
            assert csv.text().splitlines() == ["label,count", "rose,5", "tulip,1"]
        finally:
            browser.close()


def test_duplicated_tasks_are_merged_from_the_actions_menu(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid = api.post("/api/projects", json={"title": "Twice", "label_config": CONFIG}).json()["id"]
        api.post(f"/api/projects/{pid}/import", json=[{"image": "/static/a.jpg"}, {"image": "/static/b.jpg"},
                                                       {"image": "/static/a.jpg"}]).raise_for_status()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, srv, height=720)
            log_in(page, USERNAME, PASSWORD, f"/projects/{pid}")
            expect(page.get_by_test_id("task-count")).to_contain_text("3 tasks")
            page.get_by_role("button", name="Actions").click()
            page.get_by_role("menuitem", name="Remove duplicated tasks…").click()
            confirm = page.get_by_role("dialog", name="Remove duplicated tasks?")
            expect(confirm).to_contain_text("merged into the oldest one")
            confirm.get_by_role("button", name="Remove duplicated tasks").click()
            expect(page.get_by_test_id("task-count")).to_contain_text("2 tasks")
            images = sorted(t["data"]["image"] for t in api.get("/api/tasks", params={"project": pid}).json()["tasks"])
            assert images == ["/static/a.jpg", "/static/b.jpg"]
        finally:
            browser.close()
