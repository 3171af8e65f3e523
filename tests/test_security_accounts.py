"""Accounts on a shared server: closed sign-up and invites, login throttling, case-insensitive emails, password
changes that end other sessions, deactivation, member roles, sanitised instructions."""
import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from conftest import TOKEN
from labelhive import auth
from labelhive.app import create_app
from labelhive.config import Settings


def form_post(anon, path: str, **fields):
    page = anon.get(path.split("?")[0] if "token=" not in path else path)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    csrf = csrf.group(1) if csrf else anon.cookies.get("csrftoken", "")
    return anon.post(path, data={**fields, "csrfmiddlewaretoken": csrf}, follow_redirects=False)


def login(anon, email="admin@example.com", password="secret-password"):
    return form_post(anon, "/user/login", email=email, password=password)


def sign_up(anon, path, email, password="new-password-1"):
    return form_post(anon, path, email=email, password=password)


def test_sign_up_without_a_link_is_refused_with_a_message(client, anon):
    page = anon.get("/user/signup")
    assert page.status_code == 403
    assert "needs an invite link: ask an administrator" in page.text
    assert "<form" not in page.text  # nothing to fill in that cannot work
    anon.get("/user/login")
    r = anon.post("/user/signup", data={"email": "stranger@example.com", "password": "stranger-pw-1",
                                        "csrfmiddlewaretoken": anon.cookies["csrftoken"]}, follow_redirects=False)
    assert r.status_code == 403 and "invite link" in r.text
    assert "stranger@example.com" not in [u["email"] for u in client.get("/api/users").json()]
    # A made-up token is no better than none.
    assert anon.get("/user/signup/?token=not-the-token").status_code == 403


def test_the_first_account_signs_up_without_a_link_and_owns_the_organization(tmp_path, database_url):
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url))
    with TestClient(app) as anon:
        assert anon.get("/user/signup").status_code == 200
        assert sign_up(anon, "/user/signup", "first@example.com").status_code == 302
        assert anon.get("/api/current-user/whoami").json()["role"] == "OW"
        anon.get("/user/logout")
        anon.cookies.clear()
        assert anon.get("/user/signup").status_code == 403  # the second person needs the link
    app.state.engine.dispose()


def test_open_signup_setting_and_label_studios_variable(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK", "false")
    assert Settings.from_env().open_signup is True
    monkeypatch.setenv("LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK", "true")
    assert Settings.from_env().open_signup is False
    monkeypatch.setenv("LABELHIVE_OPEN_SIGNUP", "true")
    assert Settings.from_env().open_signup is True
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url, username="admin@example.com",
                              password="secret-password", open_signup=True))
    with TestClient(app) as anon:
        assert sign_up(anon, "/user/signup", "walk-in@example.com").status_code == 302
        assert anon.get("/api/current-user/whoami").json()["email"] == "walk-in@example.com"
    app.state.engine.dispose()


def test_resetting_the_invite_link_revokes_the_old_one(client, anon):
    old = client.get("/api/invite").json()
    assert client.get("/api/invite").json()["token"] == old["token"]  # stable until reset
    new = client.post("/api/invite/reset-token").json()
    assert new["token"] != old["token"]
    assert anon.get(old["invite_url"]).status_code == 403
    assert sign_up(anon, new["invite_url"], "joiner@example.com").status_code == 302


def test_a_login_flood_is_paused_with_429_and_retry_after(client, anon):
    statuses = [login(anon, password=f"wrong-{i}").status_code for i in range(12)]
    assert statuses[0] == 400 and statuses[-1] == 429
    paused = login(anon)  # the right password waits too, or guessing could go on
    assert paused.status_code == 429
    assert int(paused.headers["Retry-After"]) > 0
    assert re.search(r"Try again in \d+ (seconds|minutes?)", paused.text)
    # Another account from another address is not paused by this one.
    other = TestClient(client.app, client=("10.9.8.7", 5000))
    client.post("/api/users", json={"email": "bee@example.com", "password": "bee-password-1"})
    assert login(other, "bee@example.com", "bee-password-1").status_code == 302


def test_many_accounts_from_one_address_are_paused(client, anon):
    for i in range(50):
        login(anon, f"nobody{i}@example.com", "wrong-password")
    assert login(anon).status_code == 429


class CountingHasher(PasswordHasher):
    calls = 0

    def verify(self, hash, password):
        CountingHasher.calls += 1
        return super().verify(hash, password)


def test_an_unknown_email_costs_a_password_check_too(client, anon, monkeypatch):
    monkeypatch.setattr(auth, "_hasher", CountingHasher(time_cost=1, memory_cost=1024, parallelism=1))
    CountingHasher.calls = 0
    login(anon, "admin@example.com", "wrong-password")
    known = CountingHasher.calls
    login(anon, "nobody@example.com", "wrong-password")
    assert known == 1 and CountingHasher.calls == 2


def test_emails_are_one_account_whatever_their_case_and_must_look_like_emails(client, anon):
    r = client.post("/api/users", json={"email": "ADMIN@EXAMPLE.COM", "password": "another-pw-1"})
    assert r.status_code == 409 and "already exists" in r.json()["detail"]
    for bad in ("@", "a@", "@b.c", "a b@c.d", "a@b..c"):
        r = client.post("/api/users", json={"email": bad, "password": "another-pw-1"})
        assert r.status_code == 400 and "valid email" in r.json()["validation_errors"]["email"][0], bad
    assert login(anon, "Admin@Example.COM").status_code == 302


def test_a_duplicate_username_is_a_400(client):
    assert client.post("/api/users", json={"email": "c@example.com", "username": "cee",
                                           "password": "cee-password"}).status_code == 201
    r = client.post("/api/users", json={"email": "d@example.com", "username": "CEE", "password": "dee-password"})
    assert r.status_code == 400 and "taken" in r.json()["validation_errors"]["username"][0]
    me = client.get("/api/current-user/whoami").json()
    r = client.patch(f"/api/users/{me['id']}", json={"username": "cee"})
    assert r.status_code == 400


def test_a_password_change_needs_the_current_one_and_ends_other_sessions(client, app):
    with TestClient(app) as here, TestClient(app) as elsewhere:
        assert login(here).status_code == 302 and login(elsewhere).status_code == 302
        csrf = {"X-CSRFToken": here.cookies["csrftoken"]}
        wrong = here.post("/api/current-user/password", headers=csrf,
                          json={"current_password": "not-it", "new_password": "changed-password"})
        assert wrong.status_code == 400
        assert wrong.json()["validation_errors"]["current_password"] == ["The current password is wrong."]
        r = here.post("/api/current-user/password", headers=csrf,
                      json={"current_password": "secret-password", "new_password": "changed-password"})
        assert r.status_code == 200
        assert here.get("/api/current-user/whoami").status_code == 200  # the session that changed it stays
        assert elsewhere.get("/api/current-user/whoami").status_code == 401
        me = client.get("/api/current-user/whoami").json()
        # PATCH /api/users/{id} with a password asks for the current one too.
        r = client.patch(f"/api/users/{me['id']}", json={"password": "third-password"})
        assert r.status_code == 400 and "current_password" in r.json()["validation_errors"]
    with TestClient(app) as fresh:
        assert login(fresh).status_code == 400
        assert login(fresh, password="changed-password").status_code == 302


def test_the_owner_deactivates_a_member_whose_sessions_and_token_end_at_once(client, app):
    bee = client.post("/api/users", json={"email": "bee@example.com", "password": "bee-password-1"}).json()
    assert bee["role"] == "AN"
    with TestClient(app) as browser:
        assert login(browser, "bee@example.com", "bee-password-1").status_code == 302
        bee_token = browser.get("/api/current-user/token").json()["token"]
        assert client.get("/api/current-user/whoami", headers={"Authorization": f"Token {bee_token}"}).status_code == 200
        org = client.get("/api/organizations").json()[0]["id"]
        r = client.patch(f"/api/organizations/{org}/memberships", json={"user_id": bee["id"], "role": "DI"})
        assert r.status_code == 200 and r.json()["role"] == "DI" and r.json()["active"] is False
        assert browser.get("/api/current-user/whoami").status_code == 401
        assert client.get("/api/current-user/whoami", headers={"Authorization": f"Token {bee_token}"}).status_code == 401
        assert login(browser, "bee@example.com", "bee-password-1").status_code == 400
        members = client.get(f"/api/organizations/{org}/memberships").json()
        assert members["count"] == 2
        assert {m["user"]["email"]: m["role"] for m in members["results"]} == {
            "admin@example.com": "OW", "bee@example.com": "DI"}
        # Reactivated, the member logs in again with a fresh token; the old one stays dead.
        client.patch(f"/api/organizations/{org}/memberships", json={"user_id": bee["id"], "role": "AN"})
        assert login(browser, "bee@example.com", "bee-password-1").status_code == 302
        assert browser.get("/api/current-user/token").json()["token"] != bee_token


def test_members_and_invites_are_for_the_owner_and_administrators(client, app):
    client.post("/api/users", json={"email": "ann@example.com", "password": "ann-password-1"})
    admin_id = client.get("/api/current-user/whoami").json()["id"]
    org = client.get("/api/organizations").json()[0]["id"]
    with TestClient(app) as ann:
        login(ann, "ann@example.com", "ann-password-1")
        ann.headers["X-CSRFToken"] = ann.cookies["csrftoken"]
        assert ann.get("/api/invite").status_code == 403
        assert ann.post("/api/invite/reset-token").status_code == 403
        r = ann.patch(f"/api/organizations/{org}/memberships", json={"user_id": admin_id, "role": "DI"})
        assert r.status_code == 403
        assert ann.post("/api/users", json={"email": "x@example.com", "password": "x-password"}).status_code == 403
        assert ann.get(f"/api/organizations/{org}/memberships").status_code == 200  # who is on the team is no secret
        # Label Studio lets any member delete anyone; here removing a member is the owner's and administrators'.
        assert ann.delete(f"/api/users/{admin_id}").status_code == 403
        assert ann.delete(f"/api/organizations/{org}/memberships/{admin_id}").status_code == 403
        assert ann.get(f"/api/organizations/{org}").json()["token"] is None  # the invite token is theirs too
    # Nobody changes the owner's role, nor their own.
    r = client.patch(f"/api/organizations/{org}/memberships", json={"user_id": admin_id, "role": "DI"})
    assert r.status_code == 403
    # The owner removes a member: deactivated, listed as such.
    ann_id = next(m["user"]["id"] for m in client.get(f"/api/organizations/{org}/memberships").json()["results"]
                  if m["user"]["email"] == "ann@example.com")
    invite = client.get("/api/invite").json()["token"]
    assert client.get(f"/api/organizations/{org}").json()["token"] == invite
    assert client.delete(f"/api/users/{ann_id}").status_code == 204
    assert client.get(f"/api/organizations/{org}/memberships/{ann_id}").json()["role"] == "DI"


def test_the_sdk_lists_members_and_reads_the_invite(client):
    pytest.importorskip("label_studio_sdk")
    from label_studio_sdk.client import LabelStudio

    sdk = LabelStudio(base_url="http://testserver", api_key=TOKEN, httpx_client=client)
    org = client.get("/api/organizations").json()[0]["id"]
    page = sdk.organizations.members.list(id=org)
    assert [m.user.email for m in page.items] == ["admin@example.com"]
    assert sdk.organizations.invites.get_invite_link().token == client.get("/api/invite").json()["token"]


def test_instructions_are_stored_without_scripts_or_handlers(client):
    html = ('<p style="color:red">Label <b>every</b> flower</p><a href="#" onerror=alert(1)>guide</a>'
            '<img src="x" onerror="alert(2)"><script>alert(3)</script><a href="javascript:alert(4)">j</a>')
    r = client.post("/api/projects", json={"title": "p", "expert_instruction": html})
    stored = r.json()["expert_instruction"]
    for bad in ("onerror", "<script", "javascript:", "alert(3)"):
        assert bad not in stored
    assert '<p style="color:red">Label <b>every</b> flower</p>' in stored and ">guide</a>" in stored
    again = client.patch(f"/api/projects/{r.json()['id']}", json={"expert_instruction": '<i onclick="x()">i</i>'})
    assert again.json()["expert_instruction"] == "<i>i</i>"
