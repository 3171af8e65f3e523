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


@kind("convert")
def convert(ctx: Context, snapshot_id: int, export_type: str) -> None:
    from .services import conversions
    conversions.run(ctx.sessions, ctx.readonly_sessions, ctx.settings, snapshot_id, export_type)


@kind("retrieve_predictions")
def retrieve_predictions(ctx: Context, job_id: int, backend_id: int, task_ids: list[int], token: str,
                         hostname: str) -> None:
    from .services import ml
    ml.retrieve_predictions(ctx.sessions, job_id, backend_id, task_ids, token, hostname)


@kind("storage_sync")
def storage_sync(ctx: Context, storage_id: int, direction: str, user_id: int) -> None:
    from .services import storages
    storages.sync_in_background(ctx.sessions, storage_id, direction, user_id, ctx.settings.local_files_root,
                                ctx.progress)


@kind("storage_export")
def storage_export(ctx: Context, project_id: int, annotation_ids: list[int]) -> None:
    from .services import storages
    storages.export_in_background(ctx.sessions, ctx.readonly_sessions, project_id, annotation_ids,
                                  ctx.settings.local_files_root)


@kind("webhook", queue="webhooks")
def webhook(ctx: Context, url: str, headers: dict, data: bytes) -> None:
    from .services import webhooks
    webhooks.deliver(url, headers, data)
