"""Big imports commit in chunks (issue 16), so other writers get the database between them, and are still all
or nothing: annotations and predictions land on their own tasks across chunk borders, and an import whose
server is killed midway is deleted by the next server's sweep, leaving the tasks that were there before."""
import threading
import time

import httpx

from labelhive.services import imports
from server import live_server

CHOICES = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]


def test_a_chunked_import_keeps_annotations_and_predictions_on_their_tasks(client, project, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 40)  # chunks at a size a test can afford
    pid = project["id"]
    items = [{"data": {"image_path": f"http://img/{i}.jpg", "n": i},
              **({"annotations": [{"result": CHOICES}]} if i % 7 == 0 else {}),
              **({"predictions": [{"result": CHOICES, "model_version": "m", "score": i / 1000}]} if i % 5 == 0 else {})}
             for i in range(130)]
    r = client.post(f"/api/projects/{pid}/import?return_task_ids=true", json=items)
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 130
    ids = r.json()["task_ids"]
    assert len(set(ids)) == 130
    for i in (0, 35, 39, 40, 41, 79, 80, 120, 129):
        task = client.get(f"/api/tasks/{ids[i]}").json()
        assert task["data"]["n"] == i
        assert len(task["annotations"]) == (i % 7 == 0), i
        assert [p["score"] for p in task["predictions"]] == ([i / 1000] if i % 5 == 0 else []), i
    listed = client.get("/api/tasks", params={"project": pid, "page_size": 1}).json()
    assert (listed["total"], listed["total_annotations"], listed["total_predictions"]) == (130, 19, 26)


def test_an_import_cut_off_by_kill_9_is_deleted_by_the_next_server(tmp_path):
    data, env = tmp_path / "data", {"LABELHIVE_JOB_LEASE_S": "1"}
    rows = [{"text": f"row {i}", "note": "x" * 100} for i in range(300_000)]
    with live_server(data, extra_env=env) as first, \
            httpx.Client(base_url=first.url, headers=first.headers, timeout=120) as api:
        pid = api.post("/api/projects", json={"title": "Big"}).json()["id"]
        api.post(f"/api/projects/{pid}/import", json=[{"text": f"kept {i}"} for i in range(5)]).raise_for_status()

        def big_import():
            try:
                httpx.post(f"{first.url}/api/projects/{pid}/import", json=rows, headers=first.headers, timeout=120)
            except httpx.HTTPError:
                pass  # the server is killed under it
        threading.Thread(target=big_import, daemon=True).start()
        deadline, total = time.monotonic() + 60, 5
        while total <= 5:  # some chunks are in, the import is not done
            assert time.monotonic() < deadline, "no chunk was committed"
            total = api.get("/api/tasks", params={"project": pid, "page_size": 1}).json()["total"]
            time.sleep(0.02)
        first.process.kill()
        first.process.wait()
    assert 5 < total < 300_005
    with live_server(data, extra_env=env) as second, \
            httpx.Client(base_url=second.url, headers=second.headers, timeout=60) as api:
        deadline = time.monotonic() + 30
        while (body := api.get("/api/tasks", params={"project": pid, "page_size": 10}).json())["total"] != 5:
            assert time.monotonic() < deadline, f"the cut-off import was not deleted: {body['total']} tasks"
            time.sleep(0.2)
        assert sorted(t["data"]["text"] for t in body["tasks"]) == [f"kept {i}" for i in range(5)]
        summary = api.get(f"/api/projects/{pid}/summary").json()
        assert summary["all_data_columns"] == {"text": 5}


def test_a_chunked_reimport_replaces_the_tasks_of_its_uploads(client, project, monkeypatch):
    """Uploads imported again in chunks: the new tasks replace the old ones, which are deleted only after the last
    chunk is in (so an import failing midway leaves the project as it was)."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    pid = project["id"]
    csv = "image_path,n\n" + "".join(f"http://img/{i}.jpg,{i}\n" for i in range(7))
    upload = client.post(f"/api/projects/{pid}/import", params={"commit_to_project": "false"},
                         files={"file": ("a.csv", csv, "text/csv")}).json()["file_upload_ids"]
    first = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": upload,
                                                               "files_as_tasks_list": True})
    assert first.status_code == 201 and first.json()["task_count"] == 7
    old = {t["id"] for t in client.get("/api/tasks", params={"project": pid, "page_size": 50}).json()["tasks"]}
    again = client.post(f"/api/projects/{pid}/reimport", json={"file_upload_ids": upload,
                                                               "files_as_tasks_list": True})
    assert again.status_code == 201
    tasks = client.get("/api/tasks", params={"project": pid, "page_size": 50}).json()["tasks"]
    assert sorted(t["data"]["n"] for t in tasks) == list(range(7))
    assert not old & {t["id"] for t in tasks}  # all new tasks, none of the old left
