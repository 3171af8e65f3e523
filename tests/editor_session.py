"""Fixtures for the editor's browser suites: one `labelhive start` per test module, an API client, and a
logged-in Chromium context whose pages fail the test on any uncaught error in the page.

Import them into a test module: `from editor_session import browser, http, page, server`.
"""
import httpx
import pytest

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from server import PASSWORD, USERNAME, live_server

sync_api = require_browser()


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp(f"{request.module.__name__}-data")) as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = b.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto("/user/login")
        page.get_by_label("Email").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/projects")
        page.close()
        yield context
        b.close()


def settled(page):
    """Waits until the task shown takes submit, skip and answer keys: not in its first 250 ms (stream/settle.ts)."""
    page.wait_for_function("""() => !document.querySelector('.editor-bar [aria-disabled="true"]')""")


def submit(page):
    """Ctrl+Enter as a user presses it: after the task on screen has settled (a quicker press is dropped on purpose)."""
    settled(page)
    page.keyboard.press("Control+Enter")


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    pg.close()
    assert not errors, f"uncaught errors in the page: {errors}"
