"""Deep pages of a big project: GET /api/tasks far down a 1M-task list, by id, sorted by a data field (both
directions) and filtered by it, without and then with the indexes the server makes for such lists.

    .venv/bin/python benchmarks/deep_pages_bench.py [--tasks 1000000] [--pages 2,5000,9000]

Imports N small tasks into a fresh SQLite project (in-process, through the API), then times single page
requests (100 tasks each) with pages past row 1,000 read the way the server reads them (ids first on the
index, then only that page's rows), and the same pages with plain OFFSET for comparison.
"""
import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from labelhive.app import create_app
from labelhive.config import Settings
from labelhive.services import data_indexes
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
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("labelhive.data_indexes").setLevel(logging.INFO)  # show the builds
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
            desc_query = _query(["-tasks:data.n"])
            asc_query = _query(["tasks:data.n"])
            filter_query = _query([], [{"filter": "filter:tasks:data.n", "operator": "equal", "type": "Number", "value": 5}])
            settings = app.state.settings
            min_tasks, settings.data_index_min_tasks = settings.data_index_min_tasks, 10**12  # no index yet
            rows = []
            for label, threshold in (("ids first (the server's way)", task_svc.DEFERRED_JOIN_OFFSET),
                                     ("plain OFFSET", 10**12)):
                task_svc.DEFERRED_JOIN_OFFSET = threshold
                rows += [(label, *times(client, pid, page, desc_query, asc_query, filter_query)) for page in pages]
                task_svc.DEFERRED_JOIN_OFFSET = 1000
            # Sorted and filtered requests on a big project have the worker index the field: time the
            # builds (in the background), then the same pages.
            settings.data_index_min_tasks = min_tasks
            t0 = time.perf_counter()
            for q in (desc_query, asc_query, filter_query):
                timed(client, {"project": pid, "page": 1, "page_size": 100, "query": q})
            wanted = {data_indexes.index_name("n", kind) for kind in ("desc", "asc", "Number")}
            while True:
                with app.state.engine.connect() as conn:
                    if wanted <= data_indexes.existing(conn):
                        break
                if time.perf_counter() - t0 > 300:
                    sys.exit(f"the indexes were not all made in 5 minutes: {wanted}")
                time.sleep(0.05)
            print(f"built the three indexes on data.n in {time.perf_counter() - t0:.1f} s (in the background)")
            rows += [("ids first, with the data indexes", *times(client, pid, page, desc_query, asc_query,
                                                                   filter_query)) for page in pages]
        app.state.engine.dispose()
    print(f"{'read':<33} {'page':>6} {'by id':>8} {'by -data.n':>11} {'by data.n':>10} {'n = 5':>8}")
    for label, page, by_id, desc, asc, flt in rows:
        print(f"{label:<33} {page:>6} {by_id:>7.3f}s {desc:>10.3f}s {asc:>9.3f}s {flt:>7.3f}s")


def _query(ordering: list, items: list | None = None) -> str:
    return json.dumps({"filters": {"conjunction": "and", "items": items or []}, "ordering": ordering})


def times(client, pid: int, page: int, desc_query: str, asc_query: str, filter_query: str) -> tuple:
    """One page by id, sorted both ways, and filtered (n = 5 has ~1/97 of the tasks: its page is 1/97 as deep)."""
    base = {"project": pid, "page": page, "page_size": 100}
    return (page, timed(client, base), timed(client, {**base, "query": desc_query}),
            timed(client, {**base, "query": asc_query}),
            timed(client, {**base, "page": max(1, page // 97), "query": filter_query}))

if __name__ == "__main__":
    main()
