"""Shared set-up for browser tests: Debian's Chromium, the built web app, and how to launch them here."""
from pathlib import Path

import pytest

from server import PASSWORD, USERNAME

CHROMIUM = Path("/usr/bin/chromium")
STATIC_INDEX = Path(__file__).parent.parent / "src" / "labelhive" / "static" / "index.html"
ARTIFACTS = Path(__file__).parent / "artifacts"
# Without the background-networking flags Chromium keeps dialing out, and this machine refuses it.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def require_browser():
    """Skip the calling module, with the reason, when the browser or the built app is missing."""
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt install chromium)", allow_module_level=True)
    if not STATIC_INDEX.exists():
        pytest.skip("the web app is not built (cd frontend && npm ci && npm run build)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="pip install playwright")


def logged_in_page(pw, server, path: str, width: int = 1280, height: int = 900):
    """A Chromium page signed in as the live server's first user, on `path`; close it with page.context.browser."""
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    page = browser.new_page(base_url=server.url, viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"/user/login?next={path}")
    page.fill("#email", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    return page
