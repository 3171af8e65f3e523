"""Converting a finished export snapshot to another format in the background
(POST /api/projects/{id}/exports/{eid}/convert), so a big COCO or YOLO export never runs inside a request.

The snapshot row lists its conversions as Label Studio's `converted_formats` ({id, export_type, status,
traceback}); each entry also keeps the file it wrote, which the download then serves as it is.
"""
import logging
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import ValidationFailed
from ..exporters.full import read_json_lines
from ..models import ExportSnapshot, Project
from . import exports, shared_files

log = logging.getLogger("labelhive.exports")
PUBLIC_KEYS = ("id", "export_type", "status", "traceback")


def converted_formats(snap: ExportSnapshot) -> list[dict]:
    return [{k: entry.get(k) for k in PUBLIC_KEYS} for entry in snap.converted or []]


def request(session: Session, project: Project, snap: ExportSnapshot, body: dict) -> dict:
    """Record a conversion to run; a format converted before is made again (the project may have changed
    its config since, and the user asked)."""
    if snap.status != "completed":
        raise ValidationFailed(f"Export {snap.id} is {snap.status}; convert it once it has completed.")
    fmt = exports.check_format(project, body.get("export_type") or body.get("exportType") or "")
    if fmt == "JSON":
        raise ValidationFailed("The snapshot is JSON already: download it with exportType=JSON.")
    others = [e for e in snap.converted or [] if e["export_type"] != fmt]
    entry = {"id": max((e["id"] for e in snap.converted or []), default=0) + 1, "export_type": fmt,
             "status": "created", "traceback": None, "file": None, "name": None}
    snap.converted = others + [entry]  # committed with the job that makes it (background.submit)
    return entry


def run(sessions, readonly_sessions, settings: Settings, snapshot_id: int, fmt: str) -> None:
    """On a worker thread: convert the snapshot's JSON to `fmt` and keep the result beside it."""
    _update(sessions, snapshot_id, fmt, status="in_progress")
    try:
        with readonly_sessions() as reader:
            snap = reader.get(ExportSnapshot, snapshot_id)
            project = reader.get(Project, snap.project_id)
            source = shared_files.pull(settings.export_dir / snap.file)
            media = exports.media_reader(reader, project, settings)
            path, name = exports.export_to_file(settings.export_dir, project, fmt,
                                                lambda lean: read_json_lines(source), media)
        target = settings.export_dir / f"snapshot-{snapshot_id}-{fmt.lower()}{path.suffix}"
        os.replace(path, target)
        shared_files.push(target)
        _update(sessions, snapshot_id, fmt, status="completed", file=target.name, name=name)
    except Exception as exc:  # the entry is where the user sees what went wrong
        log.warning("converting export snapshot %s to %s failed: %s", snapshot_id, fmt, exc)
        _update(sessions, snapshot_id, fmt, status="failed", traceback=str(exc))
        raise  # and the job row fails with it


def abandoned(session, snapshot_id: int, export_type: str, reason: str) -> None:
    """A conversion whose job ran out of attempts (its processes kept stopping): its entry says so."""
    snap = session.get(ExportSnapshot, snapshot_id)
    if snap is not None:
        snap.converted = [{**e, "status": "failed", "traceback": reason} if e["export_type"] == export_type
                          and e["status"] in ("created", "in_progress") else e for e in snap.converted or []]


def update_snapshot(sessions, snapshot_id: int, change: Callable[[ExportSnapshot], None]) -> None:
    """Apply `change` to a snapshot in its own short transaction: how the snapshot and conversion jobs
    report progress."""
    with sessions() as session:
        snap = session.get(ExportSnapshot, snapshot_id)
        if snap is None:
            return  # deleted while the job ran
        change(snap)
        session.commit()


def _update(sessions, snapshot_id: int, fmt: str, **fields) -> None:
    def change(snap: ExportSnapshot) -> None:
        # A new list, so the JSON column is seen as changed.
        snap.converted = [{**e, **fields} if e["export_type"] == fmt else e for e in snap.converted or []]
    update_snapshot(sessions, snapshot_id, change)


def converted_file(export_dir: Path, snap: ExportSnapshot, fmt: str) -> tuple[Path, str] | None:
    """The finished conversion to `fmt`, if there is one: (file, download name)."""
    for entry in snap.converted or []:
        if entry["export_type"] == fmt.upper() and entry["status"] == "completed" and entry.get("file"):
            path = shared_files.pull(export_dir / entry["file"])
            if path.exists():
                return path, entry["name"]
    return None


def remove_files(export_dir: Path, snap: ExportSnapshot) -> None:
    for entry in snap.converted or []:
        if entry.get("file"):
            shared_files.remove(export_dir / entry["file"])
