"""Where queued background work runs: this process's threads, or Redis queues served by `labelhive worker`.

Without LABELHIVE_REDIS_URL (`make run`), jobs run on threads inside the web process: one command, nothing else
to start. With it, a job is put on a Redis queue (RQ) as its kind's name and plain arguments, and any
`labelhive worker` that sees the same database, media and Redis runs it. Either way the job's row holds a lease
(services/leases.py) that the running process renews: when that process dies, another one retries or fails it.

Two queues: "default" (exports, conversions, syncs, predictions) and "webhooks", so a dead receiver retrying for
minutes never delays the work people wait for. Jobs other than exports and syncs are rows of their own
(services/background.py), queued as ("job", id, attempt) on their kind's queue.
"""
import logging

from . import db, jobs
from .config import Settings
from .services import progress, shared_files
from .services import leases as leases_svc
from .worker import Worker

log = logging.getLogger("labelhive.queues")

QUEUES = ("default", "webhooks")


class Embedded:
    """Jobs on this process's threads. A job's lease is held from enqueue (it waits in memory here) to its end."""

    def __init__(self, ctx: jobs.Context, held: leases_svc.Leases):
        self.ctx, self.held = ctx, held
        self._workers = {"default": Worker(4, "worker"), "webhooks": Worker(4, "webhook")}

    def enqueue(self, name: str, *, on: str | None = None, lease: tuple[str, int] | None = None, **kwargs) -> None:
        """Queue kind `name` with kwargs on queue `on` (the kind's own by default); `lease` is the (table, id)
        of the row it runs for."""
        model = leases_svc.model_named(lease[0]) if lease else None
        if model is not None:
            self.held.hold(model, lease[1])  # queued in memory: held (renewed) by this process from now on
        self._workers[on or jobs.QUEUE_OF[name]].submit(self._run, name, kwargs, model and lease)

    def _run(self, name: str, kwargs: dict, lease) -> None:
        try:
            jobs.KINDS[name](self.ctx, **kwargs)
        finally:
            if lease:
                self.held.release(leases_svc.model_named(lease[0]), lease[1])

    def local(self, fn, *args) -> None:
        """Work that only makes sense in this process (an index build deduplicated in its memory)."""
        self._workers["default"].submit(fn, *args)

    def shutdown(self) -> None:
        for w in self._workers.values():
            w.shutdown()


class OnRedis:
    """Jobs on Redis queues (RQ). A job waiting there keeps the lease it was committed with; the worker that
    takes it holds it from then on (perform)."""

    def __init__(self, url: str):
        from redis import Redis
        from rq import Queue

        self.redis = Redis.from_url(url)
        self._queues = {name: Queue(name, connection=self.redis) for name in QUEUES}
        self._local = Worker(2, "local")

    def enqueue(self, name: str, *, on: str | None = None, lease: tuple[str, int] | None = None, **kwargs) -> None:
        # No timeout: a long export is renewing its lease, which is what tells a live job from a dead one.
        self._queues[on or jobs.QUEUE_OF[name]].enqueue(perform, name, kwargs, lease,
                                                        job_timeout=-1, result_ttl=0, failure_ttl=7 * 86400)

    def local(self, fn, *args) -> None:
        self._local.submit(fn, *args)

    def queue(self, name: str):
        return self._queues[name]

    def shutdown(self) -> None:
        self._local.shutdown()


# Set by `labelhive worker` (worker_main): the worker process's context and leases, which perform() uses.
_here: tuple[jobs.Context, leases_svc.Leases] | None = None


def perform(name: str, kwargs: dict, lease) -> None:
    """Run one job taken from Redis, inside `labelhive worker` (RQ calls this by its dotted name)."""
    ctx, held = _here
    model = leases_svc.model_named(lease[0]) if lease else None
    if model is not None:
        held.hold(model, lease[1])
        held.renew_now()  # from the queued lease (long) to a running one (short), so a kill is noticed soon
    try:
        jobs.KINDS[name](ctx, **kwargs)
    finally:
        if model is not None:
            held.release(model, lease[1])


def make(ctx: jobs.Context, held: leases_svc.Leases, redis_url: str | None):
    return OnRedis(redis_url) if redis_url else Embedded(ctx, held)


def process_context(settings: Settings, engine) -> tuple[jobs.Context, leases_svc.Leases]:
    """What background jobs run with in this process (web or worker), and the leases it holds."""
    sessions = db.make_sessionmaker(engine)
    shared_files.configure(settings)
    ctx = jobs.Context(settings=settings, sessions=sessions,
                       readonly_sessions=db.make_sessionmaker(engine, readonly=True),
                       progress=progress.make(settings.redis_url, settings.data_dir))
    return ctx, leases_svc.Leases(sessions, settings.job_lease_s, settings.queued_lease_s)


def work(settings: Settings, names: list[str]) -> None:
    """`labelhive worker --queues ...`: take jobs from these Redis queues, in this order of priority, one at a
    time, in this process (RQ's SimpleWorker: the lease thread here renews what the job holds)."""
    global _here
    from rq import SimpleWorker

    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    ctx, held = process_context(settings, engine)
    queue = OnRedis(settings.redis_url)
    held.start(queue.enqueue)
    _here = (ctx, held)
    SimpleWorker([queue.queue(name) for name in names], connection=queue.redis).work(logging_level="WARNING")
