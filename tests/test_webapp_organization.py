"""The organization and the account in Debian's Chromium: members, the invite link and sign-up through it,
deactivation (the member's token ends at once), changing the password (other sessions end), and who sees what."""
import re

import httpx

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser
from server import PASSWORD, USERNAME, live_server

sync_api = require_browser()
expect = sync_api.expect
SIZES = ((1280, 720), (1440, 900))


def new_page(browser, srv, width=1280, height=900):
    """A page in its own browser context: its own cookies, so its own session."""
    context = browser.new_context(base_url=srv.url, viewport={"width": width, "height": height})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=srv.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def log_in(page, email, password, path="/projects"):
    page.goto(f"/user/login?next={path}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")


def add_member(srv, email, password):
    """A member added by the owner over the API: an annotator."""
    r = httpx.post(f"{srv.url}/api/users", headers=srv.headers, json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def api_token(srv, email, password):
    """The member's own API token, read through a session of theirs."""
    with httpx.Client(base_url=srv.url) as anon:
        anon.get("/user/login")
        r = anon.post("/user/login", data={"email": email, "password": password,
                                           "csrfmiddlewaretoken": anon.cookies["csrftoken"]})
        assert r.status_code in (200, 302), r.text
        return anon.get("/api/current-user/token").json()["token"]


def shoot(page, name):
    """The page at each size we check by eye, into tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_members_invite_link_and_sign_up_through_it(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        add_member(srv, "bea@example.com", "bea-password-1")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        owner = new_page(browser, srv)
        log_in(owner, USERNAME, PASSWORD)
        owner.get_by_role("navigation", name="Organization").get_by_role("link", name="Organization").click()
        owner.wait_for_url("**/organization")
        members = owner.locator("table.members")
        expect(members.locator("tr", has_text=f"{USERNAME} (you)")).to_contain_text("Owner")
        expect(members.locator("tr", has_text=f"{USERNAME} (you)").get_by_role("button")).to_have_count(0)
        bea = members.locator("tr", has_text="bea@example.com")
        expect(bea).to_contain_text("Annotator")
        expect(bea.get_by_role("button", name="Deactivate…")).to_be_visible()

        link = owner.get_by_role("textbox", name="Invite link")
        expect(link).to_have_value(re.compile(rf"^{re.escape(srv.url)}/user/signup/\?token=\S+$"))
        annotator_link = link.input_value()
        # The link carries the role the newcomer gets: a reviewer's differs from an annotator's.
        owner.get_by_label("Joins as").select_option("RE")
        expect(link).to_have_value(re.compile(rf"^{re.escape(srv.url)}/user/signup/\?token=RE-\S+$"))
        assert link.input_value() != annotator_link
        owner.get_by_role("button", name="Copy").click()
        expect(owner.get_by_text("Invite link copied to the clipboard.")).to_be_visible()
        invite = owner.evaluate("navigator.clipboard.readText()")
        assert invite == link.input_value()
        expect(owner.get_by_text("sign-up without a link is closed")).to_be_visible()
        shoot(owner, "13-organization")

        owner.get_by_role("button", name="Account menu").click()
        owner.get_by_role("menuitem", name="Log out").click()
        owner.wait_for_url("**/user/login*")

        newcomer = new_page(browser, srv)
        newcomer.goto(invite)
        newcomer.fill("#email", "carl@example.com")
        newcomer.fill("#password", "carl-password-1")
        newcomer.click("button[type=submit]")
        expect(newcomer.get_by_role("button", name="Account menu")).to_contain_text("carl@example.com")
        # Who joins by that link is a reviewer: no Organization link, and the page says who it is for.
        expect(newcomer.get_by_role("link", name="Organization")).to_have_count(0)
        newcomer.goto("/organization")
        expect(newcomer.get_by_text("Only the owner and administrators manage")).to_be_visible()
        expect(newcomer.locator("table.members")).to_have_count(0)

        log_in(owner, USERNAME, PASSWORD, "/organization")
        expect(members.locator("tr", has_text="carl@example.com")).to_contain_text("Reviewer")
        browser.close()


def test_the_owner_deactivates_a_member_whose_token_stops_at_once(tmp_path):
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        add_member(srv, "dora@example.com", "dora-password-1")
        token = api_token(srv, "dora@example.com", "dora-password-1")
        whoami = f"{srv.url}/api/current-user/whoami"
        assert httpx.get(whoami, headers={"Authorization": f"Token {token}"}).status_code == 200

        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        dora = new_page(browser, srv)
        log_in(dora, "dora@example.com", "dora-password-1")
        owner = new_page(browser, srv)
        log_in(owner, USERNAME, PASSWORD, "/organization")
        row = owner.locator("table.members tr", has_text="dora@example.com")
        row.get_by_role("button", name="Deactivate…").click()
        dialog = owner.get_by_role("dialog")
        expect(dialog).to_contain_text("Their sessions and API token stop working at once")
        dialog.get_by_role("button", name="Deactivate").click()
        expect(dialog).to_have_count(0)
        expect(row).to_contain_text("Deactivated")
        expect(row.get_by_role("button", name="Reactivate")).to_be_visible()
        shoot(owner, "15-organization-deactivated")

        assert httpx.get(whoami, headers={"Authorization": f"Token {token}"}).status_code == 401
        dora.goto("/projects")
        dora.wait_for_url("**/user/login*")

        row.get_by_role("button", name="Reactivate").click()
        expect(owner.get_by_role("status").filter(has_text="is active again")).to_be_visible()
        expect(row).to_contain_text("Annotator")
        expect(row.get_by_role("button", name="Deactivate…")).to_be_visible()
        browser.close()


def test_changing_the_password_ends_the_other_sessions(tmp_path):
    new_password = "a-new-secret-9"
    with live_server(tmp_path / "data") as srv, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        elsewhere = new_page(browser, srv)
        log_in(elsewhere, USERNAME, PASSWORD)
        page = new_page(browser, srv)
        log_in(page, USERNAME, PASSWORD, "/account")
        expect(page.get_by_text("At least 8 characters.")).to_be_visible()

        page.get_by_label("Current password").fill("not-my-password")
        page.get_by_label("New password").fill(new_password)
        page.get_by_role("button", name="Change password").click()
        form = page.locator("section", has=page.get_by_role("heading", name="Password"))
        expect(form.get_by_role("alert")).to_have_text("The current password is wrong.")
        shoot(page, "14-account")

        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_role("button", name="Change password").click()
        expect(page.get_by_text("Password changed; your other sessions were logged out.")).to_be_visible()
        expect(form.get_by_role("alert")).to_have_count(0)
        expect(page.get_by_label("Current password")).to_have_value("")
        expect(page.get_by_label("New password")).to_have_value("")
        shoot(page, "16-account-password-changed")

        # This session goes on; the one in the other browser is over.
        page.reload()
        expect(page.get_by_test_id("account-email")).to_have_text(USERNAME)
        elsewhere.goto("/projects")
        elsewhere.wait_for_url("**/user/login*")
        log_in(elsewhere, USERNAME, new_password)
        expect(elsewhere.get_by_role("button", name="Account menu")).to_contain_text(USERNAME)

        # Resetting the API token says the old one is finished.
        old = page.get_by_label("API token").inner_text()
        page.get_by_role("button", name="Reset…").click()
        page.get_by_role("dialog").get_by_role("button", name="Reset token").click()
        expect(page.get_by_role("status").filter(has_text="the old one stopped working")).to_be_visible()
        page.get_by_role("heading", name="API token").scroll_into_view_if_needed()
        shoot(page, "17-account-token-reset")
        assert httpx.get(f"{srv.url}/api/current-user/whoami", headers={"Authorization": f"Token {old}"}).status_code == 401
        browser.close()
