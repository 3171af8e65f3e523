"""The server side of ML backends and webhooks: handshake, predictions as a job, training, events."""
import time

import pytest

from conftest import TOKEN
from protocol_backend import ProtocolBackend


@pytest.fixture
def backend():
    b = ProtocolBackend()
    yield b
    b.close()


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_connecting_runs_health_and_setup_and_creates_the_webhook(client, project, backend):
    r = client.post("/api/ml", json={"project": project["id"], "url": backend.url, "title": "flowers model"})
    assert r.status_code == 201, r.text
    ml = r.json()
    assert (ml["state"], ml["model_version"], ml["readable_state"]) == ("CO", "v7", "Connected")
    assert backend.paths()[:2] == ["/health", "/setup"]
    setup = backend.calls[1][1]
    assert setup["project"].startswith(f"{project['id']}.") and isinstance(setup["project"], str)
    assert setup["access_token"] == TOKEN and setup["hostname"].startswith("http")
    assert "$image_path" in setup["schema"]
    hooks = client.get(f"/api/webhooks?project={project['id']}").json()
    assert [h["url"] for h in hooks] == [f"{backend.url}/webhook"]
    assert [m["id"] for m in client.get(f"/api/ml?project={project['id']}").json()] == [ml["id"]]
    assert client.get(f"/api/ml/{ml['id']}/versions").json()["versions"] == ["v6", "v7"]
    assert client.delete(f"/api/ml/{ml['id']}").status_code == 204
    assert client.get(f"/api/webhooks?project={project['id']}").json() == []


def test_unreachable_backend_is_a_clear_400_and_nothing_is_saved(client, project):
    r = client.post("/api/ml", json={"project": project["id"], "url": "http://127.0.0.1:9"})
    assert r.status_code == 400 and "Can't connect to ML backend" in r.json()["detail"]
    assert client.get(f"/api/ml?project={project['id']}").json() == []


def test_link_local_addresses_are_refused_with_how_to_allow_them(client, project):
    r = client.post("/api/ml", json={"project": project["id"], "url": "http://169.254.169.254"})
    assert r.status_code == 400
    assert "LABELHIVE_OUTBOUND_ALLOW=169.254.169.254" in r.json()["validation_errors"]["url"][0]


def test_retrieve_predictions_is_a_job_that_skips_current_versions(client, project, backend):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                      json=[{"image_path": f"/i/{i}.jpg"} for i in range(20)]).json()["task_ids"]
    client.post("/api/predictions", json={"task": ids[0], "result": "tulip", "model_version": "v7"})
    client.post("/api/ml", json={"project": pid, "url": backend.url})
    r = client.post(f"/api/dm/actions?id=retrieve_tasks_predictions&project={pid}",
                    json={"selectedItems": {"all": True, "excluded": []}})
    assert r.status_code == 200 and r.json()["processed_items"] == 20
    job_url = f"/api/jobs/{r.json()['job']}"
    assert wait_for(lambda: client.get(job_url).json()["status"] in ("completed", "failed"))
    job = client.get(job_url).json()
    assert (job["status"], job["done"], job["total"], job["result"]) == \
        ("completed", 19, 19, {"skipped": 1, "predictions": 19})
    predicted = [len(p["tasks"]) for path, p in backend.calls if path == "/predict"]
    assert sum(predicted) == 19 and max(predicted) <= 16
    assert client.get(f"/api/projects/{pid}/model-versions").json() == {"v7": 20}
    task = client.get(f"/api/tasks/{ids[5]}").json()
    assert task["predictions"][0]["score"] == 0.42 and task["predictions"][0]["result"][0]["value"] == \
        {"choices": ["rose"]}


def test_a_failing_backend_fails_the_job_with_its_reason(client, project):
    broken = ProtocolBackend(fail_predict=True)
    try:
        pid = project["id"]
        client.post(f"/api/projects/{pid}/import", json=[{"image_path": "/i/1.jpg"}])
        client.post("/api/ml", json={"project": pid, "url": broken.url})
        job_id = client.post(f"/api/dm/actions?id=retrieve_tasks_predictions&project={pid}",
                             json={"selectedItems": {"all": True, "excluded": []}}).json()["job"]
        assert wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["status"] == "failed")
        assert "HTTP 500" in client.get(f"/api/jobs/{job_id}").json()["error"]
    finally:
        broken.close()


def test_train_and_annotation_events_reach_the_backend(client, project, backend):
    pid = project["id"]
    (tid,) = client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                         json=[{"image_path": "/i/1.jpg"}]).json()["task_ids"]
    ml = client.post("/api/ml", json={"project": pid, "url": backend.url}).json()
    assert client.post(f"/api/ml/{ml['id']}/train", json={}).status_code == 200
    train = [b for p, b in backend.calls if p == "/webhook" and b.get("action") == "START_TRAINING"]
    assert train and train[0]["project"]["id"] == pid and "label_config" in train[0]["project"]
    result = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["daisy"]}}]
    ann = client.post(f"/api/tasks/{tid}/annotations", json={"result": result}).json()

    def created():
        return [b for p, b in backend.calls if p == "/webhook" and b.get("action") == "ANNOTATION_CREATED"]
    assert wait_for(created)
    event = created()[0]
    assert event["annotation"]["id"] == ann["id"] and event["task"]["id"] == tid and event["project"]["id"] == pid


def test_uncertainty_sampling_and_prediction_on_open(client, project, backend):
    pid = project["id"]
    ids = client.post(f"/api/projects/{pid}/import?return_task_ids=1", json=[
        {"data": {"image_path": "/a.jpg"}, "predictions": [{"result": "rose", "score": 0.9}]},
        {"data": {"image_path": "/b.jpg"}, "predictions": [{"result": "rose", "score": 0.2}]},
        {"data": {"image_path": "/c.jpg"}}]).json()["task_ids"]
    client.patch(f"/api/projects/{pid}", json={"sampling": "Uncertainty sampling"})
    assert client.get(f"/api/projects/{pid}/next").json()["id"] == ids[1]
    client.post("/api/ml", json={"project": pid, "url": backend.url})
    client.patch(f"/api/projects/{pid}", json={"sampling": "Sequential sampling",
                                               "evaluate_predictions_automatically": True})
    opened = client.get(f"/api/projects/{pid}/next?exclude={ids[0]},{ids[1]}").json()
    assert opened["id"] == ids[2] and opened["predictions"][0]["model_version"] == "v7"


def test_webhooks_crud_and_delivery(client, project, backend):
    r = client.post("/api/webhooks", json={"project": project["id"], "url": f"{backend.url}/webhook",
                                           "send_for_all_actions": False, "actions": ["PROJECT_UPDATED"]})
    assert r.status_code == 201
    hook = r.json()
    client.patch(f"/api/projects/{project['id']}", json={"title": "Renamed"})
    assert wait_for(lambda: any(b.get("action") == "PROJECT_UPDATED" for _, b in backend.calls))
    body = next(b for _, b in backend.calls if b.get("action") == "PROJECT_UPDATED")
    assert body["project"]["title"] == "Renamed"
    # Deleting one task over the API tells the hook too, as the data manager's bulk delete does.
    client.patch(f"/api/webhooks/{hook['id']}", json={"actions": ["TASKS_DELETED"]})
    (tid,) = _import(client, project["id"], 1)
    assert client.delete(f"/api/tasks/{tid}").status_code == 204
    assert wait_for(lambda: any(b.get("action") == "TASKS_DELETED" for _, b in backend.calls))
    assert next(b for _, b in backend.calls if b.get("action") == "TASKS_DELETED")["tasks"] == [{"id": tid}]
    # Accepting predictions in bulk is one ANNOTATIONS_CREATED carrying every new annotation, as in Label Studio.
    client.patch(f"/api/webhooks/{hook['id']}", json={"actions": ["ANNOTATIONS_CREATED"]})
    result = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    ids = client.post(f"/api/projects/{project['id']}/import?return_task_ids=1", json=[
        {"data": {"image_path": f"/i/{i}.jpg"}, "predictions": [{"result": result}]} for i in range(2)]).json()["task_ids"]
    client.post(f"/api/dm/actions?id=predictions_to_annotations&project={project['id']}",
                json={"selectedItems": {"all": False, "included": ids}})
    assert wait_for(lambda: any(b.get("action") == "ANNOTATIONS_CREATED" for _, b in backend.calls))
    created = next(b for _, b in backend.calls if b.get("action") == "ANNOTATIONS_CREATED")
    assert sorted(a["task"] for a in created["annotation"]) == sorted(ids)
    assert all(a["result"] == result for a in created["annotation"]) and created["project"]["id"] == project["id"]
    bad = client.patch(f"/api/webhooks/{hook['id']}", json={"actions": ["NOPE"]})
    assert bad.status_code == 400 and "NOPE" in str(bad.json())
    assert client.delete(f"/api/webhooks/{hook['id']}").status_code == 204


def _import(client, pid, n):
    return client.post(f"/api/projects/{pid}/import?return_task_ids=1",
                       json=[{"image_path": f"/i/{i}.jpg"} for i in range(n)]).json()["task_ids"]


def _retrieve(client, pid):
    job_id = client.post(f"/api/dm/actions?id=retrieve_tasks_predictions&project={pid}",
                         json={"selectedItems": {"all": True, "excluded": []}}).json()["job"]
    assert wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["status"] in ("completed", "failed"))
    return client.get(f"/api/jobs/{job_id}").json()


def test_backend_down_shows_an_error_and_labeling_goes_on(client, project):
    pid = project["id"]
    backend = ProtocolBackend()
    (tid,) = _import(client, pid, 1)
    ml = client.post("/api/ml", json={"project": pid, "url": backend.url}).json()
    client.patch(f"/api/projects/{pid}", json={"evaluate_predictions_automatically": True})
    backend.close()
    job = _retrieve(client, pid)
    assert job["status"] == "failed" and "Can't connect to ML backend" in job["error"]
    assert client.get(f"/api/projects/{pid}/next").json()["id"] == tid  # the task still opens
    state = client.get(f"/api/ml/{ml['id']}").json()
    assert state["state"] == "ER" and "Can't connect" in state["error_message"]
    result = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
    assert client.post(f"/api/tasks/{tid}/annotations", json={"result": result}).status_code == 201


def test_slow_backend_times_out_and_no_save_waits_for_it(client, project):
    pid = project["id"]
    backend = ProtocolBackend(slow_seconds=3)
    try:
        (tid,) = _import(client, pid, 1)
        ml = client.post("/api/ml", json={"project": pid, "url": backend.url}).json()
        client.patch(f"/api/ml/{ml['id']}", json={"timeout": 0.5})
        job = _retrieve(client, pid)
        assert job["status"] == "failed" and "timed out" in job["error"].lower()
        result = [{"from_name": "class", "to_name": "image", "type": "choices", "value": {"choices": ["rose"]}}]
        assert client.post(f"/api/tasks/{tid}/annotations", json={"result": result}).status_code == 201
        # The save answered while the backend was still busy with the ANNOTATION_CREATED event it triggered.
        assert "/webhook" not in backend.finished
        assert wait_for(lambda: "/webhook" in backend.finished)
    finally:
        backend.close()


def test_malformed_predictions_are_not_stored_and_the_reason_is_shown(client, project):
    pid = project["id"]
    backend = ProtocolBackend(malformed=True)
    try:
        _import(client, pid, 3)
        client.post("/api/ml", json={"project": pid, "url": backend.url})
        job = _retrieve(client, pid)
        assert job["status"] == "failed" and "score" in job["error"]
        assert client.get(f"/api/projects/{pid}/model-versions").json() == {}
    finally:
        backend.close()


def test_webhook_target_down_retries_then_fails_with_the_reason(caplog):
    from labelhive.services.webhooks import deliver

    from labelhive.errors import ValidationFailed

    with caplog.at_level("WARNING", logger="labelhive.webhooks"), pytest.raises(ValidationFailed) as failed:
        deliver("http://127.0.0.1:9/webhook", {}, b"{}", delays=(0, 0))
    attempts = [r for r in caplog.records if "http://127.0.0.1:9/webhook failed" in r.getMessage()]
    assert len(attempts) == 3 and "not delivered after 3 attempt(s)" in failed.value.detail
