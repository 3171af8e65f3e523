"""The official label-studio-sdk (legacy Client and the 2.x LabelStudio client) and a plain `requests` script,
driving a real `labelhive start` subprocess. Every SDK step is checked against what the server stored."""
import csv
import json
import os
import time
import uuid

import httpx
import pytest
import requests
from conftest import FLOWERS
from label_studio_sdk import Client
from label_studio_sdk.client import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.data_manager import Column, Filters, Operator, Type
from server import USERNAME, live_server, pg_schema

PG_URL = os.environ.get("LABELHIVE_TEST_DATABASE_URL")


def choice(label: str, region_id: str = "r1") -> list[dict]:
    return [{"id": region_id, "from_name": "class", "to_name": "image", "type": "choices",
             "value": {"choices": [label]}}]


def flower(i: int, **extra) -> dict:
    return {"image_path": f"/static/flower-{i}.jpg", **extra}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory, worker_id):
    data_dir = tmp_path_factory.mktemp(f"live-{request.param}")
    if request.param == "sqlite":
        with live_server(data_dir) as server:
            yield server
        return
    if not PG_URL:
        pytest.skip("PostgreSQL runs need LABELHIVE_TEST_DATABASE_URL (CI sets it)")
    # One schema per server: xdist workers (and reruns) never share tables.
    with pg_schema(PG_URL, f"lh_sdk_{worker_id}_{uuid.uuid4().hex[:8]}") as url, live_server(data_dir, url) as server:
        yield server


@pytest.fixture
def http(live):
    """A plain HTTP client, independent of the SDK, to read back what the server stored."""
    with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as c:
        yield c


def stored_tasks(http, project_id: int) -> dict[int, dict]:
    r = http.get("/api/tasks", params={"project": project_id, "fields": "all", "page_size": 10000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["tasks"])
    return {t["id"]: t for t in body["tasks"]}


def stored_project(http, project_id: int) -> dict:
    r = http.get(f"/api/projects/{project_id}")
    assert r.status_code == 200, r.text
    return r.json()


# --- 1. Legacy client -------------------------------------------------------------------------------------------

def test_legacy_client_imports(live, http, tmp_path):
    ls = Client(url=live.url, api_key=live.token)
    assert ls.check_connection() == {"status": "UP"}
    project = ls.start_project(title="Legacy imports", label_config=FLOWERS, description="via Client")
    stored = stored_project(http, project.id)
    assert (stored["title"], stored["description"], stored["label_config"]) == ("Legacy imports", "via Client", FLOWERS)

    plain = project.import_tasks([flower(i, cluster=i % 3) for i in range(6)])
    assert len(plain) == 6
    tasks = stored_tasks(http, project.id)
    assert [tasks[t]["data"] for t in plain] == [flower(i, cluster=i % 3) for i in range(6)]

    full = project.import_tasks([
        {"data": flower(10, cluster=7),
         "predictions": [{"result": choice("rose"), "score": 0.4, "model_version": "m1"}]},
        {"data": flower(11, cluster=7), "predictions": [{"result": choice("daisy"), "score": 0.8}]},
    ])
    tasks = stored_tasks(http, project.id)
    preds = [tasks[t]["predictions"] for t in full]
    assert [(len(p), p[0]["result"][0]["value"], p[0]["score"]) for p in preds] == [
        (1, {"choices": ["rose"]}, 0.4), (1, {"choices": ["daisy"]}, 0.8)]
    assert [p[0]["model_version"] for p in preds] == ["m1", "undefined"]
    assert [tasks[t]["total_predictions"] for t in full] == [1, 1]

    csv_path = tmp_path / "flowers.csv"
    csv_path.write_text("image_path,cluster,note\n/static/a.jpg,1,first\n/static/b.jpg,2,\n")
    from_csv = project.import_tasks(str(csv_path))
    tasks = stored_tasks(http, project.id)
    assert [tasks[t]["data"] for t in from_csv] == [
        {"image_path": "/static/a.jpg", "cluster": 1, "note": "first"},
        {"image_path": "/static/b.jpg", "cluster": 2, "note": ""}]
    # Label Studio names the stored upload '<uuid8>-<original name>' and shows that basename.
    (upload,) = {tasks[t]["file_upload"] for t in from_csv}
    assert upload.endswith("-flowers.csv") and len(upload) == len("12345678-flowers.csv")

    pre = project.import_tasks([flower(20, **{"class": "tulip"}), flower(21, **{"class": "sunflower"})],
                               preannotated_from_fields=["class"])
    tasks = stored_tasks(http, project.id)
    for tid, label in zip(pre, ["tulip", "sunflower"]):
        assert tasks[tid]["data"]["class"] == label
        (pred,) = tasks[tid]["predictions"]
        assert pred["model_version"] == "preannotated" and pred["score"] == 1.0
        assert pred["result"] == [{"from_name": "class", "to_name": "image", "type": "choices",
                                   "value": {"choices": [label]}}]

    every = plain + full + from_csv + pre
    assert sorted(t["id"] for t in project.get_tasks()) == sorted(every) == sorted(stored_tasks(http, project.id))
    assert sorted(project.get_tasks_ids()) == sorted(every)
    assert stored_project(http, project.id)["task_number"] == len(every)

    # A filter on a custom data field, built with the SDK's helpers and as the raw dict the UI sends.
    by_helper = Filters.create(Filters.AND, [Filters.item(Column.data("cluster"), Operator.EQUAL, Type.Number,
                                                          Filters.value(1))])
    expected = sorted(t for t, task in stored_tasks(http, project.id).items() if task["data"].get("cluster") == 1)
    assert len(expected) == 3
    assert sorted(project.get_tasks_ids(filters=by_helper)) == expected
    raw = {"conjunction": "and", "items": [{"filter": "filter:tasks:data.cluster", "operator": "greater",
                                            "type": "Number", "value": 2}]}
    assert sorted(project.get_tasks_ids(filters=raw)) == full


def test_legacy_client_labeling_exports_and_cleanup(live, http, tmp_path):
    ls = Client(url=live.url, api_key=live.token)
    project = ls.start_project(title="Legacy labeling", label_config=FLOWERS)
    ids = project.import_tasks([flower(i, cluster=i) for i in range(6)])
    t0, t1, t2, t3, t4, t5 = ids

    # Annotations, and the labeled / unlabeled split the SDK asks the data manager for.
    ann = project.create_annotation(t0, result=choice("rose"), lead_time=2.5)
    project.create_annotation(t1, result=choice("daisy"))
    tasks = stored_tasks(http, project.id)
    assert tasks[t0]["annotations"][0]["id"] == ann["id"]
    assert tasks[t0]["annotations"][0]["result"] == choice("rose")
    assert tasks[t0]["annotations"][0]["lead_time"] == 2.5
    assert tasks[t0]["annotations"][0]["completed_by"] == http.get("/api/current-user/whoami").json()["id"]
    assert [(tasks[t]["is_labeled"], tasks[t]["total_annotations"]) for t in ids] == [(True, 1)] * 2 + [(False, 0)] * 4
    assert tasks[t0]["completed_at"] is not None and tasks[t2]["completed_at"] is None
    assert sorted(t["id"] for t in project.get_labeled_tasks()) == [t0, t1]
    assert sorted(t["id"] for t in project.get_unlabeled_tasks()) == [t2, t3, t4, t5]
    assert sorted(project.get_labeled_tasks_ids()) == [t0, t1]

    # Predictions: a bare label with a score, a full region list, and the bulk endpoint.
    bare = project.create_prediction(t2, result="tulip", score=0.9)
    assert bare["result"] == [{"from_name": "class", "to_name": "image", "type": "choices",
                               "value": {"choices": ["tulip"]}}]
    full = project.create_prediction(t3, result=choice("rose"), score=0.5, model_version="v2")
    assert project.create_predictions([
        {"task": t4, "result": choice("sunflower"), "score": 0.7, "model_version": "v3"},
        {"task": t5, "result": choice("dandelion"), "score": 0.6, "model_version": "v3"}]) == {"created": 2}
    tasks = stored_tasks(http, project.id)
    assert [(p["id"], p["score"], p["model_version"]) for p in tasks[t2]["predictions"]] == [(bare["id"], 0.9, "")]
    assert tasks[t2]["predictions"][0]["result"] == bare["result"]
    assert [(p["id"], p["result"], p["model_version"]) for p in tasks[t3]["predictions"]] == [
        (full["id"], choice("rose"), "v2")]
    assert [(tasks[t]["predictions"][0]["result"][0]["value"], tasks[t]["predictions"][0]["model_version"])
            for t in (t4, t5)] == [({"choices": ["sunflower"]}, "v3"), ({"choices": ["dandelion"]}, "v3")]
    assert project.get_model_versions() == {"": 1, "v2": 1, "v3": 2}
    assert stored_project(http, project.id)["total_predictions_number"] == 4

    # A saved view, and the tasks the SDK reads through it.
    filters = Filters.create(Filters.AND, [Filters.item(Column.data("cluster"), Operator.GREATER_OR_EQUAL,
                                                        Type.Number, Filters.value(4))])
    view = project.create_view(filters, title="High clusters")
    (listed,) = [v for v in project.get_views() if v["id"] == view["id"]]
    assert listed["project"] == project.id
    assert listed["data"]["title"] == "High clusters" and listed["data"]["filters"] == filters
    assert sorted(t["id"] for t in project.get_tasks(view_id=view["id"])) == [t4, t5]

    # Accepting predictions of one model version (the SDK sends a list of versions).
    result = project.create_annotations_from_predictions(["v3"])
    assert result["detail"] == "Created 2 annotations"
    tasks = stored_tasks(http, project.id)
    assert [tasks[t]["total_annotations"] for t in ids] == [1, 1, 0, 0, 1, 1]
    made = tasks[t4]["annotations"][0]
    assert made["result"] == choice("sunflower") and made["parent_prediction"] == tasks[t4]["predictions"][0]["id"]
    stats = stored_project(http, project.id)
    assert (stats["num_tasks_with_annotations"], stats["total_annotations_number"]) == (4, 4)

    # Sync exports: JSON (annotated tasks only, by default) and CSV to a file.
    exported = project.export_tasks()
    assert sorted(t["id"] for t in exported) == [t0, t1, t4, t5]
    by_id = {t["id"]: t for t in exported}
    assert by_id[t0]["annotations"][0]["result"] == choice("rose")
    assert by_id[t4]["predictions"] == [tasks[t4]["predictions"][0]["id"]]
    everything = project.export_tasks(download_all_tasks=True)
    assert sorted(t["id"] for t in everything) == sorted(ids)
    csv_file = project.export_tasks("CSV", export_location=str(tmp_path / "out" / "export.csv"))
    with open(csv_file, newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted((int(r["id"]), r["class"]) for r in rows) == [
        (t0, "rose"), (t1, "daisy"), (t4, "sunflower"), (t5, "dandelion")]

    # Export snapshots: a project this small is written before the answer, as Label Studio's; the SDK's
    # project.export() polls all the same.
    snap = project.export_snapshot_create(title="Snapshot one")
    assert snap["title"] == "Snapshot one" and snap["status"] == "completed"
    status = project.export_snapshot_status(snap["id"])
    deadline = time.monotonic() + 60
    while status.is_in_progress() and time.monotonic() < deadline:
        time.sleep(0.05)
        status = project.export_snapshot_status(snap["id"])
    assert status.is_completed() and status.response["id"] == snap["id"]
    assert [s["id"] for s in project.export_snapshot_list()] == [snap["id"]]
    code, filename = project.export_snapshot_download(snap["id"], export_type="JSON", path=str(tmp_path))
    assert code == 200 and filename.endswith(".json")
    snapshot_tasks = json.loads((tmp_path / filename).read_text())
    assert {t["id"]: len(t["annotations"]) for t in snapshot_tasks} == {t0: 1, t1: 1, t2: 0, t3: 0, t4: 1, t5: 1}
    code, csv_name = project.export_snapshot_download(snap["id"], export_type="CSV", path=str(tmp_path))
    assert code == 200 and csv_name.endswith(".csv")
    with open(tmp_path / csv_name, newline="") as f:
        # The snapshot holds every task; the converter gives an unannotated task a row without labels.
        assert sorted((int(r["id"]), r["class"]) for r in csv.DictReader(f)) == [
            (t0, "rose"), (t1, "daisy"), (t2, ""), (t3, ""), (t4, "sunflower"), (t5, "dandelion")]

    # Project parameters.
    again = ls.get_project(project.id)
    assert again.get_params()["task_number"] == 6 and again.label_config == FLOWERS
    again.set_params(title="Renamed", maximum_annotations=2)
    stored = stored_project(http, project.id)
    assert (stored["title"], stored["maximum_annotations"]) == ("Renamed", 2)

    # Deleting tasks: by id, all but some, then all.
    project.delete_tasks([t2, t3])
    assert sorted(stored_tasks(http, project.id)) == [t0, t1, t4, t5]
    project.delete_all_tasks(excluded_ids=[t5])
    assert sorted(stored_tasks(http, project.id)) == [t5]
    project.delete_all_tasks()
    assert stored_tasks(http, project.id) == {}
    assert stored_project(http, project.id)["task_number"] == 0

    assert ls.delete_project(project.id).status_code == 204
    assert http.get(f"/api/projects/{project.id}").status_code == 404



def test_accepting_predictions_converts_each_prediction_once(live, http):
    ls = Client(url=live.url, api_key=live.token)
    project = ls.start_project(title="Accept twice", label_config=FLOWERS)
    (tid,) = project.import_tasks([{"data": flower(1), "predictions": [
        {"result": choice("rose"), "model_version": "v1"}, {"result": choice("tulip"), "model_version": "v1"}]}])
    project.create_annotations_from_predictions()
    project.create_annotations_from_predictions()
    results = [a["result"] for a in stored_tasks(http, project.id)[tid]["annotations"]]
    assert results == [choice("rose"), choice("tulip")]


def test_ground_truth_is_not_a_useful_annotation(live, http):
    ls = Client(url=live.url, api_key=live.token)
    project = ls.start_project(title="Ground truth", label_config=FLOWERS)
    t_gt, t_plain = project.import_tasks([flower(1), flower(2)])
    project.create_annotation(t_gt, result=choice("rose"), ground_truth=True)
    project.create_annotation(t_plain, result=choice("daisy"))
    stats = stored_project(http, project.id)
    assert (stats["ground_truth_number"], stats["total_annotations_number"]) == (1, 2)
    assert (stats["num_tasks_with_annotations"], stats["useful_annotation_number"]) == (1, 1)


# --- 2. SDK 2.x client ------------------------------------------------------------------------------------------

def test_sdk2_projects_tasks_and_exports(live, http):
    ls = LabelStudio(base_url=live.url, api_key=live.token)
    assert ls.users.whoami().email == USERNAME

    p = ls.projects.create(title="SDK2", label_config=FLOWERS)
    assert ls.projects.get(p.id).title == "SDK2"
    assert p.id in [x.id for x in ls.projects.list()]
    ls.projects.update(p.id, title="SDK2 renamed", description="patched")
    stored = stored_project(http, p.id)
    assert (stored["title"], stored["description"]) == ("SDK2 renamed", "patched")
    assert ls.projects.get(p.id).description == "patched"

    imported = ls.projects.import_tasks(
        p.id, request=[flower(i, **{"class": "rose" if i % 2 else "daisy"}) for i in range(7)],
        return_task_ids=True, preannotated_from_fields=["class"])
    ids = imported.task_ids
    assert len(ids) == 7 and imported.task_count == 7
    preds = ls.predictions.list(project=p.id)
    assert sorted(x.task for x in preds) == sorted(ids)
    assert {x.task: x.result[0]["value"]["choices"] for x in preds} == {
        t: ["rose" if i % 2 else "daisy"] for i, t in enumerate(ids)}

    assert ls.projects.import_predictions(p.id, request=[
        {"task": ids[0], "result": choice("tulip"), "score": 0.3, "model_version": "bulk"}]).created == 1
    tasks = stored_tasks(http, p.id)
    assert [(x["model_version"], x["score"]) for x in tasks[ids[0]]["predictions"]] == [("preannotated", 1.0),
                                                                                      ("bulk", 0.3)]

    # The pager walks every page; each task comes exactly once.
    seen = [t.id for t in ls.tasks.list(project=p.id, page_size=3)]
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    first = next(iter(ls.tasks.list(project=p.id)))
    assert first.data == tasks[first.id]["data"] and len(first.predictions) == tasks[first.id]["total_predictions"]

    # Bulk: one result on several tasks (by ids, then by selection), and deleting some of them.
    bulk = ls.annotations.create_bulk(tasks=ids[:3], result=choice("tulip"), project=p.id, lead_time=1.5)
    stored = stored_tasks(http, p.id)
    assert [stored[t]["total_annotations"] for t in ids[:3]] == [1, 1, 1]
    made = {a["id"]: a for t in ids[:3] for a in stored[t]["annotations"]}
    assert sorted(made) == sorted(a.id for a in bulk)
    assert all(a["result"][0]["value"] == {"choices": ["tulip"]} and a["lead_time"] == 1.5 for a in made.values())
    everyone_but = ls.annotations.create_bulk(project=p.id, result=choice("daisy"),
                                              selected_items={"all": True, "excluded": ids[:6]})
    assert len(everyone_but) == 1 and stored_tasks(http, p.id)[ids[6]]["total_annotations"] == 1
    assert ls.annotations.delete_bulk(ids=[a.id for a in bulk[:2]], project=p.id).deleted_count == 2
    stored = stored_tasks(http, p.id)
    assert [stored[t]["total_annotations"] for t in ids[:3]] == [0, 0, 1]
    ls.annotations.delete_bulk(ids=[bulk[2].id, everyone_but[0].id], project=p.id)

    t = ls.tasks.create(data=flower(99), project=p.id)
    assert ls.tasks.get(t.id).data == flower(99)
    ls.tasks.update(t.id, data=flower(100), meta={"source": "sdk2"})
    stored_task = stored_tasks(http, p.id)[t.id]
    assert (stored_task["data"], stored_task["meta"]) == (flower(100), {"source": "sdk2"})
    ls.tasks.delete(t.id)
    assert http.get(f"/api/tasks/{t.id}").status_code == 404
    with pytest.raises(ApiError) as err:
        ls.tasks.get(t.id)
    assert err.value.status_code == 404

    pred = ls.predictions.create(task=ids[1], result=choice("sunflower"), score=0.75, model_version="v9")
    listed = ls.predictions.list(task=ids[1])
    assert [x.id for x in listed][-1] == pred.id
    assert (listed[-1].score, listed[-1].model_version, listed[-1].result) == (0.75, "v9", choice("sunflower"))

    # Annotations, each step checked against the task's counters.
    a = ls.annotations.create(id=ids[2], result=choice("rose"), lead_time=1.5)
    assert [x.id for x in ls.annotations.list(id=ids[2])] == [a.id]
    assert ls.annotations.get(id=a.id).result == choice("rose")
    ls.annotations.update(id=a.id, result=choice("tulip"))
    stored_task = stored_tasks(http, p.id)[ids[2]]
    assert stored_task["annotations"][0]["result"] == choice("tulip")
    assert (stored_task["total_annotations"], stored_task["is_labeled"]) == (1, True)
    ls.annotations.delete(id=a.id)
    stored_task = stored_tasks(http, p.id)[ids[2]]
    assert (stored_task["annotations"], stored_task["total_annotations"], stored_task["is_labeled"]) == ([], 0, False)
    ls.annotations.create(id=ids[3], result=choice("daisy"))

    # Views.
    view = ls.views.create(project=p.id, data={"title": "Roses", "filters": {
        "conjunction": "and", "items": [{"filter": "filter:tasks:data.class", "operator": "equal",
                                         "type": "String", "value": "rose"}]}})
    assert view.id in [v.id for v in ls.views.list(project=p.id)]
    roses = [x.id for x in ls.tasks.list(project=p.id, view=view.id)]
    assert sorted(roses) == [t for i, t in enumerate(ids) if i % 2]
    ls.views.delete(id=view.id)
    assert view.id not in [v.id for v in ls.views.list(project=p.id)]

    # Exports.
    formats = ls.projects.exports.list_formats(p.id)
    names = {f["name"] for f in formats}
    assert {"JSON", "JSON_MIN", "CSV", "TSV"} <= names
    synced = json.loads(b"".join(ls.projects.exports.download_sync(p.id, export_type="JSON", download_all_tasks=True)))
    assert sorted(x["id"] for x in synced) == sorted(ids)
    only_ann = json.loads(b"".join(ls.projects.exports.download_sync(p.id, export_type="JSON")))
    assert [(x["id"], x["annotations"][0]["result"]) for x in only_ann] == [(ids[3], choice("daisy"))]
    as_json = ls.projects.exports.as_json(p.id)
    assert sorted(x["id"] for x in as_json) == sorted(ids)
    frame = ls.projects.exports.as_pandas(p.id)
    assert sorted(frame["id"].tolist()) == sorted(ids)
    # A snapshot converted to CSV in the background, as the 2.x client asks for it.
    snap = ls.projects.exports.create(p.id, title="to convert")
    for _ in range(200):
        if ls.projects.exports.get(p.id, snap.id).status == "completed":
            break
        time.sleep(0.05)
    converted = ls.projects.exports.convert(p.id, snap.id, export_type="CSV")
    assert (converted.export_type, converted.converted_format) == ("CSV", 1)
    for _ in range(200):
        state = ls.projects.exports.get(p.id, snap.id).converted_formats[0]
        if state.status in ("completed", "failed"):
            break
        time.sleep(0.05)
    assert (state.export_type, state.status) == ("CSV", "completed")
    ls.projects.exports.delete(p.id, snap.id)

    # Bulk delete through a data-manager action.
    ls.actions.create(id="delete_tasks", project=p.id, selected_items={"all": False, "included": ids[:2]})
    assert sorted(stored_tasks(http, p.id)) == sorted(ids[2:])
    ls.actions.create(id="delete_tasks", project=p.id, selected_items={"all": True, "excluded": [ids[6]]})
    assert sorted(stored_tasks(http, p.id)) == [ids[6]]

    ls.projects.delete(p.id)
    with pytest.raises(ApiError) as err:
        ls.projects.get(p.id)
    assert err.value.status_code == 404


# --- 3. A plain requests script ---------------------------------------------------------------------------------

def test_requests_paging_and_bulk_annotations(live):
    s = requests.Session()
    s.headers.update({"Authorization": f"Token {live.token}"})
    r = s.post(f"{live.url}/api/projects", json={"title": "Script", "label_config": FLOWERS})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = s.post(f"{live.url}/api/projects/{pid}/import?return_task_ids=true", json=[flower(i) for i in range(23)])
    assert r.status_code == 201, r.text
    ids = r.json()["task_ids"]

    seen, page = [], 1
    while True:
        r = s.get(f"{live.url}/api/projects/{pid}/tasks", params={"page": page, "page_size": 5})
        if r.status_code == 404:
            break
        assert r.status_code == 200, r.text
        assert 0 < len(r.json()) <= 5
        seen.extend(t["id"] for t in r.json())
        page += 1
    assert page == 6  # 23 tasks, 5 a page: pages 1-5, then 404
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))

    # 10 tasks get one annotation, 3 of them a second, and one more task only a skip.
    plan = {t: 1 for t in ids[:10]} | {t: 2 for t in ids[:3]}
    for tid, n in plan.items():
        for k in range(n):
            r = s.post(f"{live.url}/api/tasks/{tid}/annotations", json={"result": choice("rose", f"r{k}")})
            assert r.status_code == 201, r.text
    r = s.post(f"{live.url}/api/tasks/{ids[10]}/annotations", json={"result": [], "was_cancelled": True})
    assert r.status_code == 201 and r.json()["was_cancelled"] is True

    project = s.get(f"{live.url}/api/projects/{pid}").json()
    assert project["task_number"] == 23
    assert project["num_tasks_with_annotations"] == 10
    assert project["total_annotations_number"] == 13
    assert project["skipped_annotations_number"] == 1
    assert project["finished_task_number"] == 10
    for tid in ids:
        task = s.get(f"{live.url}/api/tasks/{tid}").json()
        assert task["total_annotations"] == plan.get(tid, 0), tid
        assert task["is_labeled"] is (tid in plan), tid
        assert task["cancelled_annotations"] == (1 if tid == ids[10] else 0), tid
        assert len(s.get(f"{live.url}/api/tasks/{tid}/annotations").json()) == plan.get(tid, 0)
    assert s.delete(f"{live.url}/api/projects/{pid}").status_code == 204


def test_sdk2_walkthrough_as_against_label_studio(live, http, tmp_path):
    """Issue 17's walk-through: each call behaves as it does against Label Studio 1.23.2."""
    from protocol_backend import ProtocolBackend

    ls = LabelStudio(base_url=live.url, api_key=live.token)
    wanted = ls.projects.create(title="Walk one", label_config=FLOWERS)
    ls.projects.create(title="Walk two", label_config=FLOWERS)
    listed = list(ls.projects.list(ids=str(wanted.id), include="id,title"))
    assert [(p.id, p.title) for p in listed] == [(wanted.id, "Walk one")]

    # Upload without committing, then import the uploads: no duplicates.
    staged = ls.projects.import_tasks(wanted.id, request=[flower(i) for i in range(3)], commit_to_project=False)
    assert staged.task_count == 3 and stored_project(http, wanted.id)["task_number"] == 0
    upload = http.post(f"/api/projects/{wanted.id}/import", params={"commit_to_project": "false"},
                       files={"file": ("flowers.csv", b"image_path\n/static/a.jpg\n/static/b.jpg\n", "text/csv")})
    assert upload.status_code == 201 and upload.json()["could_be_tasks_list"] is True
    r = http.post(f"/api/projects/{wanted.id}/reimport", json={"file_upload_ids": upload.json()["file_upload_ids"]})
    assert r.status_code == 201 and r.json()["task_count"] == 2
    assert stored_project(http, wanted.id)["task_number"] == 2

    # An export created is downloadable at once.
    export = ls.projects.exports.create(wanted.id, title="now")
    assert export.status == "completed"
    body = b"".join(ls.projects.exports.download(wanted.id, export.id, export_type="JSON"))
    assert sorted(t["data"]["image_path"] for t in json.loads(body)) == ["/static/a.jpg", "/static/b.jpg"]

    backend = ProtocolBackend(model_version="v9", predict_only=True)
    try:
        ml = ls.ml.create(url=backend.url, project=wanted.id, title="walk")
        versions = ls.ml.list_model_versions(ml.id)
        assert versions.versions == ["v9"]
    finally:
        backend.close()


def test_sdk2_files_views_members_storage_and_ml_clients(tmp_path):
    """The rest of the SDK 2.x methods Label Studio CE serves, through the SDK's own models (a field of the wrong
    type fails its parsing): files, view order and reset, users, organization members, webhook events, local
    folder storages (import and export) and the ML client's update and train."""
    from protocol_backend import ProtocolBackend

    folder = tmp_path / "files" / "flowers"
    folder.mkdir(parents=True)
    (tmp_path / "files" / "out").mkdir()
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with live_server(tmp_path / "data", extra_env={"LABELHIVE_LOCAL_FILES_ROOT": str(tmp_path / "files")}) as server:
        ls = LabelStudio(base_url=server.url, api_key=server.token)
        project = ls.projects.create(title="Clients", label_config=FLOWERS)
        with httpx.Client(base_url=server.url, headers=server.headers) as http:
            upload = http.post(f"/api/projects/{project.id}/import", files={
                "file": ("flowers.csv", b"image_path\n/static/a.jpg\n", "text/csv")}).json()["file_upload_ids"][0]
        assert ls.files.get(upload).file.endswith("flowers.csv") and ls.files.get(upload).size > 0
        assert [f.id for f in ls.files.list(project.id, ids=[str(upload)])] == [upload]
        ls.files.delete(upload)
        assert list(ls.files.list(project.id, all_=True)) == []
        assert ls.tasks.list(project=project.id).items  # the task made from the upload stays

        one, two = (ls.views.create(project=project.id, data={"title": t}) for t in ("One", "Two"))
        ls.views.update_order(project=project.id, ids=[two.id, one.id])
        assert [v.id for v in ls.views.list(project=project.id)] == [two.id, one.id]
        ls.views.delete_all(project=project.id)
        assert ls.views.list(project=project.id) == []

        me = ls.users.whoami()
        other = ls.users.create(email="clients-other@example.com", username="clients-other")
        assert ls.users.get(other.id).email == "clients-other@example.com"
        member = ls.organizations.members.get(me.active_organization, me.id)
        assert (member.user, member.organization) == (me.id, me.active_organization)
        ls.organizations.members.delete(me.active_organization, other.id)
        listed = {m.user.id: m for m in ls.organizations.members.list(me.active_organization)}
        assert listed[other.id].role == "DI"
        assert ls.organizations.get(me.active_organization).users == sorted(listed)
        assert ls.webhooks.info().annotation_created.name == "Annotation created"

        source = ls.import_storage.local.create(project=project.id, path=str(folder), regex_filter=r".*\.jpg",
                                                use_blob_urls=True, title="Flowers")
        ls.import_storage.local.update(source.id, title="Flowers two")
        synced = ls.import_storage.local.sync(source.id)
        assert (synced.title, synced.status, synced.last_sync_count) == ("Flowers two", "completed", 1)
        assert synced.meta["tasks_existed"] == 0
        out = ls.export_storage.local.create(project=project.id, path=str(tmp_path / "files" / "out"))
        assert out.status == "completed"  # a project this small is exported before the answer, as Label Studio
        ls.import_storage.local.delete(source.id)
        assert ls.import_storage.local.list(project=project.id) == []

        backend = ProtocolBackend()
        try:
            ml = ls.ml.create(url=backend.url, project=project.id, title="model")
            assert ls.ml.update(ml.id, title="model two").title == "model two"
            ls.ml.train(ml.id)
            assert backend.paths()[-1] == "/webhook"  # label-studio-ml hears START_TRAINING there
        finally:
            backend.close()
