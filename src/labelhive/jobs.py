"""The kinds of background work, by name, so a job can be queued as plain data (a name and arguments) and run
by whichever process takes it: this web process's threads, or a `labelhive worker` on another machine.

Each kind is fn(ctx, **kwargs), where ctx is the running process's Context (its settings, database sessions and
progress store); the arguments are ids and strings only, never objects of one process.
"""
from collections.abc import Callable
from dataclasses import dataclass

from .config import Settings

KINDS: dict[str, Callable] = {}
# Which queue a kind goes on: webhook deliveries never wait behind (or hold up) the work people wait for.
QUEUE_OF: dict[str, str] = {}


@dataclass
class Context:
    settings: Settings
    sessions: Callable
    readonly_sessions: Callable
    progress: object  # services.progress store: what a running sync has done, readable by every process


def kind(name: str, queue: str = "default"):
    def register(fn: Callable) -> Callable:
        KINDS[name], QUEUE_OF[name] = fn, queue
        return fn
    return register


@kind("export")
def export(ctx: Context, snapshot_id: int, attempt: int = 1) -> None:
    from .services import snapshots
    snapshots.run_snapshot(ctx.sessions, ctx.readonly_sessions, ctx.settings.export_dir, snapshot_id, attempt)


@kind("storage_sync")
def storage_sync(ctx: Context, storage_id: int, direction: str, user_id: int) -> None:
    from .services import storages
    storages.sync_in_background(ctx.sessions, storage_id, direction, user_id, ctx.settings.local_files_root,
                                ctx.progress)


@kind("job")
def job(ctx: Context, job_id: int, attempt: int = 1) -> None:
    """A job row (services/background.py): runs its kind's task with the row's arguments."""
    from .services import background
    background.run(ctx, job_id, attempt)


# Tasks of job rows: fn(ctx, job_id, **args) -> a result to keep in the row (or None); raising fails the row
# with the reason. Each may run again after its process died (the row's lease ended), so each is idempotent.
TASKS: dict[str, Callable] = {}


def task(name: str, queue: str = "default"):
    def register(fn: Callable) -> Callable:
        TASKS[name] = fn
        QUEUE_OF[name] = queue
        return fn
    return register


@task("convert")
def convert(ctx: Context, job_id: int, snapshot_id: int, export_type: str) -> None:
    from .services import conversions
    conversions.run(ctx.sessions, ctx.readonly_sessions, ctx.settings, snapshot_id, export_type)


@task("retrieve_tasks_predictions")
def retrieve_predictions(ctx: Context, job_id: int, backend_id: int, task_ids: list[int], user_id: int,
                         hostname: str) -> None:
    from .services import ml
    ml.retrieve_predictions(ctx.sessions, job_id, backend_id, task_ids, user_id, hostname)


@task("storage_export")
def storage_export(ctx: Context, job_id: int, project_id: int, annotation_ids: list[int]) -> dict:
    from .services import storages
    return storages.export_in_background(ctx.sessions, ctx.readonly_sessions, project_id, annotation_ids,
                                         ctx.settings.local_files_root)


@task("webhook", queue="webhooks")
def webhook(ctx: Context, job_id: int, url: str, headers: dict, data: str) -> dict:
    from .services import webhooks
    return webhooks.deliver(url, headers, data.encode())


@task("dashboard")
def dashboard(ctx: Context, job_id: int, project_id: int) -> None:
    from .services import dashboard as figures
    figures.refresh(ctx.sessions, ctx.readonly_sessions, project_id)

