"""Every background job is a row (issue 16): a webhook delivery, a conversion, predictions, bulk writes to export
storage. The project's job list shows each with its state and error; a failed one is retried by hand; one whose
process stopped is taken over as its next attempt, or failed with the reason once out of attempts, and what it
would have finished (a conversion's entry) says so too."""
import time
from datetime import timedelta

import pytest

from export_helpers import DETECTION, annotate, import_tasks, new_project, rect, wait_for_snapshot
from labelhive import db
from labelhive.models import ExportSnapshot, Job, Organization, Project
from labelhive.services import background, leases
from webhook_receiver import Receiver


def wait_for_job(client, job_id: int, states=("completed", "failed")) -> dict:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job['status']}")


def jobs_of(client, pid: int, kind: str) -> list[dict]:
    r = client.get(f"/api/projects/{pid}/jobs")
    assert r.status_code == 200, r.text
    return [j for j in r.json() if j["kind"] == kind]


def test_a_refused_webhook_is_a_failed_job_with_its_reason_and_retry_delivers_it(client):
    receiver = Receiver(410)
    try:
        pid = new_project(client, DETECTION)
        r = client.post("/api/webhooks", json={"project": pid, "url": receiver.url, "actions": ["TASKS_CREATED"],
                                                "send_for_all_actions": False})
        assert r.status_code == 201, r.text
        import_tasks(client, pid, [{"image": "a.jpg"}])
        [job] = jobs_of(client, pid, "webhook")
        job = wait_for_job(client, job["id"])
        assert job["status"] == "failed" and job["can_retry"] and job["attempts"] == 1
        assert job["error"] == (f"Webhook to {receiver.url} not delivered after 1 attempt(s): "
                                "the receiver answered HTTP 410.")
        assert "url" not in job and "args" not in job  # what it was queued with stays on the server

        receiver.status = 200  # the receiver is fixed
        r = client.post(f"/api/jobs/{job['id']}/retry")
        assert r.status_code == 200 and r.json()["status"] == "queued" and r.json()["attempts"] == 2
        job = wait_for_job(client, job["id"])
        assert job["status"] == "completed" and job["error"] is None and job["result"] == {"status_code": 200}
        assert [b["action"] for b in receiver.bodies] == ["TASKS_CREATED", "TASKS_CREATED"]
        assert receiver.bodies[-1]["tasks"][0]["data"] == {"image": "a.jpg"}

        r = client.post(f"/api/jobs/{job['id']}/retry")
        assert r.status_code == 400 and r.json()["detail"] == \
            f"Job {job['id']} is completed; only a failed job can be retried."
    finally:
        receiver.close()


def test_a_conversion_is_a_job_in_the_project_list(client):
    pid = new_project(client, DETECTION)
    [tid] = import_tasks(client, pid, [{"image": "a.jpg"}])
    annotate(client, tid, [rect(10, 10, 20, 20)])
    snap = wait_for_snapshot(client, pid, client.post(f"/api/projects/{pid}/exports", json={}).json()["id"])
    assert snap["status"] == "completed"
    r = client.post(f"/api/projects/{pid}/exports/{snap['id']}/convert", json={"export_type": "YOLO"})
    assert r.status_code == 200, r.text
    [job] = jobs_of(client, pid, "convert")
    assert wait_for_job(client, job["id"])["status"] == "completed"
    r = client.get(f"/api/projects/{pid}/exports/{snap['id']}")
    assert [(c["export_type"], c["status"]) for c in r.json()["converted_formats"]] == [("YOLO", "completed")]


def test_jobs_of_another_organization_are_not_found(client, app):
    pid = new_project(client, DETECTION)
    with app.state.sessions() as session:
        org = Organization(title="Other")
        session.add(org)
        session.flush()
        other = Project(organization_id=org.id, title="Theirs")
        session.add(other)
        session.flush()
        job = Job(project_id=other.id, kind="webhook", status="failed", args={"url": "http://x", "headers": {},
                                                                               "data": "{}"})
        session.add(job)
        session.commit()
        job_id, other_id = job.id, other.id
    assert client.get(f"/api/jobs/{job_id}").status_code == 404
    assert client.post(f"/api/jobs/{job_id}/retry").status_code == 404
    assert client.get(f"/api/projects/{other_id}/jobs").status_code == 404
    assert client.get(f"/api/projects/{pid}/jobs").json() == []


def _database(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    db.upgrade(engine)
    sessions = db.make_sessionmaker(engine)
    with sessions() as session:
        org = Organization(title="Org")
        session.add(org)
        session.flush()
        project = Project(organization_id=org.id, title="P")
        session.add(project)
        session.flush()
        snap = ExportSnapshot(project_id=project.id, status="completed", file="snapshot.json",
                              converted=[{"id": 1, "export_type": "CSV", "status": "in_progress", "traceback": None,
                                          "file": None, "name": None}])
        session.add(snap)
        session.commit()
        return sessions, project.id, snap.id


def test_a_stopped_job_is_taken_over_then_failed_with_its_conversion(tmp_path):
    sessions, pid, snap_id = _database(tmp_path)
    ended = leases.now() - timedelta(seconds=5)
    args = {"snapshot_id": snap_id, "export_type": "CSV"}
    with sessions() as session:
        rows = [Job(project_id=pid, kind="convert", status="running", args=args, lease_until=ended, attempts=1),
                Job(project_id=pid, kind="webhook", status="queued", lease_until=ended, attempts=2,
                    args={"url": "http://127.0.0.1:9/", "headers": {}, "data": "{}"}),
                Job(project_id=pid, kind="convert", status="running", args=args, lease_until=ended,
                    attempts=leases.MAX_ATTEMPTS)]
        session.add_all(rows)
        session.commit()
        retried, webhook, spent = (r.id for r in rows)

    queued = []
    with sessions() as session:
        assert leases.sweep(session, lambda name, **kw: queued.append((name, kw)), 600) == 3
    assert sorted(queued, key=lambda q: q[1]["job_id"]) == [
        ("job", {"on": "default", "lease": ("job", retried), "job_id": retried, "attempt": 2}),
        ("job", {"on": "webhooks", "lease": ("job", webhook), "job_id": webhook, "attempt": 3})]
    with sessions() as session:
        assert (session.get(Job, retried).status, session.get(Job, retried).attempts) == ("queued", 2)
        failed = session.get(Job, spent)
        assert failed.status == "failed" and "stopped before it finished" in failed.error
        [entry] = session.get(ExportSnapshot, snap_id).converted
        assert entry["status"] == "failed" and "stopped before it finished" in entry["traceback"]
    # A second sweeper right after finds nothing to take.
    with sessions() as session:
        assert leases.sweep(session, lambda name, **kw: queued.append((name, kw)), 600) == 0
    assert len(queued) == 2


def test_only_the_current_attempt_runs_a_job(tmp_path):
    sessions, pid, _ = _database(tmp_path)
    with sessions() as session:
        job = Job(project_id=pid, kind="webhook", status="queued", attempts=2,
                  args={"url": "http://127.0.0.1:9/", "headers": {}, "data": "{}"})
        session.add(job)
        session.commit()
        job_id = job.id

    class Ctx:
        pass
    ctx = Ctx()
    ctx.sessions = sessions
    background.run(ctx, job_id, attempt=1)  # the stopped run's leftover: superseded, it does nothing
    with sessions() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.error, job.finished_at) == ("queued", None, None)


@pytest.mark.parametrize("status", ["completed", "failed"])
def test_old_finished_jobs_are_pruned(tmp_path, status):
    sessions, pid, _ = _database(tmp_path)
    with sessions() as session:
        old = Job(project_id=pid, kind="webhook", status=status, finished_at=leases.now() - timedelta(days=40))
        new = Job(project_id=pid, kind="webhook", status=status, finished_at=leases.now() - timedelta(hours=1))
        running = Job(project_id=pid, kind="webhook", status="running", lease_until=leases.now())
        session.add_all([old, new, running])
        session.commit()
        assert background.prune(session) == 1
        session.commit()
        assert {j.id for j in session.query(Job)} == {new.id, running.id}
