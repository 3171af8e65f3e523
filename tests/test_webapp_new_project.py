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

        mine = editor.inner_text().replace('value="tulip"', 'value="orchid"')
        editor.fill(mine)
        page.get_by_role("button", name="Object detection with boxes").click()
        dialog = page.get_by_role("dialog", name="Use the “Object detection with boxes” template?")
        expect(dialog).to_contain_text("Your edits to the labeling config will be replaced")
        page.screenshot(path=str(ARTIFACTS / "new-project-replace-edits.png"))
        dialog.get_by_role("button", name="Cancel").click()
        expect(editor).to_have_text(mine, use_inner_text=True)

        page.get_by_role("button", name="Object detection with boxes").click()
        page.get_by_role("button", name="Replace my config").click()
        expect(preview).to_contain_text("RectangleLabels")
        assert "orchid" not in editor.inner_text()

        editor.fill('<View><Image name="image" value="$image_path"><Choices></View>')
        error = page.locator(".config-error")
        expect(error).to_contain_text("</View> closes <Choices>, which is still open")
        expect(error).not_to_contain_text("This page contains")
        expect(error).not_to_contain_text("Below is a rendering")
        page.screenshot(path=str(ARTIFACTS / "new-project-xml-error.png"))
        page.context.browser.close()


def test_the_config_shows_as_a_working_labeling_screen_on_made_up_data(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        page = logged_in_page(pw, srv, "/projects/new", height=1300)
        screen = page.get_by_label("Labeling screen")
        page.get_by_role("button", name="Object detection with boxes").click()
        image = screen.locator(".image-view img")
        expect(image).to_be_visible()
        page.wait_for_function("() => document.querySelector('.interface-preview .image-view img')?.naturalWidth > 0")
        # Try the config: pick a label, draw a box, and it is listed as the editor lists regions.
        labels = screen.get_by_role("group", name="label labels")
        labels.get_by_role("button").first.click()
        screen.locator(".image-view").scroll_into_view_if_needed()
        box = screen.locator(".image-view").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6, steps=6)
        page.mouse.up()
        rows = screen.locator('[data-testid^="region-"]')
        expect(rows).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / "new-project-screen-preview.png"), full_page=True)

        # Another config, another screen: text gets sample text, and the drawn box is gone with the old one.
        editor = page.get_by_label("Labeling config (XML)")
        editor.fill('<View><Text name="text" value="$review"/><Choices name="mood" toName="text">'
                    '<Choice value="Happy"/><Choice value="Sad"/></Choices></View>')
        expect(screen.get_by_test_id("text-text")).to_contain_text("Jane Doe")
        expect(rows).to_have_count(0)
        screen.get_by_text("Sad").click()
        expect(screen.locator(".choice.on")).to_contain_text("Sad")
        page.keyboard.press("1")  # the choices' keys work in the screen, as in the editor
        expect(screen.locator(".choice.on")).to_contain_text("Happy")
        # Broken XML: the screen says so instead of showing a stale one.
        editor.fill('<View><Text name="text" value="$review">')
        expect(screen).to_contain_text("The screen appears when the XML is well-formed.")
        page.context.browser.close()
