"""Leases on background work, so a process that dies never leaves its work "running" forever.

An export snapshot, a job (predictions) or a storage sync that is queued or running carries `lease_until`.
The process holding it (its Worker queued or runs it) renews the lease every third of its length; when the
process is killed, nobody renews it, and once it has ended any process's sweep marks the work failed, with the
reason, so the user can start it again. Work whose lease is still running belongs to a live process (this
one or another on the same database) and is never touched: a restart no longer fails another's sync.
Work is committed with its first lease (first_lease), in the same transaction that creates or claims it, so a
kill right after the request still leaves a lease that ends. Rows without one are left alone.

An export whose lease ended is retried (it is idempotent: each attempt writes its own file, and only the
current attempt may finish the row), up to MAX_ATTEMPTS; so when a worker is killed, another takes it over.
So are job rows queued with their arguments (services/background.py); a storage sync is failed, to be
retried by hand.
"""
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from ..models import ExportSnapshot, ImportBatch, Job, Storage

log = logging.getLogger("labelhive.leases")

STOPPED = "The server process running this stopped before it finished; nothing was kept. Start it again."
# Per kind of work: its "still going" states, and what a stopped one becomes.
KINDS = {
    ExportSnapshot: (("created", "in_progress"), {"status": "failed", "error": STOPPED}),
    Job: (("queued", "running"), {"status": "failed", "error": STOPPED}),
    Storage: (("queued", "in_progress"), {"status": "failed", "traceback": STOPPED}),
}


# Kinds of work taken over by another process when theirs stops: the job to queue for a row (and the attempt).
RETRIED = {ExportSnapshot: lambda row_id, attempt: ("export", {"snapshot_id": row_id, "attempt": attempt})}
MAX_ATTEMPTS = 3
PRUNE_EVERY_S = 3600  # old finished job rows are deleted this often


def model_named(table: str) -> type:
    """The model of a lease given as (table name, id): how a lease travels inside a queued job."""
    return next(model for model in KINDS if model.__tablename__ == table)


def now() -> datetime:
    return datetime.now(timezone.utc)


def first_lease(seconds: float) -> datetime:
    """The lease a row of new background work is committed with, before any worker holds it."""
    return now() + timedelta(seconds=seconds)


def renew(session, held: dict[type, set[int]], seconds: float) -> None:
    """Extend the leases of the work this process holds (only while it is still going)."""
    until = now() + timedelta(seconds=seconds)
    for model, ids in held.items():
        if ids:
            running, _ = KINDS[model]
            session.execute(update(model).where(model.id.in_(ids), model.status.in_(running))
                            .values(lease_until=until))
    session.commit()


def sweep(session, retry=None, queued_lease_s: float = 600.0) -> int:
    """Retry (with `retry(kind, **kwargs)`, which queues a job) or mark failed the work whose lease ended: its
    process stopped. Returns how many rows."""
    from . import background  # background runs jobs with this module's leases

    stopped = 0
    at = now()
    if retry is not None:
        stopped += _retry(session, retry, at, queued_lease_s)
    stopped += _discard_imports(session, at)
    background.abandon(session, at)
    for model, (running, outcome) in KINDS.items():
        values = {**outcome, "lease_until": None}
        if model is not Storage:
            values["finished_at"] = at
        result = session.execute(update(model).where(model.status.in_(running), model.lease_until.is_not(None),
                                                     model.lease_until < at).values(**values))
        stopped += result.rowcount or 0
    session.commit()
    if stopped:
        log.warning("%d background task(s) had no live process any more; marked failed", stopped)
    return stopped


def _discard_imports(session, at: datetime) -> int:
    """Chunked imports whose process died: what they wrote is deleted, so an import stays all or nothing."""
    from .imports import discard_batch  # imports uses first_lease from here

    stale = list(session.scalars(select(ImportBatch.id).where(
        ImportBatch.status == "running", ImportBatch.lease_until < at)))
    for batch_id in stale:
        # Claimed first (one sweeper deletes), then deleted in the same short transaction as the claim's end.
        if session.execute(update(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.lease_until < at)
                           .values(lease_until=None)).rowcount:
            discard_batch(session, batch_id, STOPPED)
    session.commit()
    return len(stale)


def _retry(session, retry, at: datetime, queued_lease_s: float) -> int:
    from . import background

    taken = [(name, kwargs) for name, kwargs in background.take_over(session, at, queued_lease_s)]
    for model, job in RETRIED.items():
        running, _ = KINDS[model]
        rows = session.execute(select(model.id, model.attempts).where(
            model.status.in_(running), model.lease_until < at, model.attempts < MAX_ATTEMPTS)).all()
        for row_id, attempts in rows:
            # Conditional on the lease still being over: of two processes sweeping at once, one takes it.
            won = session.execute(update(model).where(model.id == row_id, model.lease_until < at).values(
                attempts=attempts + 1, lease_until=first_lease(queued_lease_s))).rowcount
            if won:
                name, kwargs = job(row_id, attempts + 1)
                taken.append((name, {**kwargs, "lease": (model.__tablename__, row_id)}))
    session.commit()
    for name, kwargs in taken:  # after the commit: a worker taking it at once sees the new attempt
        log.warning("%s %s: its process stopped; retrying", name, kwargs)
        retry(name, **kwargs)
    return len(taken)


class Leases:
    """This process's leases: work is held from submit until it returns; one thread renews and sweeps."""

    def __init__(self, sessions, seconds: float, queued_lease_s: float = 600.0):
        self.sessions, self.seconds, self.queued_lease_s = sessions, seconds, queued_lease_s
        self.retry = None  # how taken-over work is queued again: given to start()
        self._held: dict[type, dict[int, int]] = {model: {} for model in KINDS}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False

    def start(self, retry) -> "Leases":
        """Start renewing and sweeping, once the process's queue exists to retry stopped work with."""
        self.retry = retry
        threading.Thread(target=self._run, name="labelhive-leases", daemon=True).start()
        return self

    def hold(self, model: type, row_id: int) -> None:
        """Renew the row's lease from now until release(). Its first lease was written with the row
        (first_lease), in the request's own transaction: no second connection waits on its write lock."""
        with self._lock:
            self._held[model][row_id] = self._held[model].get(row_id, 0) + 1

    def release(self, model: type, row_id: int) -> None:
        with self._lock:
            left = self._held[model].get(row_id, 0) - 1
            if left > 0:
                self._held[model][row_id] = left
            else:
                self._held[model].pop(row_id, None)

    def _run(self) -> None:
        from . import background

        pruned = 0.0
        while not self._stop:
            with self._lock:
                held = {model: set(ids) for model, ids in self._held.items()}
            try:
                with self.sessions() as session:
                    renew(session, held, self.seconds)
                    sweep(session, self.retry, self.queued_lease_s)
                    if time.monotonic() - pruned > PRUNE_EVERY_S:
                        background.prune(session)
                        session.commit()
                        pruned = time.monotonic()
            except Exception:
                log.exception("renewing leases failed; trying again")
            self._wake.wait(self.seconds / 3)
            self._wake.clear()

    def renew_now(self) -> None:
        self._wake.set()

    def shutdown(self) -> None:
        self._stop = True
        self._wake.set()
