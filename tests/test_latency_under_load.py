"""Nothing one client does stalls the others (issue 16). On a live server (SQLite, the default), while
  - an import from a URL whose server answers one byte at a time,
  - four clients posting wrong passwords to the login form,
  - and a CSV upload of a million rows
are under way, another client's GET /api/version and annotation saves all succeed, and the imports complete.
Timings are printed (benchmarks/latency_bench.py measures them at full size); only outcomes are asserted."""
import csv
import io
import statistics
import threading
import time

import httpx

from load_helpers import flood_wrong_passwords, trickling_server
from server import live_server

CSV_ROWS = 1_000_000  # the size: about a minute of import on this machine
CONFIG = ('<View><Text name="text" value="$text"/><Choices name="c" toName="text">'
          '<Choice value="yes"/><Choice value="no"/></Choices></View>')


def test_version_and_saves_stay_up_during_slow_imports_password_floods_and_a_big_csv(tmp_path):
    with live_server(tmp_path / "data", extra_env={"LABELHIVE_OUTBOUND_PRIVATE": "allow"}) as server, \
            httpx.Client(base_url=server.url, headers=server.headers, timeout=120) as api:
        pid = api.post("/api/projects", json={"title": "Load", "label_config": CONFIG}).json()["id"]
        task_ids = api.post(f"/api/projects/{pid}/import?return_task_ids=true",
                            json=[{"text": f"t{i}"} for i in range(20)]).json()["task_ids"]
        slow_body = b'[{"text": "from a slow server"}]'
        slow_url, stop = trickling_server(slow_body, byte_delay=0.1)
        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["text", "n"])
        writer.writerows([f"row {i}", i] for i in range(CSV_ROWS))
        results: dict[str, httpx.Response] = {}

        def slow_import():
            with httpx.Client(base_url=server.url, headers=server.headers, timeout=120) as c:
                results["url"] = c.post(f"/api/projects/{pid}/import", data={"url": slow_url})

        def big_csv():
            with httpx.Client(base_url=server.url, headers=server.headers, timeout=900) as c:
                results["csv"] = c.post(f"/api/projects/{pid}/import",
                                        files={"file": ("big.csv", rows.getvalue().encode(), "text/csv")})

        done, login_codes = threading.Event(), []
        load = [threading.Thread(target=slow_import), threading.Thread(target=big_csv)] + [
            threading.Thread(target=flood_wrong_passwords, args=(server.url, done, login_codes)) for _ in range(4)]
        for t in load:
            t.start()
        version_ms, save_ms, failures = [], [], []
        result = [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["yes"]}}]
        try:
            i = 0
            while load[0].is_alive() or load[1].is_alive():
                t0 = time.perf_counter()
                r = api.get("/api/version")
                version_ms.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    failures.append(("version", r.status_code, r.text[:200]))
                t0 = time.perf_counter()
                r = api.post(f"/api/tasks/{task_ids[i % len(task_ids)]}/annotations", json={"result": result})
                save_ms.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 201:
                    failures.append(("save", r.status_code, r.text[:200]))
                i += 1
                assert i < 50_000, "the imports never finished"
                time.sleep(0.01)
        finally:
            done.set()
            for t in load:
                t.join(timeout=900)
            stop()

        for name, ms in (("GET /api/version", version_ms), ("annotation save", save_ms)):
            ranked = sorted(ms)
            print(f"{name}: n={len(ms)} p50={statistics.median(ms):.1f} ms "
                  f"p99={ranked[int(0.99 * (len(ranked) - 1))]:.1f} ms max={ranked[-1]:.1f} ms")
        assert failures == []
        assert results["url"].status_code == 201, results["url"].text
        assert results["url"].json()["task_count"] == 1
        assert results["csv"].status_code == 201, results["csv"].text
        assert results["csv"].json()["task_count"] == CSV_ROWS
        assert login_codes and set(login_codes) <= {400, 429}  # refused, never an error
        assert api.get("/api/tasks", params={"project": pid, "page_size": 1}).json()["total"] == 20 + 1 + CSV_ROWS
