"""Browser sessions with CSRF protection, API tokens, and the routes that need no auth."""
import re

from conftest import TOKEN


def login(anon, email="admin@example.com", password="secret-password"):
    page = anon.get("/user/login")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return anon.post("/user/login", data={"email": email, "password": password, "csrfmiddlewaretoken": csrf},
                     follow_redirects=False)


def test_session_login_then_api_calls_with_csrf_header(anon):
    r = login(anon)
    assert r.status_code == 302
    assert anon.get("/api/current-user/whoami").json()["email"] == "admin@example.com"
    # A write with only the cookie (what a cross-site form could send) is refused.
    refused = anon.post("/api/projects", json={"title": "x"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    created = anon.post("/api/projects", json={"title": "x"}, headers={"X-CSRFToken": anon.cookies["csrftoken"]})
    assert created.status_code == 201
    anon.get("/user/logout")
    assert anon.get("/api/current-user/whoami").status_code == 401


def test_wrong_password_and_missing_csrf_are_refused(anon):
    assert login(anon, password="not-the-password").status_code == 400
    assert "Wrong email or password" in login(anon, password="not-the-password").text
    anon.cookies.clear()
    r = anon.post("/user/login", data={"email": "admin@example.com", "password": "secret-password"})
    assert r.status_code == 403
    assert anon.get("/api/current-user/whoami").status_code == 401


def test_signup_through_the_invite_link_creates_an_annotator_with_its_own_token(client, anon):
    invite = client.get("/api/invite").json()
    assert invite["invite_url"] == f"/user/signup/?token={invite['token']}"
    page = anon.get(invite["invite_url"])
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = anon.post(invite["invite_url"], data={"email": "new@example.com", "password": "brand-new-pw",
                                              "csrfmiddlewaretoken": csrf}, follow_redirects=False)
    assert r.status_code == 302
    token = anon.get("/api/current-user/token").json()["token"]
    assert re.fullmatch(r"[0-9a-f]{40}", token) and token != TOKEN
    assert anon.get("/api/current-user/whoami").json()["role"] == "AN"


def test_signup_states_the_password_rule_and_pages_have_an_icon(client, anon):
    signup, login = anon.get(client.get("/api/invite").json()["invite_url"]).text, anon.get("/user/login").text
    assert 'id="password-hint">At least 8 characters.</p>' in signup
    assert 'aria-describedby="password-hint"' in signup
    assert "At least 8 characters" not in login  # an existing password is what it is
    for page in (signup, login):  # no request for a missing /favicon.ico
        assert '<link rel="icon" href="data:image/svg+xml' in page


def test_token_reset_invalidates_the_old_token(client):
    new = client.post("/api/current-user/reset-token").json()["token"]
    assert re.fullmatch(r"[0-9a-f]{40}", new)
    assert client.get("/api/current-user/whoami").status_code == 401
    r = client.get("/api/current-user/whoami", headers={"Authorization": f"Token {new}"})
    assert r.json()["email"] == "admin@example.com"


def test_only_health_and_version_are_open(anon):
    assert anon.get("/health").status_code == 200
    assert anon.get("/api/version").status_code == 200
    for path in ("/api/projects", "/api/tasks?project=1", "/api/users", "/api/current-user/whoami",
                 "/api/dm/views?project=1", "/data/upload/1/x.png", "/api/projects/1/export"):
        r = anon.get(path)
        assert r.status_code == 401, path
        assert set(r.json()) >= {"id", "status_code", "version", "detail", "exc_info"}


def test_home_redirects_to_login_then_shows_the_token(anon):
    r = anon.get("/", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/user/login"
    login(anon)
    from labelhive.routes import spa

    if spa.built():  # the web app takes over once it is built
        assert anon.get("/", follow_redirects=False).headers["location"] == "/projects"
        assert "<div id=\"root\"" in anon.get("/projects").text
    else:
        page = anon.get("/")
        assert "admin@example.com" in page.text and TOKEN in page.text


def test_login_returns_to_the_page_asked_for_but_never_off_site(anon):
    cases = (("/projects/3", "/projects/3"), ("/projects/3/label/9?view=2", "/projects/3/label/9?view=2"),
             ("https://evil.example/x", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
             ("/%09/evil.example", "/"))
    for target, expected in cases:
        anon.cookies.clear()
        page = anon.get("/user/login")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = anon.post(f"/user/login?next={target}", follow_redirects=False,
                      data={"email": "admin@example.com", "password": "secret-password", "csrfmiddlewaretoken": csrf})
        assert r.headers["location"] == expected
