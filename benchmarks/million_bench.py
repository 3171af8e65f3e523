"""A million tasks on SQLite and on PostgreSQL (issue 16): the data manager's pages, a contains filter, and the
streamed JSON export against the floor (reading the rows and dumping them as JSON, nothing else).

    .venv/bin/python benchmarks/million_bench.py [--tasks 1000000] [--databases sqlite,postgresql]
                                                 [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each database: starts `labelhive start` (PostgreSQL in a schema of its own, dropped after), imports the
tasks through the API in 100k batches, then times over HTTP: page 1 and page 5,000 of /api/tasks (100 tasks,
median and max of 15 tries), a `contains` filter on a text field (median of 5), and the JSON export: the
first byte, the whole download, and its size. The floor reads the same tasks' columns in one query and dumps
each row with orjson, in this process. Prints a table and a final JSON line.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
TOKEN = "b" * 40
CONFIG = ('<View><Image name="image" value="$image"/><Choices name="c" toName="image">'
          '<Choice value="a"/><Choice value="b"/></Choices></View>')


@contextmanager
def server(data_dir: Path, database_url: str | None):
    port = 20000 + os.getpid() % 10000
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELHIVE_", "LABEL_STUDIO_"))}
    if database_url:
        env["LABELHIVE_DATABASE_URL"] = database_url
    script = Path(sys.executable).with_name("labelhive")
    log = open(data_dir / "server.log", "wb")
    proc = subprocess.Popen([str(script), "start", "--host", "127.0.0.1", "--port", str(port), "--data-dir",
                             str(data_dir), "--username", "bench@example.com", "--password", "bench-pass-1",
                             "--user-token", TOKEN], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError((data_dir / "server.log").read_text())
        time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait()
        log.close()


@contextmanager
def pg_schema(base_url: str):
    name = f"lh_million_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def timed(api: httpx.Client, params: dict, tries: int) -> tuple[float, float]:
    times = []
    for _ in range(tries):
        t0 = time.perf_counter()
        r = api.get("/api/tasks", params=params)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
    return statistics.median(times) * 1000, max(times) * 1000


def wait_for_index(database_url: str, pattern: str) -> float:
    """Seconds until the server's background build of an index (SQLite: a text-search table) named like
    `pattern` is done."""
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE :p"
    else:  # valid only: a CREATE INDEX CONCURRENTLY shows in the catalog from the start of its build
        query = ("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n "
                 "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname LIKE :p "
                 "AND i.indisvalid")
    t0 = time.perf_counter()
    with engine.connect() as conn:
        while not conn.scalar(text(query), {"p": pattern}) and time.perf_counter() - t0 < 600:
            conn.rollback()
            time.sleep(0.5)
    engine.dispose()
    return round(time.perf_counter() - t0, 1)


def floor_s(database_url: str, pid: int) -> float:
    """Read every task row in one query and dump each as JSON (its data decoded, as an export must): what any
    export must at least do."""
    engine = create_engine(database_url)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=10_000).execute(text(
            "SELECT * FROM task WHERE project_id = :p ORDER BY id"), {"p": pid})
        size = 0
        for row in result:
            task = dict(row._mapping)
            for key in ("data", "meta"):
                if isinstance(task[key], str):
                    task[key] = orjson.loads(task[key])
            size += len(orjson.dumps(task, default=str))
    engine.dispose()
    return time.perf_counter() - t0


def run(database: str, n: int, pg_url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp, (pg_schema(pg_url) if database == "postgresql"
                                                  else _nothing()) as db_url:
        data_dir = Path(tmp)
        with server(data_dir, db_url) as url, \
                httpx.Client(base_url=url, headers={"Authorization": f"Token {TOKEN}"}, timeout=600) as api:
            pid = api.post("/api/projects", json={"title": "million", "label_config": CONFIG}).json()["id"]
            t0 = time.perf_counter()
            for start in range(0, n, 100_000):
                batch = [{"image": f"http://x/{i}.jpg", "n": i % 97, "text": f"item {i} word{i % 1000}"}
                         for i in range(start, min(n, start + 100_000))]
                r = api.post(f"/api/projects/{pid}/import", json=batch)
                assert r.status_code == 201, r.text
            out = {"database": database, "tasks": n, "import_s": round(time.perf_counter() - t0, 1)}
            out["page_1_ms"] = timed(api, {"project": pid, "page": 1, "page_size": 100}, 15)
            deep = max(1, min(5000, n // 100))
            out[f"page_{deep}_ms"] = timed(api, {"project": pid, "page": deep, "page_size": 100}, 15)
            contains = {"filters": {"conjunction": "and", "items": [
                {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "word777"}]}}
            params = {"project": pid, "page_size": 100, "query": json.dumps(contains)}
            out["contains_first_ms"] = timed(api, params, 1)[0]  # asks for its index (PostgreSQL: trigrams)
            out["contains_index_s"] = wait_for_index(db_url or f"sqlite:///{data_dir / 'labelhive.sqlite3'}",
                                                     "ix_task_data_%_contains")
            out["contains_ms"] = timed(api, params, 5)
            t0 = time.perf_counter()
            first = None
            size = 0
            with api.stream("GET", f"/api/projects/{pid}/export",
                            params={"exportType": "JSON", "download_all_tasks": "true"}) as r:
                for piece in r.iter_bytes():
                    if first is None:
                        first = time.perf_counter() - t0
                    size += len(piece)
            out["export_first_byte_s"] = round(first, 3)
            out["export_s"] = round(time.perf_counter() - t0, 1)
            out["export_mb"] = round(size / 1e6, 1)
            out["floor_s"] = round(floor_s(db_url or f"sqlite:///{data_dir / 'labelhive.sqlite3'}", pid), 1)
            out["export_vs_floor"] = round(out["export_s"] / out["floor_s"], 2)
        return out


@contextmanager
def _nothing():
    yield None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--databases", default="sqlite,postgresql")
    ap.add_argument("--pg-url", default=os.environ.get("LABELHIVE_TEST_DATABASE_URL",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    results = [run(db, args.tasks, args.pg_url) for db in args.databases.split(",")]
    load = os.getloadavg()
    print(f"\n{args.tasks:,} tasks; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for r in results:
        deep = next(k for k in r if k.startswith("page_") and k != "page_1_ms")
        print(f"{r['database']:>10}: import {r['import_s']} s | page 1 {r['page_1_ms'][0]:.1f} ms "
              f"(max {r['page_1_ms'][1]:.1f}) | {deep.replace('_ms', '')} {r[deep][0]:.1f} ms "
              f"(max {r[deep][1]:.1f}) | contains {r['contains_ms'][0]:.0f} ms (first {r['contains_first_ms']:.0f} ms"
              f"{', index made in ' + str(r['contains_index_s']) + ' s' if 'contains_index_s' in r else ''}) | "
              f"JSON export: first byte "
              f"{r['export_first_byte_s']} s, all {r['export_s']} s ({r['export_mb']} MB), floor {r['floor_s']} s, "
              f"{r['export_vs_floor']}x")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
