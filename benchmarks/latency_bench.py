"""What other users feel while one client loads the server (issue 16): GET /api/version and annotation saves
from a second client, p50/p99/max, with nothing else going on and then during each kind of load:

  - an import from a URL whose server answers one byte per second,
  - four clients posting wrong passwords to the login form,
  - a CSV import of a million rows (one multipart upload).

    .venv/bin/python benchmarks/latency_bench.py [--rows 1000000] [--seconds 10] [--database-url URL]

A fresh `labelhive start` (SQLite unless --database-url) per run. Each phase measures for --seconds, except the
CSV one, which measures until the import answers. Failures (any non-2xx answer) are counted and printed.
"""
import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from load_helpers import flood_wrong_passwords, trickling_server  # noqa: E402
from server import live_server  # noqa: E402

CONFIG = ('<View><Text name="text" value="$text"/><Choices name="c" toName="text">'
          '<Choice value="yes"/><Choice value="no"/></Choices></View>')
RESULT = [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["yes"]}}]


def measure(api: httpx.Client, task_ids: list[int], keep_going) -> dict:
    version, save, failures, i = [], [], 0, 0
    while keep_going():
        t0 = time.perf_counter()
        ok = api.get("/api/version").status_code == 200
        version.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        ok &= api.post(f"/api/tasks/{task_ids[i % len(task_ids)]}/annotations",
                       json={"result": RESULT}).status_code == 201
        save.append((time.perf_counter() - t0) * 1000)
        failures += not ok
        i += 1
    return {"version": _stats(version), "save": _stats(save), "failures": failures}


def _stats(ms: list[float]) -> str:
    ranked = sorted(ms)
    return (f"{statistics.median(ranked):7.1f} {ranked[int(0.99 * (len(ranked) - 1))]:8.1f} {ranked[-1]:8.1f}"
            f"  (n={len(ranked)})")


def for_seconds(seconds: float):
    end = time.monotonic() + seconds
    return lambda: time.monotonic() < end


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["text", "n"])
    writer.writerows([f"row {i} of the big file", i] for i in range(args.rows))
    big_csv = rows.getvalue().encode()
    phases = {}
    with tempfile.TemporaryDirectory() as tmp, \
            live_server(Path(tmp) / "data", database_url=args.database_url,
                        extra_env={"LABELHIVE_MAX_UPLOAD_MB": "2000"}) as server, \
            httpx.Client(base_url=server.url, headers=server.headers, timeout=600) as api:
        pid = api.post("/api/projects", json={"title": "Load", "label_config": CONFIG}).json()["id"]
        task_ids = api.post(f"/api/projects/{pid}/import?return_task_ids=true",
                            json=[{"text": f"t{i}"} for i in range(50)]).json()["task_ids"]
        phases["nothing else"] = measure(api, task_ids, for_seconds(args.seconds))

        url, stop = trickling_server(b'[{"text": "from a server that sends a byte a second"}]', byte_delay=1.0)
        threading.Thread(target=lambda: httpx.post(f"{server.url}/api/projects/{pid}/import", data={"url": url},
                                                   headers=server.headers, timeout=600), daemon=True).start()
        phases["URL import, 1 byte/s"] = measure(api, task_ids, for_seconds(args.seconds))
        stop()

        done, codes = threading.Event(), []
        flooders = [threading.Thread(target=flood_wrong_passwords, args=(server.url, done, codes)) for _ in range(4)]
        for t in flooders:
            t.start()
        phases["4 clients, wrong passwords"] = measure(api, task_ids, for_seconds(args.seconds))
        done.set()
        for t in flooders:
            t.join()

        answer = {}
        upload = threading.Thread(target=lambda: answer.update(r=httpx.post(
            f"{server.url}/api/projects/{pid}/import", files={"file": ("big.csv", big_csv, "text/csv")},
            headers=server.headers, timeout=1800)))
        started = time.perf_counter()
        upload.start()
        phases[f"CSV import, {args.rows:,} rows"] = measure(api, task_ids, upload.is_alive)
        took = time.perf_counter() - started
        status = answer["r"].status_code
    load = os.getloadavg()
    print(f"\n{args.database_url or 'SQLite'}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'while':32} {'GET /api/version p50/p99/max ms':>42}   {'annotation save p50/p99/max ms':>40}  failed")
    for name, r in phases.items():
        print(f"{name:32} {r['version']:>42}   {r['save']:>40}  {r['failures']}")
    print(f"CSV import answered {status} after {took:.1f} s")


if __name__ == "__main__":
    main()
