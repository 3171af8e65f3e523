"""Tasks through /api/tasks and /api/projects/{id}/tasks: filters, ordering, selections, counters, uploads."""
import json

import pytest

from conftest import FLOWERS


def choice(label):
    return [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def tasks(client, project):
    pid = project["id"]
    items = [{"data": {"image_path": f"http://img/{i}.jpg", "cluster": i % 3, "split": "train" if i < 6 else "test"},
              "predictions": [{"result": choice("rose" if i % 2 else "tulip"), "score": i / 10,
                               "model_version": "v2" if i >= 5 else "v1"}]}
             for i in range(10)]
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items)
    assert r.status_code == 201, r.text
    return r.json()["task_ids"]


def query(client, pid, filters=None, ordering=None, **params):
    q = {"filters": {"conjunction": params.pop("conjunction", "and"), "items": filters or []},
         "ordering": ordering or []}
    r = client.get("/api/tasks", params={"project": pid, "query": json.dumps(q), "page_size": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()


def item(column, op, value, ftype="Number"):
    return {"filter": f"filter:tasks:{column}", "operator": op, "type": ftype, "value": value}


@pytest.mark.parametrize("flt, expected", [
    (item("data.cluster", "equal", 1), [1, 4, 7]),
    (item("data.cluster", "not_equal", 1), [0, 2, 3, 5, 6, 8, 9]),
    (item("data.cluster", "greater", 1), [2, 5, 8]),
    (item("data.cluster", "less_or_equal", 0), [0, 3, 6, 9]),
    (item("data.cluster", "in", {"min": 1, "max": 2}), [1, 2, 4, 5, 7, 8]),
    (item("data.split", "in_list", ["test"], "List"), [6, 7, 8, 9]),
    (item("data.split", "not_in_list", ["test"], "List"), [0, 1, 2, 3, 4, 5]),
    (item("data.image_path", "contains", "/1", "String"), [1]),
    (item("data.image_path", "not_contains", "/1", "String"), [0, 2, 3, 4, 5, 6, 7, 8, 9]),
    (item("data.image_path", "regex", r"/[78]\.jpg$", "String"), [7, 8]),
    (item("predictions_score", "greater_or_equal", 0.75), [8, 9]),
    (item("predictions_model_versions", "in_list", ["v1"], "List"), [0, 1, 2, 3, 4]),
    (item("predictions_results", "contains", "tulip", "String"), [0, 2, 4, 6, 8]),
    (item("total_predictions", "equal", 1), list(range(10))),
    (item("completed_at", "empty", True, "Datetime"), list(range(10))),
])
def test_filters(client, project, tasks, flt, expected):
    got = [t["id"] for t in query(client, project["id"], [flt])["tasks"]]
    assert got == [tasks[i] for i in expected]


def test_or_conjunction_and_ordering_on_a_data_field(client, project, tasks):
    body = query(client, project["id"], [item("data.cluster", "equal", 0), item("data.cluster", "equal", 2)],
                 ordering=["-tasks:data.cluster"], conjunction="or")
    clusters = [t["data"]["cluster"] for t in body["tasks"]]
    assert clusters == [2, 2, 2, 0, 0, 0, 0]
    ids = [t["id"] for t in query(client, project["id"], ordering=["-tasks:id"])["tasks"]]
    assert ids == sorted(tasks, reverse=True)


def test_selected_items_and_include_id(client, project, tasks):
    q = {"selectedItems": {"all": False, "included": tasks[:3]}}
    r = client.get("/api/tasks", params={"project": project["id"], "query": json.dumps(q), "include": "id"}).json()
    assert r["tasks"] == [{"id": i} for i in tasks[:3]] and r["total"] == 3
    q = {"selectedItems": {"all": True, "excluded": tasks[:3]}}
    r = client.get("/api/tasks", params={"project": project["id"], "query": json.dumps(q)}).json()
    assert [t["id"] for t in r["tasks"]] == tasks[3:]


def test_counters_follow_annotations(client, project, tasks):
    tid = tasks[0]
    a = client.post(f"/api/tasks/{tid}/annotations", json={"result": choice("daisy"), "lead_time": 3.5}).json()
    task = client.get(f"/api/tasks/{tid}").json()
    assert (task["total_annotations"], task["is_labeled"], task["annotators"]) == (1, True, [1])
    assert task["completed_at"] is not None and task["annotations"][0]["id"] == a["id"]
    skipped = client.post(f"/api/tasks/{tasks[1]}/annotations?was_cancelled=1", json={"result": []}).json()
    assert skipped["was_cancelled"] is True
    t1 = client.get(f"/api/tasks/{tasks[1]}").json()
    assert (t1["total_annotations"], t1["cancelled_annotations"], t1["is_labeled"]) == (0, 1, False)
    assert client.get(f"/api/tasks/{tasks[1]}/annotations").json() == []
    labeled = query(client, project["id"], [item("completed_at", "empty", False, "Datetime")])
    assert [t["id"] for t in labeled["tasks"]] == [tid]
    client.delete(f"/api/annotations/{a['id']}")
    task = client.get(f"/api/tasks/{tid}").json()
    assert (task["total_annotations"], task["is_labeled"], task["completed_at"]) == (0, False, None)
    p = client.get(f"/api/projects/{project['id']}").json()
    assert (p["task_number"], p["skipped_annotations_number"], p["total_predictions_number"]) == (10, 1, 10)


def test_annotators_filter(client, project, tasks):
    client.post(f"/api/tasks/{tasks[2]}/annotations", json={"result": choice("rose")})
    got = query(client, project["id"], [item("annotators", "in_list", [1], "List")])["tasks"]
    assert [t["id"] for t in got] == [tasks[2]]


def test_bulk_actions(client, project, tasks):
    pid = project["id"]
    r = client.post(f"/api/dm/actions?id=predictions_to_annotations&project={pid}",
                    json={"selectedItems": {"all": True, "excluded": []}, "model_version": "v2"}).json()
    assert r["processed_items"] == 5
    labeled = [t for t in query(client, pid)["tasks"] if t["is_labeled"]]
    assert [t["id"] for t in labeled] == tasks[5:]
    ann = client.get(f"/api/tasks/{tasks[5]}/annotations").json()[0]
    assert ann["result"] == choice("rose") and ann["parent_prediction"] is not None
    r = client.post(f"/api/dm/actions?id=delete_tasks_annotations&project={pid}",
                    json={"selectedItems": {"all": False, "included": tasks[5:7]}}).json()
    assert r["processed_items"] == 2
    assert client.get(f"/api/projects/{pid}").json()["num_tasks_with_annotations"] == 3
    client.post(f"/api/dm/actions?id=delete_tasks_predictions&project={pid}",
                json={"selectedItems": {"all": False, "included": [tasks[0]]}})
    assert client.get(f"/api/tasks/{tasks[0]}").json()["total_predictions"] == 0
    flt = {"conjunction": "and", "items": [item("data.split", "equal", "test", "String")]}
    r = client.post(f"/api/dm/actions?id=delete_tasks&project={pid}",
                    json={"filters": flt, "selectedItems": {"all": True, "excluded": []}}).json()
    assert r["processed_items"] == 4
    assert query(client, pid)["total"] == 6
    assert client.post(f"/api/dm/actions?id=explode&project={pid}", json={}).status_code == 400


def test_views_store_filters_used_by_task_listing(client, project, tasks):
    pid = project["id"]
    flt = {"conjunction": "and", "items": [item("data.cluster", "equal", 2)]}
    view = client.post("/api/dm/views", json={"project": pid, "data": {"title": "c2", "filters": flt}}).json()
    assert [v["id"] for v in client.get(f"/api/dm/views?project={pid}").json()] == [view["id"]]
    got = client.get("/api/tasks", params={"project": pid, "view": view["id"]}).json()
    assert [t["id"] for t in got["tasks"]] == [tasks[2], tasks[5], tasks[8]]
    client.patch(f"/api/dm/views/{view['id']}", json={"data": {"title": "renamed"}})
    assert client.get(f"/api/dm/views/{view['id']}").json()["data"]["title"] == "renamed"
    assert client.delete(f"/api/dm/views/{view['id']}").status_code == 204
    assert client.get(f"/api/dm/views/{view['id']}").status_code == 404


def test_project_task_list_is_plain_and_pages_until_404(client, project, tasks):
    pid = project["id"]
    seen = []
    page = 1
    while True:
        r = client.get(f"/api/projects/{pid}/tasks", params={"page": page, "page_size": 3})
        if r.status_code == 404:
            break
        assert isinstance(r.json(), list)
        seen += [t["id"] for t in r.json()]
        page += 1
    assert sorted(seen) == sorted(tasks) and page == 5
    assert client.delete(f"/api/projects/{pid}/tasks").status_code == 204
    assert client.get(f"/api/projects/{pid}").json()["task_number"] == 0


def test_file_imports_csv_tsv_txt_and_media(client, settings):
    text_cfg = '<View><Text name="text" value="$text"/><Choices name="s" toName="text"><Choice value="a"/></Choices></View>'
    pid = client.post("/api/projects", json={"title": "T", "label_config": text_cfg}).json()["id"]
    r = client.post(f"/api/projects/{pid}/import", files=[
        ("file", ("a.csv", b"text;score\nhello;1\nworld;2.5\n")),
        ("file", ("b.tsv", b"text\tscore\nfoo\t3\n")),
        ("file", ("c.txt", b"line one\nline two\n")),
    ])
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 5 and r.json()["found_formats"] == {".csv": 1, ".tsv": 1, ".txt": 1}
    data = [t["data"] for t in client.get(f"/api/tasks?project={pid}").json()["tasks"]]
    assert data == [{"text": "hello", "score": 1.0}, {"text": "world", "score": 2.5}, {"text": "foo", "score": 3},
                    {"text": "line one"}, {"text": "line two"}]

    img = client.post("/api/projects", json={"title": "I", "label_config": FLOWERS}).json()["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    r = client.post(f"/api/projects/{img}/import", files=[("file", ("rose 1.png", png)), ("file", ("b.jpg", b"jpg"))])
    assert r.status_code == 201 and r.json()["task_count"] == 2
    task = client.get(f"/api/tasks?project={img}").json()["tasks"][0]
    url = task["data"]["image_path"]
    assert url.startswith(f"/data/upload/{img}/") and url.endswith("-rose_1.png")
    assert task["file_upload"] == url.rsplit("/", 1)[-1]
    served = client.get(url)
    assert served.status_code == 200 and served.content == png
    assert served.headers["content-type"] == "image/png"
    assert client.get(f"/data/upload/{img}/..%2Flabelhive.sqlite3").status_code == 404
    client.delete(f"/api/projects/{img}")
    assert not (settings.media_dir / "upload" / str(img)).exists()


def test_predictions_normalise_bare_values(client, project, tasks):
    tid = tasks[0]
    p = client.post("/api/predictions", json={"task": tid, "result": "sunflower", "score": 0.7}).json()
    assert p["result"] == choice("sunflower") and p["score"] == 0.7
    p = client.post("/api/predictions", json={"task": tid, "result": {"choices": ["rose"]}}).json()
    assert p["result"] == choice("rose")
    assert client.get(f"/api/tasks/{tid}").json()["total_predictions"] == 3
    r = client.post(f"/api/projects/{project['id']}/import/predictions",
                    json=[{"task": tid, "result": choice("daisy"), "score": 0.1, "model_version": "v9"}])
    assert r.status_code == 201 and r.json() == {"created": 1}
    assert client.get(f"/api/projects/{project['id']}/model-versions").json() == {"v1": 5, "v2": 5, "": 2, "v9": 1}
    r = client.post(f"/api/projects/{project['id']}/import/predictions", json=[{"task": 999999, "result": []}])
    assert r.status_code == 400 and "999999" in r.json()["detail"]


def test_import_from_a_url_downloads_the_file(client, project, tmp_path):
    import http.server
    import threading

    root = tmp_path / "www"
    root.mkdir()
    (root / "tasks.csv").write_text("image_path,cluster\nhttp://img/a.jpg,5\nhttp://img/b.jpg,6\n")
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(root), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        r = client.post(f"/api/projects/{project['id']}/import", data={"url": f"{base}/tasks.csv"})
        assert r.status_code == 201, r.text
        assert r.json()["task_count"] == 2 and r.json()["found_formats"] == {".csv": 1}
        data = [t["data"] for t in client.get(f"/api/tasks?project={project['id']}").json()["tasks"]]
        assert data == [{"image_path": "http://img/a.jpg", "cluster": 5}, {"image_path": "http://img/b.jpg", "cluster": 6}]
        missing = client.post(f"/api/projects/{project['id']}/import", data={"url": f"{base}/nope.csv"})
        assert missing.status_code == 400 and "HTTP 404" in missing.json()["detail"]
        pasted = client.post(f"/api/projects/{project['id']}/import", data={"url": '[{"image_path": "c.jpg"}]'})
        assert pasted.status_code == 201 and pasted.json()["task_count"] == 1
    finally:
        server.shutdown()


def test_ordering_by_related_columns(client, project, tasks):
    client.post(f"/api/tasks/{tasks[3]}/annotations", json={"result": choice("rose")})
    by_versions = [t["predictions_model_versions"] for t in query(client, project["id"],
                                                                  ordering=["-tasks:predictions_model_versions"])["tasks"]]
    assert by_versions == ["v2"] * 5 + ["v1"] * 5
    by_annotators = [t["id"] for t in query(client, project["id"], ordering=["-tasks:annotators"])["tasks"]]
    assert by_annotators[0] == tasks[3]  # tasks without annotators sort last either way
    by_score = [t["predictions_score"] for t in query(client, project["id"], ordering=["tasks:predictions_score"])["tasks"]]
    assert by_score == sorted(by_score)


@pytest.mark.parametrize("ordering", [[], ["-tasks:id"], ["tasks:data.rank"], ["-tasks:data.rank"],
                                      ["tasks:total_predictions"]])
def test_deep_pages_keep_the_order_and_the_filter(client, project, ordering):
    """Pages past the first thousand rows are read another way (ids first, then rows); they must match."""
    pid = project["id"]
    n = 2600
    items = [{"image_path": f"http://img/{i}.jpg", "rank": (i * 7919) % 1000, "even": i % 2} for i in range(n)]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items).json()["task_ids"]
    flt = [item("data.even", "equal", 0)]
    expected = [t for t, x in zip(ids, items) if x["even"] == 0]
    if ordering and "rank" in ordering[0]:
        rank = {t: x["rank"] for t, x in zip(ids, items)}
        expected.sort(key=lambda t: (rank[t], t))
        if ordering[0].startswith("-"):
            expected.sort(key=lambda t: (-rank[t], -t))
    elif ordering == ["-tasks:id"]:
        expected.reverse()
    seen = []
    for page in range(1, 14):
        q = {"filters": {"conjunction": "and", "items": flt}, "ordering": ordering}
        r = client.get("/api/tasks", params={"project": pid, "query": json.dumps(q), "page_size": 100, "page": page})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["total"] == n // 2
        seen += [t["id"] for t in body["tasks"]]
        assert all(t["data"]["even"] == 0 for t in body["tasks"])
    assert seen == expected
