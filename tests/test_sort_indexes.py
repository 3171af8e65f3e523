"""Big projects sorted by a data field get an index for that sort, made in the background; the order the
data manager shows is the same before and after, and the database then reads the order from the index."""
import json
import time

import pytest
from sqlalchemy import select, text

from labelhive.models import Task
from labelhive.services import filters as dm
from labelhive.services import sort_indexes

MIN_TASKS = 60


@pytest.fixture
def settings(settings):
    settings.sort_index_min_tasks = MIN_TASKS
    return settings


def _items(n: int) -> list[dict]:
    # Ties (rank repeats), tasks without the field, and a nested field, in a shuffled order.
    items = []
    for i in range(n):
        item = {"image_path": f"http://img/{i}.jpg", "meta": {"w": (i * 37) % 11}}
        if i % 7:
            item["rank"] = (i * 7919) % 23
        items.append(item)
    return items


def _page_through(client, pid, ordering):
    seen, page = [], 1
    while True:
        q = json.dumps({"filters": {"conjunction": "and", "items": []}, "ordering": ordering})
        r = client.get("/api/tasks", params={"project": pid, "query": q, "page_size": 25, "page": page})
        if r.status_code == 404:
            return seen
        assert r.status_code == 200, r.text
        seen += [t["id"] for t in r.json()["tasks"]]
        page += 1


def _expected(ids, values, desc):
    present = [(v, t) for t, v in zip(ids, values) if v is not None]
    present.sort(reverse=desc)
    return [t for _, t in present] + sorted((t for t, v in zip(ids, values) if v is None), reverse=desc)


def _wait_for(app, names):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with app.state.engine.connect() as conn:
            if names <= sort_indexes.existing(conn):
                return
        time.sleep(0.1)
    raise AssertionError(f"indexes {names} were not made")


def _plan(app, pid, ordering) -> str:
    engine = app.state.engine
    query = select(Task.id).where(Task.project_id == pid).order_by(*dm.order_by(ordering, engine.dialect.name))
    sql = str(query.limit(25).compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        # A test table is tiny: make the planner show whether it can use the index at all.
        conn.execute(text("SET enable_seqscan = off"))
        conn.execute(text("SET enable_sort = off"))
        return " ".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))


@pytest.mark.parametrize("field,desc", [("rank", False), ("rank", True), ("meta.w", True)])
def test_a_big_sorted_project_gets_an_index_and_keeps_its_order(client, app, project, field, desc):
    pid = project["id"]
    items = _items(130)
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    values = [x.get("rank") if field == "rank" else x["meta"]["w"] for x in items]
    ordering = [("-" if desc else "") + f"tasks:data.{field}"]
    expected = _expected(ids, values, desc)
    name = sort_indexes.index_name(field, desc)

    assert _page_through(client, pid, ordering) == expected  # the first request: no index yet
    _wait_for(app, {name})
    assert name in _plan(app, pid, ordering)
    assert _page_through(client, pid, ordering) == expected


def test_small_projects_and_odd_field_names_get_no_index(client, app, project):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                      json=[{"image_path": f"http://img/{i}.jpg", "a b": i % 5} for i in range(MIN_TASKS - 1)]
                      ).json()["task_ids"]
    calls = []
    sort_indexes.schedule(app.state.engine, ("rank", False), MIN_TASKS - 1, MIN_TASKS, lambda *a: calls.append(a))
    sort_indexes.schedule(app.state.engine, ("a b", False), 10 * MIN_TASKS, MIN_TASKS, lambda *a: calls.append(a))
    assert calls == []
    # A name that cannot go into SQL as written still sorts, with a bound JSON path.
    ordered = _page_through(client, pid, ["tasks:data.a b"])
    assert ordered == sorted(ids, key=lambda t: ((ids.index(t)) % 5, t))
