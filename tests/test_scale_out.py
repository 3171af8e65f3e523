"""LabelHive grown past one process (issue 16): PostgreSQL and Redis on loopback, two `labelhive start`
processes on two ports, two `labelhive worker` processes. What one web process writes the other reads; an
export whose worker is killed -9 is taken over by the other worker and completes; a token reset on one web
process is refused by the other at once; both report the same job progress, read from the job's row."""
import os
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from export_helpers import DETECTION
from server import free_port, live_server, pg_schema

PG_URL = os.environ.get("LABELHIVE_TEST_DATABASE_URL")
TASKS = 60_000  # big enough that the export is still being written when its worker is killed


@contextmanager
def private_redis(tmp_path: Path):
    """A redis-server of this test's own: RQ's queue names are fixed, so a shared one would mix jobs."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (Debian package redis-server)")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    from redis import Redis
    deadline = time.monotonic() + 10
    while True:
        try:
            Redis.from_url(url).ping()
            break
        except Exception:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait()


def start_worker(data_dir: Path, env: dict, queues: str | None, log: Path) -> subprocess.Popen:
    script = Path(sys.executable).with_name("labelhive")
    args = [str(script), "worker", "--data-dir", str(data_dir)] + (["--queues", queues] if queues else [])
    with open(log, "ab") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_two_web_processes_and_two_workers_on_postgresql_and_redis(tmp_path):
    if not PG_URL:
        pytest.skip("PostgreSQL runs need LABELHIVE_TEST_DATABASE_URL (CI sets it)")
    data = tmp_path / "data"  # one data directory: the media and export files every node sees
    with private_redis(tmp_path) as redis_url, pg_schema(PG_URL, f"lh_scale_{uuid.uuid4().hex[:8]}") as db_url:
        # Short enough for a quick takeover, long enough that a busy machine still renews it in time.
        settings = {"LABELHIVE_REDIS_URL": redis_url, "LABELHIVE_JOB_LEASE_S": "5"}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELHIVE_", "LABEL_STUDIO_"))}
        env.update(settings, LABELHIVE_DATABASE_URL=db_url)
        with live_server(data, database_url=db_url, extra_env=settings) as a, \
                live_server(data, database_url=db_url, extra_env=settings) as b:
            headers = b.headers  # the second start set the first user's token to its own
            first = start_worker(data, env, "default", data / "worker-1.log")
            second = None
            try:
                with httpx.Client(base_url=a.url, headers=headers, timeout=120) as on_a, \
                        httpx.Client(base_url=b.url, headers=headers, timeout=120) as on_b:
                    pid = on_a.post("/api/projects", json={"title": "Made on A", "label_config": DETECTION}).json()["id"]
                    assert on_b.get(f"/api/projects/{pid}").json()["title"] == "Made on A"
                    rows = [{"image": f"img-{i}.jpg", "note": "x" * 200} for i in range(TASKS)]
                    on_b.post(f"/api/projects/{pid}/import", json=rows).raise_for_status()

                    eid = on_a.post(f"/api/projects/{pid}/exports", json={}).json()["id"]
                    url = f"/api/projects/{pid}/exports/{eid}"
                    # The only worker so far takes it: progress shows on both web processes, read from the row.
                    running = wait_for(lambda: (lambda s: s if s["counters"].get("task_number") else None)(
                        on_b.get(url).json()), 60, "the first worker to make progress")
                    assert running["status"] == "in_progress"
                    seen_a, seen_b, seen_a_after = (on_a.get(url).json(), on_b.get(url).json(),
                                                    on_a.get(url).json())
                    assert seen_b["counters"]["total"] == seen_a["counters"]["total"] == TASKS
                    assert (seen_a["counters"]["task_number"] <= seen_b["counters"]["task_number"]
                            <= seen_a_after["counters"]["task_number"])

                    second = start_worker(data, env, None, data / "worker-2.log")  # both queues, a process each
                    first.kill()  # SIGKILL mid-export: nobody renews its lease any more
                    first.wait()
                    done = wait_for(lambda: (lambda s: s if s["status"] != "in_progress" else None)(
                        on_b.get(url).json()), 120, "the export to be taken over and finish")
                    assert done["status"] == "completed", done
                    assert done["counters"]["task_number"] == TASKS
                    exported = on_a.get(f"{url}/download").json()
                    assert len(exported) == TASKS and exported[-1]["data"]["image"] == f"img-{TASKS - 1}.jpg"
                    assert on_a.get(url).json() == on_b.get(url).json()

                    # Credentials: a reset on A is refused by B at once, though B has the old token cached.
                    new = on_a.post("/api/current-user/reset-token").json()["token"]
                    assert on_b.get(f"/api/projects/{pid}").status_code == 401
                    fresh = {"Authorization": f"Token {new}"}
                    assert httpx.get(f"{b.url}/api/projects/{pid}", headers=fresh).status_code == 200
            finally:
                for proc in (first, second):
                    if proc is not None and proc.poll() is None:
                        proc.terminate()
                        proc.wait(timeout=30)
        assert not list((data / "export").glob("*.part"))


def test_login_throttle_is_shared_by_web_processes_through_redis(tmp_path):
    """Wrong passwords sent to one web process count on the other too: with Redis the throttle is one for all,
    so several processes do not multiply the allowance."""
    from labelhive.services.login_throttle import ACCOUNT_LIMIT

    data = tmp_path / "data"
    with private_redis(tmp_path) as redis_url:
        settings = {"LABELHIVE_REDIS_URL": redis_url}
        with live_server(data, extra_env=settings) as a, live_server(data, extra_env=settings) as b:
            def attempt(server) -> int:
                with httpx.Client(base_url=server.url, timeout=30) as c:
                    csrf = c.get("/user/login").cookies["csrftoken"]
                    return c.post("/user/login", data={"email": "admin@example.com", "password": "not-it",
                                                       "csrfmiddlewaretoken": csrf}).status_code
            codes = [attempt(a if i % 2 else b) for i in range(ACCOUNT_LIMIT)]
            assert codes == [400] * ACCOUNT_LIMIT
            assert attempt(a) == 429 and attempt(b) == 429
