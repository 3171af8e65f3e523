"""Two `labelhive start` processes on one database, as behind a load balancer (issue 16): what one writes the
other reads, and a credential revoked on one is refused by the other at once, although both had it cached."""
import os
import uuid

import httpx
import pytest

from server import live_server, pg_schema

PG_URL = os.environ.get("LABELHIVE_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def two_servers(request, tmp_path):
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL runs need LABELHIVE_TEST_DATABASE_URL (CI sets it)")
        with pg_schema(PG_URL, f"lh_multi_{uuid.uuid4().hex[:8]}") as url:
            with live_server(tmp_path / "a", database_url=url) as a, live_server(tmp_path / "b", database_url=url) as b:
                yield a, b
    else:
        data = tmp_path / "data"  # one SQLite file, two processes
        with live_server(data) as a, live_server(data) as b:
            yield a, b


def test_a_reset_token_is_refused_by_the_other_process_at_once(two_servers):
    a, b = two_servers
    # The second start set the first user's token to its own.
    token = httpx.get(f"{a.url}/api/current-user/token", headers=b.headers).json()["token"]
    old = {"Authorization": f"Token {token}"}
    pid = httpx.post(f"{a.url}/api/projects", headers=old, json={"title": "Made on A"}).json()["id"]
    # B reads what A wrote, and now has the token cached.
    assert httpx.get(f"{b.url}/api/projects/{pid}", headers=old).json()["title"] == "Made on A"
    new = httpx.post(f"{a.url}/api/current-user/reset-token", headers=old).json()["token"]
    r = httpx.get(f"{b.url}/api/projects/{pid}", headers=old)
    assert r.status_code == 401, r.text
    assert httpx.get(f"{b.url}/api/projects/{pid}", headers={"Authorization": f"Token {new}"}).status_code == 200


def test_start_with_workers_serves_from_several_processes(tmp_path):
    """`labelhive start --workers 3`: three web processes behind one port, sharing one SQLite file."""
    with live_server(tmp_path / "data", extra_args=("--workers", "3")) as server:
        children = [p for p in os.listdir("/proc") if p.isdigit() and _parent_of(p) == server.process.pid]
        cmdlines = [open(f"/proc/{p}/cmdline", "rb").read() for p in children]
        assert sum(b"multiprocessing" in c and b"spawn_main" in c for c in cmdlines) == 3, cmdlines
        with httpx.Client(base_url=server.url, headers=server.headers) as api:
            ids = [api.post("/api/projects", json={"title": f"P{i}"}).json()["id"] for i in range(12)]
            listed = api.get("/api/projects", params={"page_size": 100}).json()["results"]
            assert {p["id"] for p in listed} >= set(ids)


def _parent_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def test_sync_progress_is_reported_by_the_other_process(tmp_path):
    """Without Redis, two web processes on one data dir: a background sync started on A shows its progress
    (meta.progress) when the storage is read from B, and B sees it finish."""
    import time

    root = tmp_path / "home"
    folder = root / "many"
    folder.mkdir(parents=True)
    for i in range(20_000):
        (folder / f"{i:05}.txt").write_text("x")
    env = {"LABELHIVE_LOCAL_FILES_ROOT": str(root)}
    with live_server(tmp_path / "data", extra_env=env) as a, live_server(tmp_path / "data", extra_env=env) as b:
        headers = b.headers
        pid = httpx.post(f"{a.url}/api/projects", headers=headers, json={"title": "Many"}).json()["id"]
        sid = httpx.post(f"{a.url}/api/storages/localfiles", headers=headers, json={
            "project": pid, "path": str(folder), "use_blob_urls": True}).json()["id"]
        started = httpx.post(f"{a.url}/api/storages/localfiles/{sid}/sync?background=true", headers=headers)
        assert started.status_code == 200, started.text
        seen, deadline = [], time.monotonic() + 120
        with httpx.Client(base_url=b.url, headers=headers) as on_b:
            while (s := on_b.get(f"/api/storages/localfiles/{sid}").json())["status"] in ("queued", "in_progress"):
                if s["meta"].get("progress"):
                    seen.append(s["meta"]["progress"])
                assert time.monotonic() < deadline, "the sync did not finish"
                time.sleep(0.01)
        assert s["status"] == "completed" and "progress" not in s["meta"] and s["meta"]["tasks_existed"] == 0, s
        assert seen and {p["phase"] for p in seen} <= {"queued", "scanning", "importing"}, seen
        total = httpx.get(f"{b.url}/api/tasks", params={"project": pid, "page_size": 1}, headers=headers).json()
        assert total["total"] == 20_000
