"""Project settings in Debian's Chromium: Label Studio's side navigation and addresses, one section at a time,
each with one Save; what is saved is what the API returns; errors read without a field path in front."""
import re

import httpx

from browser import ARTIFACTS, logged_in_page, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect
FLOWERS = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
           '<Choice value="rose"/><Choice value="tulip"/></Choices></View>')
SECTIONS = ["General", "Labeling interface", "Annotation", "Team and quality", "Machine learning", "Cloud storage",
            "Background jobs", "Danger zone"]


def test_settings_sections_save_what_they_show_and_delete_the_project(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = f"{srv.url}/api/projects"
        pid = httpx.post(api, headers=srv.headers, json={"title": "Sections", "label_config": FLOWERS}).json()["id"]
        project = lambda: httpx.get(f"{api}/{pid}", headers=srv.headers)  # noqa: E731
        assert project().json()["sampling"] == "Sequential sampling"
        page = logged_in_page(pw, srv, f"/projects/{pid}/settings")
        nav = page.get_by_role("navigation", name="Settings")
        links = nav.get_by_role("link")
        expect(links).to_have_text(SECTIONS)
        expect(nav.locator("[aria-current=page]")).to_have_text("General")
        expect(page.locator(".crumbs")).to_have_text(re.compile(r"Projects / Sections /\s*Settings"))
        expect(page.get_by_role("link", name="Back to data")).to_be_visible()

        # General: one Save for name, description, color and sampling.
        expect(page.get_by_role("button", name="Save")).to_have_count(1)
        sampling = page.get_by_label("Task sampling")
        expect(sampling).to_have_value("Sequential sampling")
        sampling.select_option(label="Random")
        page.screenshot(path=str(ARTIFACTS / "settings-general.png"))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("✓ Saved")).to_be_visible()
        assert project().json()["sampling"] == "Uniform sampling"

        # Annotation, through the side navigation: instructions and the three switches.
        nav.get_by_role("link", name="Annotation").click()
        page.wait_for_url(f"**/projects/{pid}/settings/annotation")
        expect(nav.locator("[aria-current=page]")).to_have_text("Annotation")
        expect(page.get_by_role("button", name="Save")).to_have_count(1)
        before = project().json()
        show_instruction = page.get_by_label("Show the instructions before labeling")
        skip = page.get_by_label("Annotators can skip tasks")
        predictions = page.get_by_label("Show predictions to annotators")
        for box, field in ((show_instruction, "show_instruction"), (skip, "show_skip_button"),
                           (predictions, "show_collab_predictions")):
            expect(box).to_be_checked(checked=before[field])
        show_instruction.set_checked(not before["show_instruction"])
        skip.set_checked(not before["show_skip_button"])
        predictions.set_checked(not before["show_collab_predictions"])
        page.get_by_role("textbox", name="Instructions").fill("Pick the <b>flower</b> you see.")

        # Unsaved edits survive a visit to another section, and the nav marks where they are.
        expect(nav.get_by_role("link", name="Annotation (unsaved changes)")).to_be_visible()
        nav.get_by_role("link", name="General").click()
        expect(sampling).to_have_value("Uniform sampling")
        nav.get_by_role("link", name="Annotation").click()
        expect(page.get_by_role("textbox", name="Instructions")).to_have_value("Pick the <b>flower</b> you see.")
        page.screenshot(path=str(ARTIFACTS / "settings-annotation.png"))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("✓ Saved")).to_be_visible()
        expect(nav.get_by_text("(unsaved changes)")).to_have_count(0)
        after = project().json()
        assert after["expert_instruction"] == "Pick the <b>flower</b> you see."
        for field in ("show_instruction", "show_skip_button", "show_collab_predictions"):
            assert after[field] is (not before[field]), field

        page.goto(f"/projects/{pid}/settings/annotation")
        expect(page.get_by_role("textbox", name="Instructions")).to_have_value("Pick the <b>flower</b> you see.")
        expect(show_instruction).to_be_checked(checked=after["show_instruction"])
        expect(skip).to_be_checked(checked=after["show_skip_button"])
        expect(predictions).to_be_checked(checked=after["show_collab_predictions"])

        # Team and quality: two annotators on half the tasks, assigned tasks only, 10% honeypots.
        nav.get_by_role("link", name="Team and quality").click()
        page.get_by_label("Annotators per task").fill("2")
        page.get_by_label("On this percentage of the tasks").fill("50")
        page.get_by_label("Task distribution").select_option("assigned_only")
        page.get_by_label("Honeypots").fill("10")
        page.get_by_label("Annotators see each other's annotations").check()
        page.screenshot(path=str(ARTIFACTS / "settings-quality.png"))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("✓ Saved")).to_be_visible()
        saved = project().json()
        assert (saved["maximum_annotations"], saved["overlap_cohort_percentage"], saved["honeypot_percentage"],
                saved["annotators_see_others"]) == (2, 50, 10, True)
        assert saved["assignment_settings"]["label_stream_task_distribution"] == "assigned_only"

        # Labeling interface: the server refuses the config, and says why without "label_config:" in front.
        page.goto(f"/projects/{pid}/settings/labeling")
        expect(nav.locator("[aria-current=page]")).to_have_text("Labeling interface")
        expect(page.get_by_role("button", name="Save")).to_have_count(1)
        page.get_by_label("Labeling config (XML)").fill(FLOWERS.replace('toName="image"', 'toName="nothing"'))
        page.get_by_role("button", name="Save").click()
        error = page.locator(".save-row").get_by_role("alert")
        expect(error).to_contain_text('toName="nothing" names no object tag')
        assert re.fullmatch(r"Could not save: line 1: .+", error.inner_text()), error.inner_text()
        assert "label_config" not in error.inner_text()
        page.screenshot(path=str(ARTIFACTS / "settings-labeling-error.png"))
        assert project().json()["label_config"] == FLOWERS

        page.goto(f"/projects/{pid}/settings/ml")
        expect(page.get_by_role("heading", name="Machine learning")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "settings-ml.png"))
        nav.get_by_role("link", name="Cloud storage").click()
        expect(page.get_by_role("heading", name="Cloud and local storage")).to_be_visible()
        expect(page.get_by_role("heading", name="Machine learning")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "settings-storage.png"))

        page.goto(f"/projects/{pid}/settings/webhooks")
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

        page.goto(f"/projects/{pid}/settings/danger-zone")
        expect(nav.locator("[aria-current=page]")).to_have_text("Danger zone")
        page.screenshot(path=str(ARTIFACTS / "settings-danger-zone.png"))
        page.get_by_role("button", name="Delete project…").click()
        page.get_by_role("dialog", name="Delete project?").get_by_role("button", name="Delete project").click()
        page.wait_for_url("**/projects")
        expect(page.get_by_role("article", name="Sections")).to_have_count(0)
        assert project().status_code == 404
        page.context.browser.close()


def test_annotation_settings_pick_the_model_version_that_pre_fills(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        api = f"{srv.url}/api/projects"
        pid = httpx.post(api, headers=srv.headers, json={"title": "Versions", "label_config": FLOWERS}).json()["id"]

        def task(version):
            return {"data": {"image": "/img/1.jpg"}, "predictions": [{"model_version": version, "result": [
                {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]}]}

        httpx.post(f"{api}/{pid}/import", headers=srv.headers, json=[task("v1"), task("v1"), task("v2")])
        page = logged_in_page(pw, srv, f"/projects/{pid}/settings/annotation")
        prefill = page.get_by_label("Pre-fill from")
        expect(prefill).to_have_value("v1")  # as in Label Studio, the first imported version is picked
        expect(prefill.locator("option")).to_have_text(
            ["The newest prediction, any model", "v1 (2 predictions)", "v2 (1 predictions)"])
        prefill.select_option("v2")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("✓ Saved")).to_be_visible()
        assert httpx.get(f"{api}/{pid}", headers=srv.headers).json()["model_version"] == "v2"
        page.reload()
        expect(prefill).to_have_value("v2")
        # Without predictions shown there is nothing to pick from.
        page.get_by_label("Show predictions to annotators").uncheck()
        expect(prefill).to_be_disabled()
        page.context.browser.close()
