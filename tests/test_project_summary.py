"""GET /api/projects/{id}/summary: every key of the project's task data, however the tasks came in, with how
many tasks have it and what kind of values it holds (the data manager's columns and filter types)."""
from sqlalchemy import select, update

from labelhive.models import Project


def summary(client, pid):
    r = client.get(f"/api/projects/{pid}/summary/")
    assert r.status_code == 200, r.text
    return r.json()


def test_keys_from_every_import_with_counts_and_kinds(client, project):
    pid = project["id"]
    empty = summary(client, pid)
    assert {k: empty[k] for k in ("project", "all_data_columns", "common_data_columns", "data_column_types")} == {
        "project": pid, "all_data_columns": {}, "common_data_columns": [], "data_column_types": {}}
    assert (empty["created_annotations"], empty["created_labels"]) == ({}, {})
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": f"http://img/{i}.jpg"} for i in range(3)])
    csv = "image_path,class\nhttp://img/a.jpg,rose\nhttp://img/b.jpg,tulip\n"
    r = client.post(f"/api/projects/{pid}/import", files={"file": ("flowers.csv", csv, "text/csv")})
    assert r.status_code == 201, r.text
    client.post(f"/api/projects/{pid}/import", json=[
        {"data": {"image_path": "http://img/c.jpg", "cluster": 3, "reviewed": True}},
        {"data": {"image_path": "http://img/d.jpg", "cluster": 1, "reviewed": False, "class": None}},
    ])
    r = client.post("/api/tasks", json={"project": pid, "data": {"image_path": "http://img/e.jpg", "cluster": "7"}})
    assert r.status_code == 201, r.text

    body = summary(client, pid)
    assert body["all_data_columns"] == {"class": 3, "cluster": 3, "image_path": 8, "reviewed": 2}
    assert body["common_data_columns"] == ["image_path"]
    # "7" was typed as text, so cluster is no longer numbers only; a null does not spoil a type.
    assert body["data_column_types"] == {"class": "String", "cluster": "String", "image_path": "String",
                                         "reviewed": "Boolean"}


def stored(app, pid):
    with app.state.engine.connect() as conn:
        return conn.execute(select(Project.data_columns).where(Project.id == pid)).scalar()


def test_deleting_and_editing_tasks_keep_the_tally_right(client, app, project):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=[
        {"image_path": "http://img/a.jpg", "cluster": 1},
        {"image_path": "http://img/b.jpg", "cluster": 2, "batch": "x"},
        {"image_path": "http://img/c.jpg", "cluster": 2},
    ]).json()["task_ids"]
    assert summary(client, pid)["data_column_types"]["cluster"] == "Number"

    assert client.delete(f"/api/tasks/{ids[1]}").status_code == 204
    body = summary(client, pid)
    assert body["all_data_columns"] == {"cluster": 2, "image_path": 2}
    assert body["common_data_columns"] == ["cluster", "image_path"]

    r = client.patch(f"/api/tasks/{ids[0]}", json={"data": {"image_path": "http://img/a.jpg", "cluster": "one"}})
    assert r.status_code == 200, r.text
    body = summary(client, pid)
    assert body["all_data_columns"] == {"cluster": 2, "image_path": 2}
    assert body["data_column_types"]["cluster"] == "String"
    # An edit moves the counts (no recount of a big project): back to numbers, a key dropped, one added.
    r = client.patch(f"/api/tasks/{ids[0]}", json={"data": {"image_path": "http://img/a.jpg", "cluster": 5}})
    assert stored(app, pid) is not None
    assert summary(client, pid)["data_column_types"]["cluster"] == "Number"
    client.patch(f"/api/tasks/{ids[2]}", json={"data": {"image_path": "http://img/c.jpg", "note": "x"}})
    assert stored(app, pid) == {"cluster": {"number": 1}, "image_path": {"string": 2}, "note": {"string": 1}}

    assert client.delete(f"/api/projects/{pid}/tasks").status_code == 204
    assert stored(app, pid) == {}  # all gone: nothing to count
    assert summary(client, pid)["all_data_columns"] == {}


def test_a_project_from_before_the_tally_is_counted_on_first_read(client, app, project):
    pid = project["id"]
    client.post(f"/api/projects/{pid}/import", json=[
        {"image_path": "http://img/a.jpg", "meta_info": {"w": 1}, "tags": ["a"], "score": 0.5},
        {"image_path": "http://img/b.jpg", "score": 2},
    ])
    with app.state.engine.begin() as conn:  # as the 0007 migration leaves existing projects
        conn.execute(update(Project).where(Project.id == pid).values(data_columns=None))
    body = summary(client, pid)
    assert body["all_data_columns"] == {"image_path": 2, "meta_info": 1, "score": 2, "tags": 1}
    assert body["data_column_types"] == {"image_path": "String", "meta_info": "String", "score": "Number",
                                         "tags": "String"}
    # Counted once and kept: later imports add to it.
    client.post(f"/api/projects/{pid}/import", json=[{"image_path": "http://img/c.jpg", "extra": 1}])
    assert summary(client, pid)["all_data_columns"]["extra"] == 1
    assert summary(client, pid)["all_data_columns"]["image_path"] == 3


def test_the_summary_needs_a_login_and_a_project(client, anon, project):
    assert anon.get(f"/api/projects/{project['id']}/summary").status_code == 401
    assert client.get("/api/projects/999999/summary").status_code == 404


def test_label_counters_as_label_studio_sums_them(client, project):
    pid = project["id"]
    (tid,) = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[{"image_path": "a.jpg"}]).json()[
        "task_ids"]
    pick = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    client.post(f"/api/tasks/{tid}/annotations", json={"result": pick})
    client.post(f"/api/tasks/{tid}/annotations", json={"result": pick})
    client.post(f"/api/tasks/{tid}/drafts", json={"result": [{**pick[0], "value": {"choices": ["tulip"]}}]})
    body = summary(client, pid)
    assert body["created_annotations"] == {"class|image|choices": 2}
    assert body["created_labels"] == {"class": {"rose": 2}}
    assert body["created_labels_drafts"] == {"class": {"tulip": 1}}
    # The data manager's lighter read leaves the counters out.
    light = client.get(f"/api/projects/{pid}/summary", params={"columns_only": 1}).json()
    assert "created_labels" not in light and light["all_data_columns"] == {"image_path": 1}

