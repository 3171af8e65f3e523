"""Deep pages of a big project: GET /api/tasks far down a 1M-task list, by id and sorted by a data field.

    .venv/bin/python benchmarks/deep_pages_bench.py [--tasks 1000000] [--pages 2,5000,9000]

Imports N small tasks into a fresh SQLite project (in-process, through the API), then times single page
requests (100 tasks each) with pages past row 1,000 read the way the server reads them (ids first on the
index, then only that page's rows), and the same pages with plain OFFSET for comparison.
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from labelhive.app import create_app
from labelhive.config import Settings
from labelhive.services import tasks as task_svc

TOKEN = "d" * 40
CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="a"/></Choices></View>'


def timed(client, params: dict) -> float:
    t0 = time.perf_counter()
    r = client.get("/api/tasks", params=params)
    assert r.status_code == 200, r.text
    return round(time.perf_counter() - t0, 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--pages", default="2,5000,9000")
    args = ap.parse_args()
    pages = [int(p) for p in args.pages.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), username="a@b.c", password="secret-pass", user_token=TOKEN))
        with TestClient(app, headers={"Authorization": f"Token {TOKEN}"}) as client:
            pid = client.post("/api/projects", json={"title": "big", "label_config": CONFIG}).json()["id"]
            t0 = time.perf_counter()
            for start in range(0, args.tasks, 100_000):
                batch = [{"image": f"http://x/{i}.jpg", "n": i % 97} for i in range(start, min(args.tasks, start + 100_000))]
                assert client.post(f"/api/projects/{pid}/import", json=batch).status_code == 201
            print(f"imported {args.tasks} tasks in {time.perf_counter() - t0:.1f} s")
            sorted_query = json.dumps({"filters": {"conjunction": "and", "items": []}, "ordering": ["-tasks:data.n"]})
            rows = []
            for label, threshold in (("ids first (the server's way)", task_svc.DEFERRED_JOIN_OFFSET), ("plain OFFSET", 10**12)):
                task_svc.DEFERRED_JOIN_OFFSET = threshold
                for page in pages:
                    base = {"project": pid, "page": page, "page_size": 100}
                    rows.append((label, page, timed(client, base), timed(client, {**base, "query": sorted_query})))
        app.state.engine.dispose()
    print(f"{'read':<30} {'page':>6} {'by id':>8} {'by data.n':>10}")
    for label, page, by_id, by_field in rows:
        print(f"{label:<30} {page:>6} {by_id:>7.3f}s {by_field:>9.3f}s")


if __name__ == "__main__":
    main()
