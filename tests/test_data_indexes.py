"""Big projects sorted or filtered by a data field get an index for it, made in the background; what the
data manager shows is the same before and after, and the database then reads it from the index."""
import json
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from labelhive.models import Task
from labelhive.services import filters as dm
from labelhive.services import data_indexes, text_search

MIN_TASKS = 60


@pytest.fixture
def settings(settings):
    settings.data_index_min_tasks = MIN_TASKS
    return settings


def _items(n: int) -> list[dict]:
    # Ties (rank repeats), tasks without the field, a nested field, numbers given as text (as a CSV gives
    # them) and a text field, in a shuffled order.
    items = []
    for i in range(n):
        item = {"image_path": f"http://img/{i}.jpg", "meta": {"w": (i * 37) % 11},
                "cluster": str(i % 4) if i % 3 else i % 4, "class": ["rose", "tulip", "daisy"][i % 3]}
        if i % 7:
            item["rank"] = (i * 7919) % 23
        items.append(item)
    return items


def _filter(field, op, ftype, value):
    return {"filter": f"filter:tasks:data.{field}", "operator": op, "type": ftype, "value": value}


def _page_through(client, pid, ordering, filters=()):
    seen, page = [], 1
    while True:
        q = json.dumps({"filters": {"conjunction": "and", "items": list(filters)}, "ordering": ordering})
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
            if names <= data_indexes.existing(conn):
                return
        time.sleep(0.1)
    raise AssertionError(f"indexes {names} were not made")


def _plan(app, pid, ordering, filters=()) -> str:
    engine = app.state.engine
    where = dm.filters_clause({"conjunction": "and", "items": list(filters)}, engine.dialect.name)
    query = select(Task.id).where(Task.project_id == pid, where)
    if ordering is not None:
        query = query.order_by(*dm.order_by(ordering, engine.dialect.name))
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
    name = data_indexes.index_name(field, "desc" if desc else "asc")

    assert _page_through(client, pid, ordering) == expected  # the first request: no index yet
    _wait_for(app, {name})
    assert name in _plan(app, pid, ordering)
    assert _page_through(client, pid, ordering) == expected


@pytest.mark.parametrize("flt,expected", [
    (_filter("cluster", "equal", "Number", 2), lambda x: int(x["cluster"]) == 2),
    (_filter("cluster", "in", "Number", {"min": 1, "max": 2}), lambda x: 1 <= int(x["cluster"]) <= 2),
    (_filter("class", "equal", "String", "tulip"), lambda x: x["class"] == "tulip"),
    (_filter("class", "in_list", "String", ["rose", "daisy"]), lambda x: x["class"] in ("rose", "daisy")),
])
def test_a_big_filtered_project_gets_an_index_and_keeps_its_rows(client, app, project, flt, expected):
    pid = project["id"]
    items = _items(130)
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    matching = [t for t, x in zip(ids, items) if expected(x)]
    assert 0 < len(matching) < len(ids)
    name = data_indexes.index_name(flt["filter"].split("data.")[1], flt["type"])

    assert _page_through(client, pid, [], [flt]) == matching
    _wait_for(app, {name})
    # The count of matching tasks (no order: the page itself may rather walk ids when most rows match).
    assert name in _plan(app, pid, None, [flt])
    assert _page_through(client, pid, [], [flt]) == matching
    # The sort index and the filter index work together.
    ranked = sorted((t for t in matching if items[ids.index(t)].get("rank") is not None),
                    key=lambda t: (items[ids.index(t)]["rank"], t))
    unranked = [t for t in matching if items[ids.index(t)].get("rank") is None]
    assert _page_through(client, pid, ["tasks:data.rank"], [flt]) == ranked + unranked


def test_small_projects_and_odd_field_names_get_no_index(client, app, project):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                      json=[{"image_path": f"http://img/{i}.jpg", "a b": i % 5} for i in range(MIN_TASKS - 1)]
                      ).json()["task_ids"]
    calls = []
    with Session(app.state.engine) as session:
        data_indexes.schedule(session, pid, [("rank", "asc")], MIN_TASKS, lambda *a: calls.append(a))
    assert calls == []
    assert dm.indexes_wanted(["tasks:data.a b"], {"items": [_filter("a b", "equal", "Number", 1)]}) == []
    assert dm.indexes_wanted(None, {"items": [_filter("rank", "contains", "Number", "1")]}) == []
    assert dm.indexes_wanted(["-tasks:data.n"], {"items": [_filter("rank", "less", "Number", 1)]}) == [
        ("n", "desc"), ("rank", "Number")]
    # A name that cannot go into SQL as written still sorts and filters, with a bound JSON path.
    ordered = _page_through(client, pid, ["tasks:data.a b"])
    assert ordered == sorted(ids, key=lambda t: ((ids.index(t)) % 5, t))
    assert _page_through(client, pid, [], [_filter("a b", "equal", "Number", 3)]) == [
        t for i, t in enumerate(ids) if i % 5 == 3]


def test_text_in_a_number_indexed_field_is_saved_and_left_out_of_number_filters(client, app, project):
    """A field indexed as a number may still hold text ("n/a", as CSVs have): imports and edits of it are
    saved (PostgreSQL refused them with the index's cast), and number filters leave it out."""
    pid = project["id"]
    items = _items(130)
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    flt = _filter("cluster", "greater_or_equal", "Number", 0)
    assert len(_page_through(client, pid, [], [flt])) == len(ids)
    _wait_for(app, {data_indexes.index_name("cluster", "Number")})

    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                    json=[{"image_path": "http://img/x.jpg", "cluster": "n/a"}])
    assert r.status_code == 201, r.text
    r = client.patch(f"/api/tasks/{ids[0]}", json={"data": {"image_path": "http://img/0.jpg", "cluster": "none"}})
    assert r.status_code == 200, r.text
    # At least 1: SQLite reads text as 0, PostgreSQL as no number; both leave "n/a" and "none" out.
    at_least_one = _filter("cluster", "greater_or_equal", "Number", 1)
    assert _page_through(client, pid, [], [at_least_one]) == [
        t for t, x in zip(ids, items) if int(x["cluster"]) >= 1]
    assert len(_page_through(client, pid, [], [_filter("cluster", "contains", "String", "n")])) == 2


def test_a_big_project_filtered_by_contains_gets_an_index_and_keeps_its_rows(client, app, project):
    """contains on a text field: PostgreSQL gets a trigram index, SQLite an FTS5 trigram table kept in step by
    triggers; the same rows either way, letters of either case matching, also after adds, edits and deletes."""
    pid = project["id"]
    items = [{"image_path": f"http://img/{i}.jpg", "caption": f"{'Red' if i % 5 == 0 else 'blue'} flower {i}"}
             for i in range(130)]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    flt = _filter("caption", "contains", "String", "red")
    matching = [t for t, x in zip(ids, items) if "red" in x["caption"].lower()]
    assert dm.indexes_wanted(None, {"items": [flt]}) == [("caption", data_indexes.CONTAINS)]
    assert _page_through(client, pid, [], [flt]) == matching

    name = data_indexes.index_name("caption", data_indexes.CONTAINS)
    _wait_for(app, {name})
    assert name in _count_plan(app, pid, flt)
    assert _page_through(client, pid, [], [flt]) == matching

    added = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                        json=[{"image_path": "http://img/new.jpg", "caption": "a RED one"}]).json()["task_ids"]
    client.patch(f"/api/tasks/{matching[0]}", json={"data": {"image_path": "http://img/0.jpg", "caption": "gone"}})
    client.patch(f"/api/tasks/{ids[1]}", json={"data": {"image_path": "http://img/1.jpg", "caption": "reddish"}})
    assert client.delete(f"/api/tasks/{matching[1]}").status_code == 204
    assert _page_through(client, pid, [], [flt]) == sorted([ids[1]] + matching[2:] + added)


def _count_plan(app, pid, flt) -> str:
    """The plan of a count of the tasks matching the filter alone (on a table this small the planner would
    rather go by project): whether the index can serve the filter's expression at all."""
    from sqlalchemy import func
    engine = app.state.engine
    where = dm.filters_clause({"conjunction": "and", "items": [flt]}, engine.dialect.name)
    sql = str(select(func.count()).select_from(Task).where(where)
              .compile(engine, compile_kwargs={"literal_binds": True})).replace("%%", "%")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            name = data_indexes.index_name(flt["filter"].split("data.")[1], data_indexes.CONTAINS)
            with Session(engine) as session:
                where = dm.filters_clause({"conjunction": "and", "items": [flt]}, "sqlite",
                                          lambda f, p: text_search.matching_ids(session, name, p))
                sql = str(select(func.count()).select_from(Task).where(where)
                          .compile(engine, compile_kwargs={"literal_binds": True}))
            return " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        # A test table is tiny: make the planner show whether it can use the index at all.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            conn.execute(text(f"SET {setting} = off"))
        return " ".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))


def test_an_index_whose_build_was_stopped_is_built_again(client, app, project):
    """PostgreSQL: a CONCURRENTLY build killed with its process leaves an invalid index of that name, which
    CREATE INDEX ... IF NOT EXISTS would skip forever. The next build drops and makes it."""
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite builds indexes in one transaction: a stopped build leaves nothing")
    pid = project["id"]
    items = _items(130)
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    name = data_indexes.index_name("rank", "asc")
    _page_through(client, pid, ["tasks:data.rank"])
    _wait_for(app, {name})
    # As a killed build leaves it: the index is there, marked invalid (what PostgreSQL does before it is done).
    with app.state.engine.begin() as conn:
        conn.execute(text("UPDATE pg_index SET indisvalid = false WHERE indexrelid = CAST(:n AS regclass)"),
                     {"n": name})
    data_indexes.forget()
    with app.state.engine.connect() as conn:
        assert name not in data_indexes.existing(conn)
    assert _page_through(client, pid, ["tasks:data.rank"]) == _expected(ids, [x.get("rank") for x in items], False)
    _wait_for(app, {name})
    assert name in _plan(app, pid, ["tasks:data.rank"])
