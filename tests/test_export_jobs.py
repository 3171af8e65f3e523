"""Export snapshots: a small project's is written before POST answers (as Label Studio's); a big one's is a
background job, POST answers at once and the worker streams the tasks to disk."""
import json
import time

import pytest

from export_helpers import (
    DETECTION,
    annotate,
    coco_json,
    export,
    import_tasks,
    new_project,
    rect,
    unpack,
    wait_for_snapshot,
)


@pytest.fixture
def settings(settings):
    """Every snapshot here counts as big, so it runs on the worker (LABELHIVE_SYNC_EXPORT_TASKS=0)."""
    settings.sync_export_tasks = 0
    return settings


def test_snapshot_runs_in_the_background_and_counts_every_task(client):
    pid = new_project(client, DETECTION)
    # More tasks than one chunk of the streaming reader, so progress is written more than once.
    ids = import_tasks(client, pid, [{"image": f"img-{i}.jpg"} for i in range(2300)])
    for tid in ids[:3]:
        annotate(client, tid, [rect(10, 10, 20, 20)])
    r = client.post(f"/api/projects/{pid}/exports", json={"title": "big"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["status"] == "in_progress" and created["title"] == "big"
    snap = wait_for_snapshot(client, pid, created["id"])
    assert snap["status"] == "completed", snap
    assert snap["counters"]["task_number"] == snap["counters"]["total"] == 2300
    assert snap["finished_at"] and snap["md5"]
    listed = client.get(f"/api/projects/{pid}/exports").json()
    assert [s["id"] for s in listed] == [created["id"]] and listed[0]["status"] == "completed"

    # Any format converts from the snapshot, equal to the same export made directly.
    snapshot = client.get(f"/api/projects/{pid}/exports/{created['id']}/download", params={"exportType": "COCO"})
    assert snapshot.status_code == 200, snapshot.text
    direct = export(client, pid, "COCO")
    ours, sync = unpack(snapshot), unpack(direct)
    assert coco_json(ours["result.json"]) == coco_json(sync["result.json"])
    assert len(coco_json(ours["result.json"])["images"]) == 2300
    tasks = json.loads(client.get(f"/api/projects/{pid}/exports/{created['id']}/download").content)
    assert len(tasks) == 2300


def test_snapshot_of_an_unknown_view_has_every_task_and_a_bad_format_says_why(client):
    pid = new_project(client, DETECTION)
    import_tasks(client, pid, [{"image": "a.jpg"}, {"image": "b.jpg"}])
    # As Label Studio: a view that does not exist filters nothing.
    r = client.post(f"/api/projects/{pid}/exports", json={"task_filter_options": {"view": 99999}})
    assert r.status_code == 201
    snap = wait_for_snapshot(client, pid, r.json()["id"])
    assert snap["status"] == "completed" and snap["counters"]["task_number"] == 2
    r = client.post(f"/api/projects/{pid}/exports", json={})
    snap = wait_for_snapshot(client, pid, r.json()["id"])
    r = client.get(f"/api/projects/{pid}/exports/{snap['id']}/download", params={"exportType": "CONLL2003"})
    assert r.status_code == 400 and "COCO" in r.json()["detail"]


def test_a_snapshot_converts_to_another_format_in_the_background(client, tmp_path):
    pid = new_project(client, DETECTION)
    ids = import_tasks(client, pid, [{"image": f"img-{i}.jpg"} for i in range(50)])
    for tid in ids[:5]:
        annotate(client, tid, [rect(10, 10, 20, 20)])
    created = client.post(f"/api/projects/{pid}/exports", json={}).json()
    wait_for_snapshot(client, pid, created["id"])
    base = f"/api/projects/{pid}/exports/{created['id']}"
    refused = client.post(f"{base}/convert", json={"export_type": "CONLL2003"})
    assert refused.status_code == 400 and "available" in refused.json()["detail"]
    r = client.post(f"{base}/convert", json={"export_type": "YOLO"})
    assert r.status_code == 200 and r.json() == {"converted_format": 1, "export_type": "YOLO"}
    for _ in range(200):
        converted = client.get(base).json()["converted_formats"]
        if converted[0]["status"] in ("completed", "failed"):
            break
        time.sleep(0.05)
    assert converted == [{"id": 1, "export_type": "YOLO", "status": "completed", "traceback": None}]
    # The download is the file made in the background, equal to the same export made directly.
    assert unpack(client.get(f"{base}/download", params={"exportType": "YOLO"})) == unpack(export(client, pid, "YOLO"))
    export_dir = client.app.state.settings.export_dir
    assert any(p.name.startswith(f"snapshot-{created['id']}-yolo") for p in export_dir.iterdir())
    assert client.delete(base).status_code == 204
    assert not any(p.name.startswith(f"snapshot-{created['id']}") for p in export_dir.iterdir())
