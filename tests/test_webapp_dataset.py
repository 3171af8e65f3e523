"""The import dialog's dataset mode in Debian's Chromium: a zipped YOLO dataset into a project without a config."""
import io
import zipfile

import httpx
from PIL import Image

from browser import ARTIFACTS, logged_in_page, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect


def yolo_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        for name, size in (("a.png", (80, 40)), ("b.png", (50, 50))):
            out = io.BytesIO()
            Image.new("RGB", size, "teal").save(out, "PNG")
            z.writestr(f"pets/images/{name}", out.getvalue())
        z.writestr("pets/labels/a.txt", "1 0.5 0.5 0.25 0.5\n")
        z.writestr("pets/classes.txt", "cat\ndog\n")
    return path


def test_import_a_zipped_yolo_dataset_from_the_dialog(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        pid = httpx.post(f"{srv.url}/api/projects", headers=srv.headers, json={"title": "Pets"}).json()["id"]
        page = logged_in_page(pw, srv, f"/projects/{pid}")
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_role("button", name="Dataset (COCO / YOLO / VOC)").click()
        dialog = page.get_by_role("dialog", name="Import a dataset (COCO / YOLO / VOC)")
        dialog.get_by_label("Dataset format").select_option("YOLO")
        dialog.get_by_test_id("dataset-files").set_input_files(str(yolo_zip(tmp_path / "pets.zip")))
        expect(dialog).to_contain_text("1 file")
        page.screenshot(path=str(ARTIFACTS / "dataset-import-form.png"))
        dialog.get_by_role("button", name="Import dataset").click()
        expect(dialog.get_by_role("status")).to_contain_text("2 tasks, 1 annotation")
        expect(dialog.get_by_role("status")).to_contain_text("made from the dataset's classes")
        page.screenshot(path=str(ARTIFACTS / "dataset-import-done.png"))
        dialog.get_by_role("button", name="Done").click()
        page.context.browser.close()
        config = httpx.get(f"{srv.url}/api/projects/{pid}", headers=srv.headers).json()["label_config"]
        assert '<Label value="dog"/>' in config and "<RectangleLabels" in config
