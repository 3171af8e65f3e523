"""Export snapshots (/api/projects/{id}/exports): a JSON snapshot on disk, converted to other formats on download
(or beforehand, in the background: services/conversions.py)."""
import logging
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..exporters.full import read_json_lines, write_json
from ..models import ExportSnapshot, Project, Task, User, View
from ..schemas import user_brief
from . import conversions, exports, leases, shared_files
from .tasks import task_query

log = logging.getLogger("labelhive.exports")


def snapshot_json(snap: ExportSnapshot, creator: User | None) -> dict:
    opts = snap.options or {}
    return {"id": snap.id, "title": snap.title, "created_by": user_brief(creator), "created_at": snap.created_at,
            "finished_at": snap.finished_at, "status": snap.status, "md5": snap.md5, "counters": snap.counters,
            "converted_formats": conversions.converted_formats(snap), "task_filter_options": opts.get("task_filter_options"),
            "annotation_filter_options": opts.get("annotation_filter_options"),
            "serialization_options": opts.get("serialization_options"),
            # Not in Label Studio's answer: why a failed snapshot failed (its process stopped, a disk error...).
            **({"error": snap.error} if snap.status == "failed" and snap.error else {})}


def _annotation_filter(options: dict | None):
    if not options:
        return None
    usual, gt, skipped = (bool(options.get(k, d)) for k, d in (("usual", True), ("ground_truth", True), ("skipped", True)))
    return lambda a: (skipped if a["was_cancelled"] else (gt if a["ground_truth"] else usual))


def create_snapshot(session: Session, project: Project, user: User, body: dict, lease_s: float) -> ExportSnapshot:
    """The snapshot row, "in_progress" at once; run_snapshot fills it on a worker thread."""
    snap = ExportSnapshot(project_id=project.id, created_by_id=user.id, status="in_progress",
                          lease_until=leases.first_lease(lease_s),
                          title=body.get("title") or "", counters={"task_number": 0},
                          options={k: body.get(k) for k in (
                              "task_filter_options", "annotation_filter_options", "serialization_options")})
    session.add(snap)
    session.commit()
    return snap


class Superseded(Exception):
    """This run's process was taken for dead and the snapshot handed to another attempt: stop quietly."""


def run_snapshot(sessions, readonly_sessions, export_dir: Path, snapshot_id: int, attempt: int = 1) -> None:
    """Stream the snapshot's tasks to disk in chunks, counting them into the row as it goes.

    The tasks are read in a read-only transaction and progress is written in short ones of its own: on
    SQLite a write transaction held for the whole export would make every annotator's save wait on it.
    Every write is for this attempt only (see services/leases.py): a run taken over by another process stops."""
    path = export_dir / f"snapshot-{snapshot_id}.json"
    part = export_dir / f"snapshot-{snapshot_id}.json.{attempt}.part"
    try:
        with readonly_sessions() as reader:
            snap = reader.get(ExportSnapshot, snapshot_id)
            if snap is None:
                return
            project = reader.get(Project, snap.project_id)
            body = snap.options or {}
            task_opts = body.get("task_filter_options") or {}
            ser = body.get("serialization_options") or {}
            where, _ = task_query(reader, project, {}, _view(reader, project, task_opts.get("view")))
            if task_opts.get("only_with_annotations"):
                where = exports.task_filter(project, False, None, where)
            total = reader.scalar(select(func.count(Task.id)).where(where))
            _update(sessions, snapshot_id, attempt, counters={"task_number": 0, "total": total})
            # Like Label Studio: completed_by stays an id unless the request asks for it expanded.
            expand = ("annotations__completed_by" in ser
                      and not (ser["annotations__completed_by"] or {}).get("only_id", False))
            full_predictions = not ((ser.get("predictions") or {}).get("only_id", True))
            tasks = exports.iter_export_tasks(reader, project, where, not expand,
                                              _annotation_filter(body.get("annotation_filter_options")),
                                              full_predictions=full_predictions)
            with open(part, "wb") as out:
                n = write_json(_counting(sessions, snapshot_id, attempt, total, tasks), out)
        os.replace(part, path)
        shared_files.push(path)
        for earlier in range(1, attempt):  # what runs killed midway left
            (export_dir / f"snapshot-{snapshot_id}.json.{earlier}.part").unlink(missing_ok=True)
        _update(sessions, snapshot_id, attempt, status="completed", file=path.name, md5=exports.file_md5(path),
                counters={"task_number": n, "total": total}, finished_at=datetime.now(timezone.utc))
    except Superseded:
        part.unlink(missing_ok=True)
    except Exception as exc:  # the row is where the user sees what went wrong
        part.unlink(missing_ok=True)
        log.warning("export snapshot %s failed: %s", snapshot_id, exc)
        _update(sessions, snapshot_id, attempt, status="failed", error=str(exc),
                finished_at=datetime.now(timezone.utc))


def _view(session: Session, project: Project, view_id) -> View | None:
    """The view whose filters the snapshot follows. As in Label Studio, one that does not exist (or is another
    project's) filters nothing: the snapshot has every task."""
    try:
        view = session.get(View, int(view_id)) if view_id else None
    except (TypeError, ValueError):
        return None
    return view if view is not None and view.project_id == project.id else None


def run_now(session: Session, project: Project, limit: int) -> bool:
    """Whether a snapshot of this project is small enough to write before answering, as Label Studio writes
    every one: a client may download or convert it at once. Bigger ones go to a worker."""
    counted = session.scalar(select(func.count()).select_from(
        select(Task.id).where(Task.project_id == project.id).limit(limit + 1).subquery()))
    return counted <= limit


def _update(sessions, snapshot_id: int, attempt: int, **fields) -> None:
    """Write to the snapshot in a short transaction of its own, if `attempt` is still its current one."""
    with sessions() as session:
        written = session.execute(update(ExportSnapshot).where(
            ExportSnapshot.id == snapshot_id, ExportSnapshot.attempts == attempt).values(**fields)).rowcount
        session.commit()
    if not written:
        raise Superseded


def _counting(sessions, snapshot_id: int, attempt: int, total: int, tasks: Iterator[dict]) -> Iterator[dict]:
    for n, task in enumerate(tasks, 1):
        yield task
        if n % exports.CHUNK == 0:
            _update(sessions, snapshot_id, attempt, counters={"task_number": n, "total": total})


def list_snapshots(session: Session, project: Project) -> list[ExportSnapshot]:
    return list(session.scalars(select(ExportSnapshot).where(ExportSnapshot.project_id == project.id)
                                .order_by(ExportSnapshot.id.desc())))


def get_snapshot(session: Session, project: Project, export_id) -> ExportSnapshot:
    snap = session.get(ExportSnapshot, int(export_id))
    if snap is None or snap.project_id != project.id:
        raise NotFound(f"Export {export_id} not found in project {project.id}")
    return snap


def delete_snapshot(session: Session, export_dir: Path, snap: ExportSnapshot) -> None:
    if snap.file:
        shared_files.remove(export_dir / snap.file)
    conversions.remove_files(export_dir, snap)
    session.delete(snap)
    session.commit()


def snapshot_download(export_dir: Path, project: Project, snap: ExportSnapshot, fmt: str,
                      media=None) -> tuple[Path, str, bool]:
    """(path, download name, is_temporary): JSON is served as stored; other formats are converted from it."""
    if snap.status != "completed" or not snap.file:
        raise NotFound(f"Export {snap.id} is {snap.status}; download it once it has completed.")
    converted = conversions.converted_file(export_dir, snap, fmt)
    if converted is not None:
        return converted[0], converted[1], False
    source = shared_files.pull(export_dir / snap.file)
    if fmt.upper() == "JSON":
        stamp = snap.created_at.strftime("%Y-%m-%d-%H-%M")
        return source, f"project-{project.id}-at-{stamp}-{(snap.md5 or '')[:8]}.json", False
    path, name = exports.export_to_file(export_dir, project, fmt, lambda lean: read_json_lines(source), media)
    return path, name, True
