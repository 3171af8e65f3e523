"""Background jobs as rows: a conversion, a webhook delivery, writing bulk annotations to export storage,
retrieving predictions. Each is a `job` row with its kind, the arguments it was queued with, state, progress,
attempts, a lease and its error, so any process can report it, run it again, or say why it failed.

submit() commits the row with its first lease and queues ("job", id, attempt) on the kind's queue (this
process's threads, or Redis for `labelhive worker`). run() takes it: only the row's current attempt may run and
finish it, so a retried job's stopped run never overwrites its successor. When the process running a job dies,
its lease ends and a sweep (services/leases.py) queues the next attempt, up to MAX_ATTEMPTS, or fails it with
the reason; a failed job can be retried by hand (retry()). Exports and storage syncs keep rows of their own
(export_snapshot, storage), with the same leases.
"""
import logging
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .. import jobs
from ..errors import ValidationFailed, describe
from ..models import Job, Project
from . import conversions
from .leases import MAX_ATTEMPTS, STOPPED, first_lease, now

log = logging.getLogger("labelhive.jobs")

RUNNING = ("queued", "running")
# Completed rows are kept a week (a webhook delivery per save adds up), failed ones a month.
KEEP = {"completed": timedelta(days=7), "failed": timedelta(days=30)}
# What a job's other rows should say when it ran out of attempts.
ABANDONED = {"convert": lambda session, args, reason: conversions.abandoned(
    session, args["snapshot_id"], args["export_type"], reason)}


def submit(session: Session, enqueue, project_id: int, kind: str, lease_s: float, /, **args) -> Job:
    """Commit a job row (with whatever the session holds) and queue it. `enqueue` is the process's queue's."""
    job = Job(project_id=project_id, kind=kind, args=args, status="queued", lease_until=first_lease(lease_s))
    session.add(job)
    session.commit()
    _queue(enqueue, job.id, kind, job.attempts)
    return job


def _queue(enqueue, job_id: int, kind: str, attempt: int) -> None:
    enqueue("job", on=jobs.QUEUE_OF[kind], lease=(Job.__tablename__, job_id), job_id=job_id, attempt=attempt)


def run(ctx, job_id: int, attempt: int) -> None:
    """Run a job row's task, if this is still its current attempt, and record how it ended."""
    with ctx.sessions() as session:
        started = session.execute(update(Job).where(Job.id == job_id, Job.attempts == attempt,
                                                    Job.status.in_(RUNNING)).values(status="running")).rowcount
        job = session.get(Job, job_id) if started else None
        kind, args = (job.kind, dict(job.args or {})) if job else (None, None)
        session.commit()
    if not started:
        return  # superseded by a later attempt, or cancelled with its project
    try:
        result = jobs.TASKS[kind](ctx, job_id, **args)
        outcome = {"status": "completed", "error": None}
        if result is not None:
            outcome["result"] = result
    except Exception as exc:  # the row is where the user sees what went wrong
        log.warning("job %s (%s) failed: %s", job_id, kind, describe(exc))
        outcome = {"status": "failed", "error": describe(exc)}
    with ctx.sessions() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.attempts == attempt)
                        .values(**outcome, finished_at=now(), lease_until=None))
        session.commit()


def retry(session: Session, enqueue, job: Job, lease_s: float) -> Job:
    """Run a failed job again, as its next attempt."""
    if job.status != "failed":
        raise ValidationFailed(f"Job {job.id} is {job.status}; only a failed job can be retried.")
    if not job.args or job.kind not in jobs.TASKS:
        raise ValidationFailed(f"Job {job.id} cannot be run again: start it anew instead.")
    job.status, job.error, job.finished_at = "queued", None, None
    job.attempts += 1
    job.lease_until = first_lease(lease_s)
    session.commit()
    _queue(enqueue, job.id, job.kind, job.attempts)
    return job


def take_over(session: Session, at, queued_lease_s: float) -> list[tuple]:
    """Jobs whose lease ended (their process stopped): claimed as their next attempt, to be queued after the
    commit, as (name, kwargs) for the queue; conditional on the lease still being over, so of two processes
    sweeping at once, one takes each. Those out of attempts are left to the sweep's failing."""
    taken = []
    rows = session.execute(select(Job.id, Job.kind, Job.attempts).where(
        Job.status.in_(RUNNING), Job.lease_until < at, Job.args.is_not(None), Job.attempts < MAX_ATTEMPTS)).all()
    for job_id, kind, attempts in rows:
        if kind not in jobs.TASKS:
            continue
        won = session.execute(update(Job).where(Job.id == job_id, Job.lease_until < at).values(
            status="queued", attempts=attempts + 1, lease_until=first_lease(queued_lease_s))).rowcount
        if won:
            taken.append(("job", {"on": jobs.QUEUE_OF[kind], "lease": (Job.__tablename__, job_id),
                                  "job_id": job_id, "attempt": attempts + 1}))
    return taken


def abandon(session: Session, at) -> None:
    """Before the sweep fails stopped jobs out of attempts: what else they would have finished says so."""
    rows = session.execute(select(Job.kind, Job.args).where(
        Job.status.in_(RUNNING), Job.lease_until < at, Job.kind.in_(ABANDONED))).all()
    for kind, args in rows:
        if args:
            ABANDONED[kind](session, args, STOPPED)


def prune(session: Session) -> int:
    """Forget old finished jobs."""
    gone = 0
    for status, keep in KEEP.items():
        gone += session.execute(delete(Job).where(Job.status == status, Job.finished_at < now() - keep)).rowcount or 0
    return gone


def listing(session: Session, project: Project, limit: int = 100) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.project_id == project.id)
                                .order_by(Job.id.desc()).limit(limit)))


def job_json(job: Job) -> dict:
    return {"id": job.id, "project": job.project_id, "kind": job.kind, "status": job.status, "done": job.done,
            "total": job.total, "result": job.result, "error": job.error, "attempts": job.attempts,
            "can_retry": job.status == "failed" and bool(job.args) and job.kind in jobs.TASKS,
            "created_at": job.created_at, "finished_at": job.finished_at}
