"""Project settings in Debian's Chromium: connect an ML backend (settings/ml), attach and sync a local folder
(settings/storage)."""
import re

import httpx
from PIL import Image

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from protocol_backend import ProtocolBackend
from server import PASSWORD, USERNAME, live_server
from webhook_receiver import Receiver

sync_api = require_browser()
expect = sync_api.expect
FLOWERS = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
           '<Choice value="rose"/><Choice value="tulip"/></Choices></View>')


def test_connect_a_model_and_sync_a_folder(tmp_path):
    root = tmp_path / "home"
    photos = root / "photos"
    photos.mkdir(parents=True)
    for name in ("a.jpg", "b.png", "notes.txt"):
        Image.new("RGB", (30, 20), "red").save(photos / name) if name != "notes.txt" else (photos / name).write_text("x")
    backend = ProtocolBackend()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with live_server(tmp_path / "data", extra_env={"LABELHIVE_LOCAL_FILES_ROOT": str(root)}) as srv, \
                sync_api.sync_playwright() as pw:
            pid = httpx.post(f"{srv.url}/api/projects", headers=srv.headers,
                             json={"title": "Settings test", "label_config": FLOWERS}).json()["id"]
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=srv.url, viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            page.goto(f"/user/login?next=/projects/{pid}/settings/ml")
            page.fill("#email", USERNAME)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.get_by_role("heading", name="Machine learning")).to_be_visible()
            expect(page.get_by_role("navigation", name="Settings").locator("[aria-current=page]")).to_have_text(
                "Machine learning")

            page.get_by_label("ML backend URL").fill(backend.url)
            page.get_by_role("button", name="Connect model").click()
            ml = page.locator("section", has=page.get_by_role("heading", name="Machine learning"))
            expect(ml.get_by_role("status")).to_contain_text("Connected")
            row = page.locator("tr", has_text=backend.url)
            expect(row).to_contain_text("Connected")
            expect(row).to_contain_text("v7")

            # Storage is its own section: reached from the side navigation, the ML section gives way to it.
            page.get_by_role("navigation", name="Settings").get_by_role("link", name="Cloud storage").click()
            page.wait_for_url(f"**/projects/{pid}/settings/storage")
            expect(page.get_by_role("heading", name="Machine learning")).to_have_count(0)
            folder = page.get_by_label("import Absolute folder path on the server")
            storage = page.locator("section", has=page.get_by_role("heading", name="Cloud and local storage"))
            # Where a folder may be is said before one is typed.
            # The form names the server's own root, before any path is tried.
            expect(storage.get_by_text(f"under {root} (LABELHIVE_LOCAL_FILES_ROOT").first).to_be_visible()
            expect(folder).to_have_attribute("placeholder", f"{root}/data/flowers")
            folder.fill(str(photos))
            page.get_by_role("button", name="Test connection").first.click()
            expect(storage.get_by_role("status").first).to_contain_text("reachable. Nothing was saved.")
            assert httpx.get(f"{srv.url}/api/storages?project={pid}", headers=srv.headers).json() == []
            page.get_by_role("button", name="Add source").click()
            # Adding a source imports it: the sync starts by itself, in the background, and the row follows
            # it to its outcome. The form is emptied for the next one.
            expect(storage.get_by_role("status").first).to_contain_text(f"Added {photos}; its files are being imported")
            row = page.locator("tr", has_text=str(photos))
            expect(row).to_contain_text("· 2 new tasks")
            expect(row.get_by_role("button", name="Sync")).to_be_enabled()
            expect(folder).to_have_value("")
            # The row's cells span the whole table, so its border runs to the edge.
            table, last_cell = row.locator("xpath=ancestor::table").bounding_box(), row.locator("td").last.bounding_box()
            assert abs((last_cell["x"] + last_cell["width"]) - (table["x"] + table["width"])) <= 1
            row.get_by_role("button", name="Sync").click()
            expect(row).to_contain_text("· 0 new tasks")
            # A folder gone missing fails the sync with the reason, and the button then offers to try again.
            moved = photos.with_name("photos-away")
            photos.rename(moved)
            row.get_by_role("button", name="Sync").click()
            expect(row).to_contain_text("Failed:")
            moved.rename(photos)
            row.get_by_role("button", name="Retry sync").click()
            expect(row).to_contain_text("· 0 new tasks")
            expect(row.get_by_role("button", name="Sync")).to_be_enabled()

            folder.fill("/definitely/not/here")
            page.get_by_role("button", name="Add source").click()
            expect(storage.get_by_role("alert").first).to_contain_text(
                f"/definitely/not/here is outside the local files root {root}")
            expect(folder).to_have_value("/definitely/not/here")
            page.screenshot(path=str(ARTIFACTS / "12-settings-ml-storage.png"), full_page=True)
            tasks = httpx.get(f"{srv.url}/api/tasks?project={pid}", headers=srv.headers).json()["tasks"]
            assert sorted(t["data"]["image"] for t in tasks) == ["/data/local-files/?d=photos/a.jpg",
                                                                  "/data/local-files/?d=photos/b.png"]

            # A file deleted after the sync: the editor says so instead of showing a broken image.
            (photos / "a.jpg").unlink()
            page.goto(f"/projects/{pid}/label")
            expect(page.get_by_test_id("image-error")).to_contain_text("moved or deleted")
            page.screenshot(path=str(ARTIFACTS / "13-editor-file-deleted.png"))

            # A failed network call in the data manager is shown where the rows would be, not swallowed.
            page.route("**/api/tasks?*", lambda route: route.abort())
            page.goto(f"/projects/{pid}")
            expect(page.get_by_text(re.compile("Could not load tasks"))).to_be_visible()
            page.unroute("**/api/tasks?*")
            page.screenshot(path=str(ARTIFACTS / "14-data-manager-network-error.png"))
            browser.close()
    finally:
        backend.close()


def test_a_failed_background_job_is_listed_with_its_reason_and_retried(tmp_path):
    receiver = Receiver(410)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
            pid = httpx.post(f"{srv.url}/api/projects", headers=srv.headers,
                             json={"title": "Jobs test", "label_config": FLOWERS}).json()["id"]
            httpx.post(f"{srv.url}/api/webhooks", headers=srv.headers,
                       json={"project": pid, "url": receiver.url, "send_for_all_actions": True})
            httpx.post(f"{srv.url}/api/projects/{pid}/import", headers=srv.headers, json=[{"image": "a.jpg"}])
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=srv.url, viewport={"width": 1280, "height": 700})
            page.set_default_timeout(15_000)
            page.goto(f"/user/login?next=/projects/{pid}/settings/jobs")
            page.fill("#email", USERNAME)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.get_by_role("heading", name="Background jobs")).to_be_visible()
            row = page.locator("tr", has_text="Webhook delivery")
            expect(row).to_contain_text(f"Failed: Webhook to {receiver.url} not delivered after 1 attempt(s): "
                                        "the receiver answered HTTP 410.")
            page.screenshot(path=str(ARTIFACTS / "15-settings-jobs-failed.png"), full_page=True)

            receiver.status = 200
            row.get_by_role("button", name="Retry").click()
            expect(row.get_by_label(re.compile(r"job \d+ state"))).to_have_text("completed")
            expect(row.get_by_role("button", name="Retry")).to_have_count(0)
            assert [b["action"] for b in receiver.bodies] == ["TASKS_CREATED", "TASKS_CREATED"]
            browser.close()
    finally:
        receiver.close()
