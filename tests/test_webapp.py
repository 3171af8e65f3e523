"""The web app in Debian's Chromium, against a real `labelhive start`: the flowers user's journey from sign-up
to a filtered CSV export. Screenshots of each main page go to tests/artifacts/."""
import csv
import io
import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect

EMAIL = "flowers@example.com"
PASSWORD = "daisy-rose-tulip"
COLORS = {"daisy": "#f4f1e8", "rose": "#c81d4a", "tulip": "#8e44ad", "sunflower": "#f2b705"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def image_server(tmp_path_factory):
    """Serves a folder of PNGs over http, like the Flask server the user wrote for Label Studio."""
    folder = tmp_path_factory.mktemp("flowers")
    for name, color in COLORS.items():
        img = Image.new("RGB", (320, 240), "#3f7d3a")
        draw = ImageDraw.Draw(img)
        draw.ellipse((100, 60, 220, 180), fill=color)
        draw.ellipse((145, 105, 175, 135), fill="#6b4423")
        img.save(folder / f"{name}.png")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # As `make run` starts: no account yet, so the user's sign-up is the first and needs no invite.
    with live_server(tmp_path_factory.mktemp("webapp-data"), first_user=False) as srv:
        yield srv


@pytest.fixture(scope="module")
def page(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800},
                                      accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        yield pg
        browser.close()
        assert not errors, f"uncaught errors in the page: {errors}"


def shot(page, name: str) -> None:
    # Sticky headers land mid-image in a full-page shot of a scrolled page.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def count(page):
    return page.get_by_test_id("task-count")


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def step_sign_up_lands_on_an_empty_projects_page(page):
    page.goto("/user/signup")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/projects")
    expect(page.get_by_role("heading", name="No projects yet")).to_be_visible()
    expect(page.get_by_role("button", name="Account menu")).to_contain_text(EMAIL)
    shot(page, "01-projects-empty")


def step_create_project_from_the_image_classification_template(page):
    page.get_by_role("link", name="Create project").first.click()
    page.wait_for_url("**/projects/new")
    page.get_by_label("Project name").fill("Flowers")
    page.get_by_label("Description").fill("Daisies, dandelions, roses, sunflowers and tulips")
    page.get_by_role("button", name="Object detection with boxes").click()
    preview = page.get_by_label("Preview")
    expect(preview).to_contain_text("RectangleLabels")
    page.get_by_role("button", name="Image classification").click()
    expect(preview).to_contain_text("tulip")
    expect(page.get_by_text("✓ Valid config")).to_be_visible()

    editor = page.get_by_label("Labeling config (XML)")
    good = editor.inner_text()  # the code editor: its text, line by line
    editor.fill(good.replace('toName="image"', 'toName="picture"'))
    error = page.locator(".config-error")
    expect(error).to_contain_text('toName="picture"')
    expect(error).to_contain_text("Line 3")
    # The code editor underlines the tag the error is about, on its line.
    expect(page.locator(".cm-lintRange-error")).to_contain_text('<Choices name="class" toName="picture"')
    shot(page, "02-new-project-invalid-config")
    editor.fill(good)
    expect(page.get_by_text("✓ Valid config")).to_be_visible()
    shot(page, "03-new-project")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/projects/*")
    expect(page.get_by_role("dialog", name="Import data")).to_be_visible()


def step_import_a_csv_of_image_urls_with_a_cluster_column(page, image_server, tmp_path):
    dialog = page.get_by_role("dialog", name="Import data")
    expect(dialog).to_contain_text("“image”")
    rows = [{"image": f"{image_server}/{name}.png", "cluster": i % 3} for i, name in enumerate(COLORS)]
    rows += [{"image": f"{image_server}/{name}.png", "cluster": 2} for name in ("rose", "tulip")]
    rows.append({"image": "http://127.0.0.1:9/unreachable.png", "cluster": 1})
    dialog.get_by_test_id("import-files").set_input_files(str(write_csv(tmp_path / "flowers.csv", rows)))
    expect(dialog).to_contain_text("1 file")
    dialog.get_by_role("button", name="Import").click()
    expect(dialog).to_contain_text("7 tasks, 0 annotations, 0 predictions imported")
    dialog.get_by_role("button", name="Done").click()
    expect(count(page)).to_contain_text("7 tasks")
    first_thumb = page.locator(".tr img.thumb").first
    expect(first_thumb).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('.tr img.thumb')].some(i => i.naturalWidth > 0)")
    assert "/thumbnail?" in first_thumb.get_attribute("src")
    # The unreachable URL shows a placeholder rather than a broken image.
    expect(page.get_by_test_id("task-row-7").locator(".thumb-missing")).to_be_visible()
    shot(page, "04-data-manager")


def step_bad_imports_say_what_is_wrong_and_import_nothing(page, tmp_path):
    page.get_by_role("button", name="Import", exact=True).click()
    dialog = page.get_by_role("dialog", name="Import data")
    (tmp_path / "notes.exe").write_bytes(b"MZ")
    dialog.get_by_test_id("import-files").set_input_files(str(tmp_path / "notes.exe"))
    expect(dialog.get_by_role("alert")).to_contain_text("notes.exe")
    dialog.get_by_label("Or paste JSON or CSV").fill("picture,cluster\nhttp://x/a.png,1\n")
    dialog.get_by_role("button", name="Import").click()
    expect(dialog.get_by_role("alert")).to_contain_text('"image" key is expected')
    shot(page, "05-import-error")
    dialog.get_by_label("Or paste JSON or CSV").fill('[{"image": "http://x/a.png"')
    dialog.get_by_role("button", name="Import").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not valid")
    dialog.get_by_role("button", name="Cancel").click()
    expect(count(page)).to_contain_text("7 tasks")


def step_filter_by_cluster_sort_and_keep_the_tab_after_reload(page):
    page.get_by_role("button", name="Add tab").click()
    tab = page.get_by_role("tab", name="Tab 2")
    expect(tab).to_have_attribute("aria-selected", "true")
    tab.dblclick()
    page.get_by_label("Tab name").fill("Cluster 2")
    page.get_by_label("Tab name").press("Enter")
    expect(page.get_by_role("tab", name="Cluster 2")).to_be_visible()

    page.get_by_role("button", name="Filters").click()
    page.get_by_role("button", name="Add filter").click()
    page.get_by_label("Filter 1 column").select_option(label="cluster")
    page.get_by_label("Filter 1 operator").select_option("equal")
    page.get_by_label("Filter 1 value").fill("2")
    expect(count(page)).to_contain_text("3 tasks")
    page.get_by_role("button", name="ID", exact=True).click()
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.locator(".tr").first).to_have_attribute("data-testid", "task-row-6")
    expect(page.get_by_role("columnheader", name="ID")).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_text("Saving tab…")).to_have_count(0)
    shot(page, "06-filtered-tab")

    page.reload()
    expect(page.get_by_role("tab", name="Cluster 2")).to_have_attribute("aria-selected", "true")
    expect(count(page)).to_contain_text("3 tasks")
    expect(page.get_by_label("Filter 1 value")).to_have_value("2")
    expect(page.locator(".tr").first).to_have_attribute("data-testid", "task-row-6")
    page.get_by_role("tab", name="Default").click()
    expect(count(page)).to_contain_text("7 tasks")
    page.get_by_role("tab", name="Cluster 2").click()
    expect(count(page)).to_contain_text("3 tasks")


def step_import_json_with_predictions_then_bulk_accept_them(page, image_server, tmp_path):
    tasks = [{"data": {"image": f"{image_server}/{name}.png", "cluster": 2},
              "predictions": [{"model_version": "kmeans-v1", "score": 0.8,
                               "result": [{"from_name": "class", "to_name": "image", "type": "choices",
                                           "value": {"choices": [name]}}]}]}
             for name in ("daisy", "rose", "tulip")]
    (tmp_path / "clustered.json").write_text(json.dumps(tasks))
    page.get_by_role("button", name="Import", exact=True).click()
    dialog = page.get_by_role("dialog", name="Import data")
    dialog.get_by_test_id("import-files").set_input_files(str(tmp_path / "clustered.json"))
    dialog.get_by_role("button", name="Import").click()
    expect(dialog).to_contain_text("3 tasks, 0 annotations, 3 predictions imported")
    dialog.get_by_role("button", name="Done").click()
    expect(count(page)).to_contain_text("6 tasks · 0 annotations · 3 predictions")

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("menuitem", name="Accept predictions as annotations…").click()
    confirm = page.get_by_role("dialog", name="Accept predictions as annotations?")
    expect(confirm).to_contain_text("all 6 tasks in this view")
    confirm.get_by_label("Model version").select_option("kmeans-v1")
    shot(page, "07-accept-predictions")
    confirm.get_by_role("button", name="Accept predictions as annotations").click()
    expect(page.locator(".toast")).to_contain_text("Created 3 annotations")
    expect(count(page)).to_contain_text("6 tasks · 3 annotations · 3 predictions")
    # Newest first: the first row is a JSON task, now with one annotation.
    expect(page.locator(".tr").first.locator("[data-column='tasks:total_annotations']")).to_have_text("1")


def export_csv(page, dialog) -> list[dict]:
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.endswith(".csv")
    return list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))


def step_export_csv_of_the_tasks_in_this_view(page):
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog", name="Export")
    only_view = dialog.get_by_label("Only tasks in this view (6 tasks)")
    only_annotated = dialog.get_by_label("Only annotated tasks")
    # Which tasks is chosen first, in sight, above the long list of formats.
    expect(dialog.locator(".formats label").first).to_be_visible()
    for box in (only_view, only_annotated):
        expect(box).to_be_in_viewport()
        # Both positions from one frame: the dialog may still be moving into place between two reads.
        assert box.evaluate("(b, f) => b.getBoundingClientRect().top < f.getBoundingClientRect().top",
                            dialog.locator(".formats label").first.element_handle())
    expect(only_annotated).not_to_be_checked()
    dialog.locator("input[type=radio][value=CSV]").check()
    expect(only_view).to_be_checked()
    shot(page, "08-export")
    records = export_csv(page, dialog)
    # The six tasks of the tab (cluster 2), three of them now annotated from their predictions.
    assert len(records) == 6
    assert all(r["cluster"] == "2" for r in records)
    assert sorted(r["class"] for r in records if r["class"]) == ["daisy", "rose", "tulip"]
    expect(page.locator(".toast").last).to_contain_text("Downloaded")

    # Only the annotated ones of those.
    page.get_by_role("button", name="Export").click()
    dialog.locator("input[type=radio][value=CSV]").check()
    only_annotated.check()
    records = export_csv(page, dialog)
    assert sorted(r["class"] for r in records) == ["daisy", "rose", "tulip"]
    assert all(r["cluster"] == "2" for r in records)


def step_select_some_or_all_then_delete_one_task(page):
    page.get_by_role("tab", name="Default").click()
    expect(count(page)).to_contain_text("10 tasks")
    select_all = page.get_by_label("Select all matching tasks")
    select_all.check()
    expect(count(page)).to_contain_text("10 selected")
    page.get_by_label("Select task 1", exact=True).uncheck()
    expect(count(page)).to_contain_text("9 selected")
    expect(page.get_by_role("button", name="Actions (9)")).to_be_visible()
    select_all.click()  # some -> all
    select_all.click()  # all -> none
    expect(count(page)).not_to_contain_text("selected")
    page.get_by_label("Select task 7", exact=True).check()
    page.get_by_role("button", name="Actions (1)").click()
    page.get_by_role("menuitem", name="Delete tasks…").click()
    confirm = page.get_by_role("dialog", name="Delete tasks?")
    expect(confirm).to_contain_text("the 1 selected task")
    confirm.get_by_role("button", name="Delete tasks").click()
    expect(count(page)).to_contain_text("9 tasks")
    expect(page.get_by_test_id("task-row-7")).to_have_count(0)


def step_open_tasks_from_the_table_by_click_and_keyboard(page):
    page.get_by_test_id("task-row-3").get_by_role("cell").nth(2).click()
    page.wait_for_url(re.compile(r"/projects/\d+/label/3(\?view=\d+)?$"))
    expect(page.get_by_test_id("task-id")).to_have_text("Task #3")
    page.go_back()
    expect(count(page)).to_contain_text("9 tasks")
    table = page.get_by_role("table", name="Tasks")
    # No click or Tab first: the table has the focus when the data manager opens.
    expect(table).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("task-row-2")).to_have_attribute("aria-current", "true")
    table.press("Space")
    expect(count(page)).to_contain_text("1 selected")
    table.press("Enter")
    page.wait_for_url(re.compile(r"/projects/\d+/label/2(\?view=\d+)?$"))
    page.go_back()
    expect(count(page)).to_contain_text("9 tasks")


def step_resize_a_column_and_keep_it_after_reload(page):
    header = page.get_by_role("columnheader").filter(has_text="cluster")
    before = header.bounding_box()["width"]
    grip = page.get_by_role("separator", name="Resize column cluster")
    box = grip.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 123, y, steps=5)
    page.mouse.up()
    expect(header).to_have_css("width", f"{round(before + 120)}px")
    resized = header.bounding_box()["width"]
    page.wait_for_timeout(700)  # the tab saves shortly after an edit
    page.reload()
    expect(count(page)).to_contain_text("9 tasks")
    assert page.get_by_role("columnheader").filter(has_text="cluster").bounding_box()["width"] == resized
    grip = page.get_by_role("separator", name="Resize column cluster")
    grip.focus()
    grip.press("ArrowLeft")
    expect(page.get_by_role("columnheader").filter(has_text="cluster")).to_have_css("width", f"{round(resized - 20)}px")


def step_grid_view_of_thumbnails(page):
    page.get_by_role("button", name="Grid", exact=True).click()
    expect(page.locator(".grid-card img").first).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('.grid-card img')].some(i => i.naturalWidth > 0)")
    shot(page, "09-grid")
    page.get_by_test_id("task-card-5").locator(".grid-img").click()
    page.wait_for_url(re.compile(r"/projects/\d+/label/5(\?view=\d+)?$"))
    page.go_back()
    page.get_by_role("button", name="List", exact=True).click()


def step_projects_page_counts_duplicate_and_delete(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    card = page.get_by_role("article", name="Flowers")
    expect(card).to_contain_text("9tasks")
    expect(card).to_contain_text("3annotated")
    expect(card).to_contain_text("3predictions")
    shot(page, "10-projects")
    card.get_by_role("button", name="Actions for Flowers").click()
    page.get_by_role("menuitem", name="Duplicate").click()
    copy = page.get_by_role("article", name="Flowers (copy)")
    expect(copy).to_be_visible()
    copy.get_by_role("button", name="Actions for Flowers (copy)").click()
    page.get_by_role("menuitem", name="Delete…").click()
    page.get_by_role("dialog", name="Delete project?").get_by_role("button", name="Delete project").click()
    expect(copy).to_have_count(0)
    expect(card).to_be_visible()


def step_account_page_copies_and_resets_the_token(page):
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Account & API token").click()
    expect(page.get_by_test_id("account-email")).to_have_text(EMAIL)
    token = page.get_by_label("API token", exact=True)
    expect(token).to_have_text(re.compile(r"^\S{20,}$"))
    old = token.inner_text()
    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".toast").last).to_contain_text("copied")
    assert page.evaluate("navigator.clipboard.readText()") == old
    shot(page, "11-account")
    page.get_by_role("button", name="Reset…").click()
    page.get_by_role("dialog", name="Reset API token?").get_by_role("button", name="Reset token").click()
    expect(token).not_to_have_text(old)


def step_log_out_returns_to_the_login_page(page):
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    page.wait_for_url("**/user/login*")
    page.goto("/projects")
    page.wait_for_url("**/user/login*")


def test_flowers_journey(page, image_server, tmp_path):
    """One story in order (the steps share the browser), so it also runs whole under pytest-xdist."""
    step_sign_up_lands_on_an_empty_projects_page(page)
    step_create_project_from_the_image_classification_template(page)
    step_import_a_csv_of_image_urls_with_a_cluster_column(page, image_server, tmp_path)
    step_bad_imports_say_what_is_wrong_and_import_nothing(page, tmp_path)
    step_filter_by_cluster_sort_and_keep_the_tab_after_reload(page)
    step_import_json_with_predictions_then_bulk_accept_them(page, image_server, tmp_path)
    step_export_csv_of_the_tasks_in_this_view(page)
    step_select_some_or_all_then_delete_one_task(page)
    step_open_tasks_from_the_table_by_click_and_keyboard(page)
    step_resize_a_column_and_keep_it_after_reload(page)
    step_grid_view_of_thumbnails(page)
    step_projects_page_counts_duplicate_and_delete(page)
    step_account_page_copies_and_resets_the_token(page)
    step_log_out_returns_to_the_login_page(page)
