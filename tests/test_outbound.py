"""The outbound guard (services/outbound) on every server-side fetch: real sockets on loopback, where a
refused address is one whose listener must never see a connection."""
import dataclasses
import io
import json
import socket
import threading

import pytest
from PIL import Image

from conftest import FLOWERS
from labelhive.errors import ValidationFailed
from labelhive.services import import_files, thumbnails
from labelhive.services.webhooks import deliver

LIMIT_MB = 0.25


@pytest.fixture
def settings(settings):
    """A small upload limit, so that the size test sends kilobytes."""
    return dataclasses.replace(settings, max_upload_mb=LIMIT_MB)


@pytest.fixture(autouse=True)
def default_policy(monkeypatch):
    for name in ("LABELHIVE_OUTBOUND_ALLOW", "LABELHIVE_OUTBOUND_PRIVATE", "LABELHIVE_ML_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)


class Listener:
    """A TCP server on a loopback address that counts connections and hands each one to `answer`
    (on its own thread). `answer` gets the socket after the request's headers were read."""

    def __init__(self, answer, host="127.0.0.1"):
        self.answer, self.connections, self.requests, self.done = answer, 0, [], threading.Event()
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                self.requests.append(data.decode("latin-1"))
                self.answer(conn, self)
            except OSError:
                pass

    def close(self):
        """Stop listening: later connections are refused (close alone would leave a blocked accept() running)."""
        self.done.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def redirect_to(location):
    def answer(conn, _):
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n".encode())
    return answer


def serve(body: bytes, ctype="application/json"):
    def answer(conn, _):
        conn.sendall(f'HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\nETag: "v1"\r\n'
                     "Connection: close\r\n\r\n".encode() + body)
    return answer


def silent(conn, listener):
    listener.done.wait(30)


def trickle(conn, listener):
    """The answer one byte a second, status line included."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]":
        conn.sendall(bytes([byte]))
        if listener.done.wait(1):
            return


def endless(conn, listener):
    """A body with no Content-Length that goes on until the client hangs up."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[")
    while not listener.done.is_set():
        conn.sendall(b'{"image_path": "x.jpg"},' * 1000)


@pytest.fixture
def listen():
    made = []

    def make(answer, host="127.0.0.1"):
        made.append(Listener(answer, host))
        return made[-1]
    yield make
    for listener in made:
        listener.close()


@pytest.fixture
def pid(client):
    return client.post("/api/projects", json={"title": "F", "label_config": FLOWERS}).json()["id"]


def import_url(client, pid, url):
    return client.post(f"/api/projects/{pid}/import", data={"url": url})


def task_count(client, pid):
    return client.get(f"/api/projects/{pid}").json()["task_number"]


def test_a_redirect_to_the_metadata_service_is_refused_at_that_hop(client, pid, listen):
    redirector = listen(redirect_to("http://169.254.169.254/latest/meta-data/"))
    r = import_url(client, pid, f"{redirector.url}/tasks.json")
    assert r.status_code == 400, r.text
    detail = r.json()["detail"]
    assert detail.startswith(f"Could not fetch {redirector.url}/tasks.json: it redirected to "
                             "http://169.254.169.254/latest/meta-data/; the address 169.254.169.254 is not allowed")
    assert "LABELHIVE_OUTBOUND_ALLOW=169.254.169.254" in detail
    assert redirector.connections == 1 and task_count(client, pid) == 0


def test_a_redirect_to_an_ipv4_mapped_address_never_connects(client, pid, listen, monkeypatch):
    monkeypatch.setenv("LABELHIVE_OUTBOUND_PRIVATE", "deny")
    monkeypatch.setenv("LABELHIVE_OUTBOUND_ALLOW", "127.0.0.2")
    target = listen(serve(b'[{"image_path": "a.jpg"}]'))
    redirector = listen(redirect_to(f"http://[::ffff:127.0.0.1]:{target.port}/tasks.json"), host="127.0.0.2")
    r = import_url(client, pid, f"{redirector.url}/tasks.json")
    assert r.status_code == 400 and "the address ::ffff:7f00:1 (127.0.0.1) is not allowed" in r.json()["detail"]
    assert "it redirected to http://[::ffff:127.0.0.1]" in r.json()["detail"]
    assert (redirector.connections, target.connections, task_count(client, pid)) == (1, 0, 0)
    # The target is reachable when allowed, so the 0 above is the guard's doing.
    monkeypatch.setenv("LABELHIVE_OUTBOUND_ALLOW", "127.0.0.2,127.0.0.1")
    assert import_url(client, pid, f"{redirector.url}/tasks.json").status_code == 201
    assert target.connections == 1 and task_count(client, pid) == 1


def test_thumbnails_are_guarded_at_every_hop(client, pid, listen, monkeypatch):
    to_metadata = listen(redirect_to("http://169.254.169.254/latest/meta-data/"))
    target = listen(serve(b"not reached", "image/png"))
    to_mapped = listen(redirect_to(f"http://[::ffff:127.0.0.1]:{target.port}/a.png"), host="127.0.0.2")
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"image_path": f"{to_metadata.url}/a.png"}, {"image_path": f"{to_mapped.url}/a.png"}]).json()["task_ids"]
    r = client.get(f"/api/tasks/{ids[0]}/thumbnail?field=image_path&size=64")
    assert r.status_code == 404 and "169.254.169.254 is not allowed" in r.json()["detail"]
    monkeypatch.setenv("LABELHIVE_OUTBOUND_PRIVATE", "deny")
    monkeypatch.setenv("LABELHIVE_OUTBOUND_ALLOW", "127.0.0.2")
    r = client.get(f"/api/tasks/{ids[1]}/thumbnail?field=image_path&size=64")
    assert r.status_code == 404 and "(127.0.0.1) is not allowed" in r.json()["detail"]
    assert (to_mapped.connections, target.connections) == (1, 0)


def test_thumbnails_still_revalidate_and_keep_their_copy_while_the_source_is_down(client, pid, listen, monkeypatch):
    monkeypatch.setattr(thumbnails, "REVALIDATE_S", 0)
    monkeypatch.setattr(thumbnails.RecentThumbnails, "TTL_S", -1)  # every request reaches the source
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")

    def answer(conn, listener):
        if 'If-None-Match: "v1"' in listener.requests[-1]:
            conn.sendall(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nConnection: close\r\n\r\n')
        else:
            serve(out.getvalue(), "image/png")(conn, listener)
    source = listen(answer)
    (tid,) = client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                         json=[{"image_path": f"{source.url}/a.png"}]).json()["task_ids"]
    url = f"/api/tasks/{tid}/thumbnail?field=image_path&size=64"
    first = client.get(url)
    assert first.status_code == 200 and "If-None-Match" not in source.requests[0]
    assert client.get(url).content == first.content and 'If-None-Match: "v1"' in source.requests[1]
    source.close()
    assert client.get(url).content == first.content and source.connections == 2


def test_a_silent_server_and_a_closed_port_read_the_same(client, pid, listen, monkeypatch):
    monkeypatch.setattr(import_files, "URL_TIMEOUT_S", 1)
    quiet = listen(silent)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    closed_url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    try:
        answers = [import_url(client, pid, f"{base}/t.json") for base in (quiet.url, closed_url)]
    finally:
        closed.close()
    assert [a.status_code for a in answers] == [400, 400] and quiet.connections == 1
    quiet_detail, closed_detail = (a.json()["detail"] for a in answers)
    assert quiet_detail == f"Could not fetch {quiet.url}/t.json: no answer from the server."
    assert closed_detail.replace(closed_url, quiet.url) == quiet_detail


def test_a_server_trickling_its_answer_is_cut_off_at_the_deadline(client, pid, listen, monkeypatch):
    monkeypatch.setattr(import_files, "URL_TIMEOUT_S", 1.5)
    slow = listen(trickle)
    r = import_url(client, pid, f"{slow.url}/t.json")
    assert r.status_code == 400
    assert r.json()["detail"] == f"Could not fetch {slow.url}/t.json: it took longer than 1.5 s."
    assert task_count(client, pid) == 0


def test_an_answer_over_the_size_limit_is_refused_and_nothing_imported(client, pid, listen):
    stream = listen(endless)
    declared = listen(serve(b"[" + b'{"image_path": "x.jpg"},' * 20000 + b"{}]"))
    for source in (stream, declared):
        r = import_url(client, pid, f"{source.url}/t.json")
        assert r.status_code == 413, r.text
        assert f"the response is larger than {LIMIT_MB * 1024:g} KB" in r.json()["detail"]
        assert "LABELHIVE_MAX_UPLOAD_MB" in r.json()["detail"]
    assert task_count(client, pid) == 0


@pytest.mark.parametrize("url, shown", [
    ("http://169.254.169.254/latest/meta-data/", "the address 169.254.169.254 is not allowed: link-local"),
    ("http://[::ffff:169.254.169.254]/", "the address ::ffff:a9fe:a9fe (169.254.169.254) is not allowed: link-local"),
    ("http://100.100.100.200/", "the address 100.100.100.200 is not allowed: it is a cloud metadata"),
    ("http://[fd00:ec2::254]/", "the address fd00:ec2::254 is not allowed: it is a cloud metadata"),
    ("http://0.0.0.0:{port}/", "the address 0.0.0.0 is not allowed: the unspecified address"),
    ("http://[::]:{port}/", "the address :: is not allowed: the unspecified address"),
    ("http://224.0.0.1:{port}/", "the address 224.0.0.1 is not allowed: multicast"),
])
def test_refused_literal_addresses(client, pid, listen, url, shown):
    """0.0.0.0 and :: reach a listener on 127.0.0.1, so without the guard the listener would see them."""
    local = listen(serve(b'[{"image_path": "a.jpg"}]'))
    r = import_url(client, pid, url.format(port=local.port))
    assert r.status_code == 400 and shown in r.json()["detail"], r.text
    assert local.connections == 0 and task_count(client, pid) == 0


def test_loopback_is_allowed_by_default_and_private_deny_refuses_it_until_listed(client, pid, listen, monkeypatch):
    tasks = listen(serve(b'[{"image_path": "a.jpg"}, {"image_path": "b.jpg"}]'))
    r = import_url(client, pid, f"{tasks.url}/tasks.json")
    assert r.status_code == 201 and r.json()["task_count"] == 2
    monkeypatch.setenv("LABELHIVE_OUTBOUND_PRIVATE", "deny")
    for url in (f"{tasks.url}/tasks.json", f"http://localhost:{tasks.port}/tasks.json"):
        r = import_url(client, pid, url)
        assert r.status_code == 400 and "the address 127.0.0.1" in r.json()["detail"]
        assert "loopback addresses are refused (LABELHIVE_OUTBOUND_PRIVATE=deny)" in r.json()["detail"]
    assert "of localhost" in r.json()["detail"]  # a host name says what it resolved to
    assert tasks.connections == 1
    monkeypatch.setenv("LABELHIVE_OUTBOUND_ALLOW", "127.0.0.1")
    assert import_url(client, pid, f"{tasks.url}/tasks.json").status_code == 201
    assert tasks.connections == 2 and task_count(client, pid) == 4


def test_allowed_redirects_are_followed_at_most_five_times(client, pid, listen):
    tasks = listen(serve(b'[{"image_path": "a.jpg"}]'))
    hop = listen(redirect_to(f"{tasks.url}/tasks.json"))
    assert import_url(client, pid, f"{hop.url}/t.json").status_code == 201
    loop = listen(redirect_to("/again"))
    r = import_url(client, pid, f"{loop.url}/t.json")
    assert r.status_code == 400 and r.json()["detail"].endswith("too many redirects (more than 5).")
    assert loop.connections == 6 and task_count(client, pid) == 1


def test_s3_endpoint_on_a_refused_address_is_refused(client, pid):
    settings = {"project": pid, "bucket": "b", "s3_endpoint": "http://169.254.169.254", "region_name": "us-east-1",
                "aws_access_key_id": "k", "aws_secret_access_key": "s"}
    for path in ("/api/storages/s3/validate", "/api/storages/s3", "/api/storages/export/s3"):
        r = client.post(path, json=settings)
        assert r.status_code == 400, (path, r.text)
        assert "s3_endpoint http://169.254.169.254 cannot be used: the address 169.254.169.254 is not allowed" in \
            r.json()["detail"]
    assert client.get(f"/api/storages?project={pid}").json() == []


def test_webhook_deliveries_are_checked_when_made(listen, monkeypatch, caplog):
    receiver = listen(serve(b"{}"))
    assert deliver(f"{receiver.url}/hook", {}, b"{}", delays=()) == {"status_code": 200}
    monkeypatch.setenv("LABELHIVE_OUTBOUND_PRIVATE", "deny")  # as if set after the hook was saved
    with caplog.at_level("WARNING", logger="labelhive.webhooks"), pytest.raises(ValidationFailed) as failed:
        deliver(f"{receiver.url}/hook", {}, b"{}", delays=(0, 0))
    assert "not delivered after 1 attempt(s)" in failed.value.detail and "is not allowed" in failed.value.detail
    attempts = [r.getMessage() for r in caplog.records if "failed (attempt" in r.getMessage()]
    assert len(attempts) == 1 and "is not allowed" in attempts[0]  # a refusal is not retried
    assert receiver.connections == 1


def test_ml_allowed_hosts_keeps_its_meaning_for_ml_backends_and_webhooks_only(client, pid, listen, monkeypatch):
    monkeypatch.setenv("LABELHIVE_ML_ALLOWED_HOSTS", "10.0.0.0/8")
    backend = listen(serve(json.dumps({"status": "UP"}).encode()))
    r = client.post("/api/ml", json={"project": pid, "url": backend.url})
    assert r.status_code == 400 and "not in LABELHIVE_ML_ALLOWED_HOSTS" in str(r.json())
    with pytest.raises(ValidationFailed, match="not in LABELHIVE_ML_ALLOWED_HOSTS"):
        deliver(f"{backend.url}/webhook", {}, b"{}", delays=())
    assert backend.connections == 0
    import_url(client, pid, f"{backend.url}/t.json")  # other fetches are not limited by it
    assert backend.connections == 1
