"""The data manager's totals at any size: unfiltered pages read them from the row the database's triggers keep
(migration 0012), so they must agree with a count after every kind of write: imports, single tasks,
annotations, predictions, deletions of each, and bulk actions."""
from labelhive.models import ProjectTaskStats


def totals(client, pid, filtered: bool) -> tuple[int, int, int]:
    import json
    query = {"filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": 0}]}} if filtered else {}
    body = client.get("/api/tasks", params={"project": pid, "page_size": 1, "query": json.dumps(query)}).json()
    return body["total"], body["total_annotations"], body["total_predictions"]


def agree(client, pid) -> tuple[int, int, int]:
    kept, counted = totals(client, pid, filtered=False), totals(client, pid, filtered=True)
    assert kept == counted
    return kept


def test_kept_totals_agree_with_counting_after_every_kind_of_write(client, app, project):
    pid = project["id"]
    assert agree(client, pid) == (0, 0, 0)
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=true",
                      json=[{"image_path": f"http://img/{i}.jpg"} for i in range(5)]).json()["task_ids"]
    assert agree(client, pid) == (5, 0, 0)
    one = client.post("/api/tasks", json={"project": pid, "data": {"image_path": "http://img/x.jpg"}}).json()["id"]
    assert agree(client, pid) == (6, 0, 0)

    result = [{"from_name": "choice", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    ann = client.post(f"/api/tasks/{ids[0]}/annotations", json={"result": result}).json()["id"]
    client.post(f"/api/tasks/{ids[1]}/annotations", json={"result": result})
    client.post("/api/predictions", json={"task": ids[2], "result": result, "model_version": "m1"})
    client.post("/api/predictions", json={"task": ids[2], "result": result, "model_version": "m2"})
    assert agree(client, pid) == (6, 2, 2)

    assert client.delete(f"/api/annotations/{ann}").status_code == 204
    assert agree(client, pid) == (6, 1, 2)
    assert client.delete(f"/api/tasks/{ids[2]}").status_code == 204  # with its two predictions
    assert agree(client, pid) == (5, 1, 0)
    r = client.post(f"/api/dm/actions?id=delete_tasks&project={pid}",
                    json={"selectedItems": {"all": False, "included": [ids[1], one]}})
    assert r.status_code == 200, r.text
    assert agree(client, pid) == (3, 0, 0)

    other = client.post("/api/projects", json={"title": "Other"}).json()["id"]
    client.post(f"/api/projects/{other}/import", json=[{"text": "a"}, {"text": "b"}])
    assert agree(client, other) == (2, 0, 0)
    assert agree(client, pid) == (3, 0, 0)
    assert client.delete(f"/api/projects/{other}").status_code == 204
    with app.state.sessions() as session:
        assert session.get(ProjectTaskStats, pid).tasks == 3  # what the unfiltered pages answered from
        assert session.get(ProjectTaskStats, other) is None  # no row left for a deleted project
