"""The sweep on a real SQLite database: an export whose process stopped is retried as its next attempt, by one
sweeper only, until it has had MAX_ATTEMPTS; then it is failed with the reason. Live leases are left alone."""
from datetime import timedelta, timezone

from labelhive import db
from labelhive.models import ExportSnapshot, Job, Organization, Project
from labelhive.services import leases


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
        session.commit()
        return sessions, project.id


def test_a_stopped_export_is_retried_then_failed_and_a_live_one_is_left(tmp_path):
    sessions, pid = _database(tmp_path)
    ended, live = leases.now() - timedelta(seconds=5), leases.now() + timedelta(seconds=60)
    with sessions() as session:
        rows = [ExportSnapshot(project_id=pid, status="in_progress", lease_until=ended, attempts=1),
                ExportSnapshot(project_id=pid, status="in_progress", lease_until=ended,
                               attempts=leases.MAX_ATTEMPTS),
                ExportSnapshot(project_id=pid, status="in_progress", lease_until=live, attempts=1),
                Job(project_id=pid, kind="retrieve_tasks_predictions", status="running", lease_until=ended)]
        session.add_all(rows)
        session.commit()
        retried_id, spent_id, live_id, job_id = (r.id for r in rows)

    queued = []
    with sessions() as session:
        assert leases.sweep(session, lambda name, **kw: queued.append((name, kw)), 600) == 3
    assert queued == [("export", {"snapshot_id": retried_id, "attempt": 2,
                                  "lease": ("export_snapshot", retried_id)})]
    with sessions() as session:
        retried, spent, running = (session.get(ExportSnapshot, i) for i in (retried_id, spent_id, live_id))
        assert (retried.status, retried.attempts) == ("in_progress", 2)
        until = retried.lease_until.replace(tzinfo=timezone.utc)  # SQLite gives it back without its zone
        assert until > leases.now() + timedelta(seconds=500)  # queued again, with a queued lease
        assert spent.status == "failed" and "stopped before it finished" in spent.error
        assert (running.status, running.attempts) == ("in_progress", 1)
        job = session.get(Job, job_id)
        assert job.status == "failed" and "stopped before it finished" in job.error

    # A second sweeper right after finds nothing left to take: the retry went to one of them only.
    with sessions() as session:
        assert leases.sweep(session, lambda name, **kw: queued.append((name, kw)), 600) == 0
    assert len(queued) == 1
