"""The new-project page in Debian's Chromium: picking a template never silently throws away XML the user
edited, and a malformed config says what is wrong in plain words."""
from browser import ARTIFACTS, logged_in_page, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect


def test_templates_ask_before_replacing_edits_and_xml_errors_read_plainly(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        page = logged_in_page(pw, srv, "/projects/new")
        editor = page.get_by_label("Labeling config (XML)")
        preview = page.get_by_label("Preview")

        # Untouched: templates switch at once.
        page.get_by_role("button", name="Object detection with boxes").click()
        expect(preview).to_contain_text("RectangleLabels")
        page.get_by_role("button", name="Image classification").click()
        expect(preview).to_contain_text("Choices")

        mine = editor.input_value().replace('value="tulip"', 'value="orchid"')
        editor.fill(mine)
        page.get_by_role("button", name="Object detection with boxes").click()
        dialog = page.get_by_role("dialog", name="Use the “Object detection with boxes” template?")
        expect(dialog).to_contain_text("Your edits to the labeling config will be replaced")
        page.screenshot(path=str(ARTIFACTS / "new-project-replace-edits.png"))
        dialog.get_by_role("button", name="Cancel").click()
        expect(editor).to_have_value(mine)

        page.get_by_role("button", name="Object detection with boxes").click()
        page.get_by_role("button", name="Replace my config").click()
        expect(preview).to_contain_text("RectangleLabels")
        assert "orchid" not in editor.input_value()

        editor.fill('<View><Image name="image" value="$image_path"><Choices></View>')
        error = page.locator(".config-error")
        expect(error).to_contain_text("</View> closes <Choices>, which is still open")
        expect(error).not_to_contain_text("This page contains")
        expect(error).not_to_contain_text("Below is a rendering")
        page.screenshot(path=str(ARTIFACTS / "new-project-xml-error.png"))
        page.context.browser.close()
