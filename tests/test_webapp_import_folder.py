"""A new project's first import from a folder on the server, in Debian's Chromium: the empty data manager says
what to do, the import dialog attaches the folder and imports it in one step, and a bad path says why."""

import httpx
from PIL import Image

from browser import ARTIFACTS, logged_in_page, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect
FLOWERS = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
           '<Choice value="daisy"/><Choice value="rose"/></Choices></View>')


def flower(path, color):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), color).save(path)


def test_attach_a_folder_from_the_import_dialog(tmp_path):
    root = tmp_path / "home"
    train = root / "flowers" / "train"
    flower(train / "daisy" / "d1.jpg", "white")
    flower(train / "daisy" / "d2.JPG", "ivory")  # cameras write upper case
    flower(train / "rose" / "r1.png", "red")
    (train / "notes.txt").write_text("not an image")
    (root / "a-file.txt").write_text("x")
    ARTIFACTS.mkdir(exist_ok=True)
    with live_server(tmp_path / "data", extra_env={"LABELHIVE_LOCAL_FILES_ROOT": str(root)}) as srv, \
            sync_api.sync_playwright() as pw:
        api = httpx.Client(base_url=srv.url, headers=srv.headers)
        pid = api.post("/api/projects", json={"title": "Flowers", "label_config": FLOWERS}).json()["id"]
        page = logged_in_page(pw, srv, f"/projects/{pid}", height=800)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        # A new project is empty, not filtered.
        table = page.get_by_role("table")
        expect(table.get_by_text("No tasks yet")).to_be_visible()
        expect(table).to_contain_text("a folder on this server")
        expect(table.get_by_role("button", name="Import data")).to_be_visible()
        expect(page.get_by_text("No tasks yet")).to_have_count(1)  # said once, in the table
        expect(page.get_by_text("No tasks match")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "15-empty-project.png"))

        page.get_by_role("button", name="Import", exact=True).click()
        choices = page.get_by_role("dialog", name="Import data")
        choices.get_by_role("button", name="Attach a folder on this server").click()
        dialog = page.get_by_role("dialog", name="Attach a folder on this server")
        path = dialog.get_by_label("Folder path on the server")
        expect(dialog).to_contain_text(f"under {root} (LABELHIVE_LOCAL_FILES_ROOT")

        # Bad paths: the server's reason, inline, and nothing attached.
        path.fill("/definitely/not/here")
        dialog.get_by_role("button", name="Attach and import").click()
        alert = dialog.get_by_role("alert")
        expect(alert).to_contain_text(f"outside the local files root {root}")
        expect(alert).not_to_contain_text("path:")
        page.screenshot(path=str(ARTIFACTS / "16-attach-folder-bad-path.png"))
        path.fill(str(root / "flowers" / "test"))
        dialog.get_by_role("button", name="Attach and import").click()
        expect(alert).to_contain_text("is not a directory on the server")
        assert api.get(f"/api/storages?project={pid}").json() == []

        # A good one: attached, synced at once, and the count shown.
        path.fill(str(train))
        dialog.get_by_role("button", name="Attach and import").click()
        expect(dialog.get_by_role("status")).to_contain_text(f"Imported 3 tasks from {train}.")
        expect(dialog.get_by_role("alert")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "17-attach-folder-done.png"))
        dialog.get_by_role("button", name="Done").click()
        expect(page.get_by_test_id("task-count")).to_contain_text("3 tasks")
        expect(page.get_by_text("No tasks yet")).to_have_count(0)
        tasks = api.get(f"/api/tasks?project={pid}").json()["tasks"]
        assert sorted(t["data"]["image"] for t in tasks) == [
            "/data/local-files/?d=flowers/train/daisy/d1.jpg",
            "/data/local-files/?d=flowers/train/daisy/d2.JPG",
            "/data/local-files/?d=flowers/train/rose/r1.png"]
        # The images are served to the browser from the folder.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.tr img.thumb')].filter(i => i.naturalWidth).length === 3")
        # Each thumbnail has its file's name beside it.
        expect(page.locator(".tr .image-cell .file-name")).to_have_text(["d1.jpg", "d2.JPG", "r1.png"])

        # The same folder again (as typed differently): the storage is reused, only the new file comes in.
        flower(train / "rose" / "r2.png", "crimson")
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_role("button", name="Attach a folder on this server").click()
        dialog.get_by_label("Folder path on the server").fill(f"{train}/")
        dialog.get_by_role("button", name="Attach and import").click()
        expect(dialog.get_by_role("status")).to_contain_text("Imported 1 task from")
        dialog.get_by_role("button", name="Done").click()
        expect(page.get_by_test_id("task-count")).to_contain_text("4 tasks")
        assert len(api.get(f"/api/storages?project={pid}").json()) == 1

        # A filter that hides every task still says so.
        page.get_by_role("button", name="Filters").click()
        page.get_by_role("button", name="Add filter").click()
        page.get_by_label("Filter 1 column").select_option(label="image")
        page.get_by_label("Filter 1 operator").select_option("contains")
        page.get_by_label("Filter 1 value").fill("tulip")
        expect(page.get_by_test_id("task-count")).to_contain_text("0 tasks")
        expect(table.get_by_text("No tasks match.")).to_be_visible()
        expect(page.get_by_text("No tasks yet")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "18-filter-hides-all.png"))
        page.context.browser.close()
    assert not errors, f"uncaught errors in the page: {errors}"
