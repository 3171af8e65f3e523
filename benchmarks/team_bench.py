"""Agreement and the dashboard at team scale (issue 18): a project of 100k tasks labeled by 3 annotators each.

    .venv/bin/python benchmarks/team_bench.py [--tasks 100000] [--databases sqlite,postgresql]
                                              [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each database: starts `labelhive start` (PostgreSQL in a schema of its own, dropped after), adds three
annotators, and imports the tasks through the API in 20k batches, each task with an annotation by each annotator
(a choice and one or two boxes, so the three agree on some tasks and not on others); the import scores every
task's agreement as it lands. Then, in this process on the same database, the whole project's agreement is
computed again from scratch (services/agreement.recompute_project: 300k annotations, 300k pairs), and over HTTP
how long after the import the dashboard's figures are ready (a job computes them; visits meanwhile answer at
once, and the slowest of them is reported), later visits (median and max of 5), the agreement statistics and a
data-manager page sorted by agreement.
Prints a table and a final JSON line.
"""
import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from million_bench import TOKEN, pg_schema, server

REPO = Path(__file__).resolve().parent.parent
CONFIG = ('<View><Image name="image" value="$image"/><Choices name="kind" toName="image">'
          '<Choice value="rose"/><Choice value="tulip"/></Choices><RectangleLabels name="box" toName="image">'
          '<Label value="flower"/><Label value="leaf"/></RectangleLabels></View>')
BATCH = 20_000


def result(rng: random.Random, i: int) -> list[dict]:
    """Mostly the same answer with some jitter: agreement between 0 and 1, spread out."""
    kind = "rose" if rng.random() < 0.8 else "tulip"
    boxes = [{"from_name": "box", "to_name": "image", "type": "rectanglelabels",
              "value": {"x": 10 + rng.uniform(-3, 3), "y": 10 + rng.uniform(-3, 3), "width": 20, "height": 20,
                        "rotation": 0, "rectanglelabels": ["flower"]}}]
    if i % 3 == 0:
        boxes.append({"from_name": "box", "to_name": "image", "type": "rectanglelabels",
                      "value": {"x": 60, "y": 60, "width": 10 + rng.uniform(0, 5), "height": 10, "rotation": 0,
                                "rectanglelabels": ["leaf"]}})
    return [{"from_name": "kind", "to_name": "image", "type": "choices", "value": {"choices": [kind]}}, *boxes]


def timed(call, tries: int) -> tuple[float, float]:
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        r = call()
        r.raise_for_status()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def run(database: str, n: int, pg_url: str) -> dict:
    from contextlib import nullcontext

    schema = pg_schema(pg_url) if database == "postgresql" else nullcontext(None)
    with tempfile.TemporaryDirectory() as tmp, schema as url:
        data_dir = Path(tmp)
        database_url = url or f"sqlite:///{data_dir / 'labelhive.sqlite3'}"
        with server(data_dir, url) as base:
            api = httpx.Client(base_url=base, headers={"Authorization": f"Token {TOKEN}"}, timeout=600)
            people = [api.post("/api/users", json={"email": f"a{k}@example.com", "role": "AN"}).json()["id"]
                      for k in range(3)]
            pid = api.post("/api/projects", json={"title": "Team", "label_config": CONFIG,
                                                  "maximum_annotations": 3}).json()["id"]
            rng = random.Random(7)
            start = time.perf_counter()
            for first in range(0, n, BATCH):
                tasks = [{"data": {"image": f"/img/{i}.jpg"},
                          "annotations": [{"result": result(rng, i), "completed_by": u, "lead_time": rng.uniform(2, 30)}
                                          for u in people]} for i in range(first, min(n, first + BATCH))]
                api.post(f"/api/projects/{pid}/import", json=tasks).raise_for_status()
            import_s = time.perf_counter() - start
            import_end = time.perf_counter()

            # The import queued a job that computes the dashboard's figures: how long until they are there, from
            # the end of the import; visits meanwhile answer at once. Later visits read them.
            visits = []
            while True:
                start = time.perf_counter()
                body = api.get(f"/api/projects/{pid}/dashboard").json()
                visits.append(time.perf_counter() - start)
                if not body["stale"]:
                    break
                time.sleep(0.2)
            ready_s = time.perf_counter() - import_end
            sys.path.insert(0, str(REPO / "src"))
            from labelhive.models import Project
            from labelhive.services import agreement

            engine = create_engine(database_url)
            with sessionmaker(engine)() as session:
                start = time.perf_counter()
                scored = agreement.recompute_project(session, session.get(Project, pid))
                recompute_s = time.perf_counter() - start
            engine.dispose()

            dash_median, dash_max = timed(lambda: api.get(f"/api/projects/{pid}/dashboard"), 5)
            iaa_median, _ = timed(lambda: api.get(f"/api/projects/{pid}/stats/IAA"), 3)
            query = json.dumps({"ordering": ["tasks:agreement"]})
            page_median, _ = timed(lambda: api.get("/api/tasks", params={"project": pid, "query": query}), 5)
            dash = api.get(f"/api/projects/{pid}/dashboard").json()
            return {"database": database, "tasks": n, "annotations": 3 * n, "import_s": round(import_s, 1),
                    "recompute_agreement_s": round(recompute_s, 1), "scored_tasks": scored,
                    "dashboard_ready_s": round(ready_s, 1), "slowest_visit_ms": round(max(visits) * 1000),
                    "dashboard_ms_median": round(dash_median * 1000),
                    "dashboard_ms_max": round(dash_max * 1000),
                    "iaa_ms": round(iaa_median * 1000), "page_by_agreement_ms": round(page_median * 1000),
                    "mean_agreement": round(dash["agreement"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    results = [run(db, args.tasks, args.pg_url) for db in args.databases.split(",")]
    print(f"{'database':<12}{'import':>10}{'agreement':>12}{'ready':>8}{'dashboard':>12}{'max':>8}{'IAA':>8}"
          f"{'page':>8}")
    for r in results:
        print(f"{r['database']:<12}{r['import_s']:>9}s{r['recompute_agreement_s']:>11}s{r['dashboard_ready_s']:>7}s"
              f"{r['dashboard_ms_median']:>10}ms{r['dashboard_ms_max']:>6}ms{r['iaa_ms']:>6}ms"
              f"{r['page_by_agreement_ms']:>6}ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
