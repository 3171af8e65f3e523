"""The config editor is a code editor (issue 15): XML highlighting, completion of tag and attribute names
from the config vocabulary, the check's error underlined where it is; and it is loaded only where a config
is edited, never by the data manager or the labeling stream. Debian's Chromium against a live server."""
import re

import httpx

from browser import ARTIFACTS, logged_in_page, require_browser
from server import live_server

sync_api = require_browser()
expect = sync_api.expect
# CodeMirror ignores Enter for 75 ms after a completion list opens, so a key already on its way picks nothing.
COMPLETION_DELAY_MS = 200


def chunks_loaded(page) -> list[str]:
    return page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")


def test_completion_highlighting_and_errors_in_place(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        page = logged_in_page(pw, srv, "/projects/new")
        editor = page.get_by_label("Labeling config (XML)")
        expect(page.get_by_test_id("config-code-editor")).to_be_visible()
        # Tag names are highlighted as tokens of their own (the default template is there already).
        expect(page.locator(".cm-line span", has_text=re.compile("^View$")).first).to_be_visible()

        editor.fill("")
        editor.click()
        page.keyboard.type("<View>\n<Ima")
        completion = page.locator(".cm-tooltip-autocomplete")
        expect(completion.get_by_role("option", name="Image", exact=True)).to_be_visible()
        page.wait_for_timeout(COMPLETION_DELAY_MS)
        page.keyboard.press("Enter")
        page.keyboard.type(" zoomC")
        expect(completion.get_by_role("option", name="zoomControl")).to_be_visible()
        page.wait_for_timeout(COMPLETION_DELAY_MS)
        page.keyboard.press("Enter")
        expect(editor).to_contain_text("<Image zoomControl")
        page.keyboard.type("=")  # and its values are offered
        expect(completion.get_by_role("option", name='"true"')).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "config-code-editor-completion.png"))

        # A config the check refuses: the offending tag is underlined on its line, and the message says why.
        editor.fill('<View>\n  <Image name="image" value="$image"/>\n  <Choices name="c" toName="photo">\n'
                    '    <Choice value="a"/>\n  </Choices>\n</View>')
        underline = page.locator(".cm-lintRange-error")
        expect(underline).to_contain_text('<Choices name="c" toName="photo">')
        expect(page.locator(".config-error")).to_contain_text("Line 3")
        expect(editor).to_have_attribute("aria-invalid", "true")
        page.screenshot(path=str(ARTIFACTS / "config-code-editor-error.png"))
        # Broken XML: the parser's column is where the underline starts.
        editor.fill('<View>\n  <Image name="image" value="$image"\n</View>')
        expect(underline).to_be_visible()
        expect(page.locator(".config-error")).to_contain_text("Line 3")
        page.context.browser.close()


def test_the_data_manager_and_the_stream_do_not_load_the_code_editor(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        with httpx.Client(base_url=srv.url, headers=srv.headers) as http:
            pid = http.post("/api/projects", json={
                "title": "Lazy", "label_config": '<View><Text name="t" value="$t"/><Choices name="c" toName="t">'
                                                 '<Choice value="a"/></Choices></View>'}).json()["id"]
            http.post(f"/api/projects/{pid}/import", json=[{"t": "hello"}]).raise_for_status()
        page = logged_in_page(pw, srv, f"/projects/{pid}")
        expect(page.get_by_test_id("task-count")).to_contain_text("1 task")
        page.goto(f"/projects/{pid}/label")
        expect(page.get_by_test_id("text-t")).to_have_text("hello")
        assert not [u for u in chunks_loaded(page) if "CodeEditor" in u]
        page.goto(f"/projects/{pid}/settings/labeling")
        expect(page.get_by_test_id("config-code-editor")).to_be_visible()
        assert [u for u in chunks_loaded(page) if "CodeEditor" in u]
        page.context.browser.close()
