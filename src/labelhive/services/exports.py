"""Exports: stream a project's tasks in Label Studio's export shape into a file in any supported format."""
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from .. import labelconfig
from ..errors import ValidationFailed
from ..exporters import write_csv, write_json_min
from ..exporters.full import write_json
from ..models import Annotation, FileUpload, Prediction, Project, Task, User
from .projects import config_of
from .tasks import rename_undefined

CHUNK = 2000
TABULAR = {"JSON": ".json", "JSON_MIN": ".json", "CSV": ".csv", "TSV": ".tsv"}
FORMAT_INFO = {
    "JSON": ("JSON", "List of items in raw JSON format stored in one JSON file. Use to export both the data "
             "and the annotations for a dataset. It's Label Studio Common Format", ["JSON"]),
    "JSON_MIN": ("JSON-MIN", "List of items where only \"from_name\", \"to_name\" values from the raw JSON format "
                 "are exported. Use to export only the annotations for a dataset.", ["JSON"]),
    "CSV": ("CSV", "Results are stored as comma-separated values with the column names specified by the values "
            "of the \"from_name\" and \"to_name\" fields.", ["CSV"]),
    "TSV": ("TSV", "Results are stored in tab-separated tabular file with column names specified by "
            "\"from_name\" \"to_name\" values", ["TSV"]),
}


def export_formats(project: Project) -> list[dict]:
    supported = set(labelconfig.supported_export_formats(config_of(project)))
    out = []
    for name, (title, description, tags) in FORMAT_INFO.items():
        out.append({"name": name, "title": title, "description": description, "tags": tags,
                    "link": f"https://labelstud.io/guide/export.html#{title}", "disabled": name not in supported})
    return out


def task_filter(project: Project, all_tasks: bool, ids: list[int] | None, extra=None):
    clause = Task.project_id == project.id
    if not all_tasks:
        clause = and_(clause, or_(Task.total_annotations > 0, Task.cancelled_annotations > 0))
    if ids:
        clause = and_(clause, Task.id.in_(ids))
    return and_(clause, extra if extra is not None else true())


def _users(session: Session, ids: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    return {u.id: {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
            for u in session.scalars(select(User).where(User.id.in_(ids)))}


def iter_export_tasks(session: Session, project: Project, where, completed_by_only_id: bool = True,
                      annotation_filter: Callable[[dict], bool] | None = None) -> Iterator[dict]:
    """Tasks in the sync-export shape, read in keyset-paged chunks so memory stays flat."""
    first_key = next(iter(config_of(project).data_keys), None)
    t, a = Task.__table__, Annotation.__table__
    last_id = 0
    while True:
        rows = session.execute(select(t).where(where, t.c.id > last_id).order_by(t.c.id).limit(CHUNK)).all()
        if not rows:
            return
        ids = [r.id for r in rows]
        last_id = ids[-1]
        anns: dict[int, list] = defaultdict(list)
        for r in session.execute(select(a).where(a.c.task_id.in_(ids)).order_by(a.c.id)):
            anns[r.task_id].append(r)
        preds: dict[int, list] = defaultdict(list)
        for pid, tid in session.execute(select(Prediction.id, Prediction.task_id).where(Prediction.task_id.in_(ids))
                                        .order_by(Prediction.id)):
            preds[tid].append(pid)
        uploads = {u.id: u.file.rsplit("/", 1)[-1] for u in session.scalars(
            select(FileUpload).where(FileUpload.id.in_({r.file_upload_id for r in rows if r.file_upload_id})))}
        users = {} if completed_by_only_id else _users(
            session, {x.completed_by_id for v in anns.values() for x in v if x.completed_by_id})
        for r in rows:
            annotations = [_annotation(x, users) for x in anns.get(r.id, ())]
            if annotation_filter is not None:
                annotations = [x for x in annotations if annotation_filter(x)]
            yield {"id": r.id, "annotations": annotations, "file_upload": uploads.get(r.file_upload_id),
                   "drafts": [], "predictions": preds.get(r.id, []), "data": rename_undefined(r.data, first_key),
                   "meta": r.meta, "created_at": r.created_at, "updated_at": r.updated_at, "inner_id": r.inner_id,
                   "total_annotations": r.total_annotations, "cancelled_annotations": r.cancelled_annotations,
                   "total_predictions": r.total_predictions, "comment_count": 0, "unresolved_comment_count": 0,
                   "last_comment_updated_at": None, "project": r.project_id, "updated_by": r.updated_by_id,
                   "comment_authors": []}


def _annotation(x, users: dict) -> dict:
    return {"id": x.id, "completed_by": users.get(x.completed_by_id, x.completed_by_id), "result": x.result,
            "was_cancelled": x.was_cancelled, "ground_truth": x.ground_truth, "created_at": _iso(x.created_at),
            "updated_at": _iso(x.updated_at), "draft_created_at": _iso(x.draft_created_at),
            "lead_time": x.lead_time, "prediction": {}, "result_count": len(x.result or []),
            "unique_id": x.unique_id, "import_id": x.import_id, "last_action": x.last_action,
            "bulk_created": x.bulk_created, "task": x.task_id, "project": x.project_id,
            "updated_by": x.updated_by_id, "parent_prediction": x.parent_prediction_id,
            "parent_annotation": x.parent_annotation_id, "last_created_by": None}


def _iso(value: datetime | None) -> str | None:
    # The tabular exporters sort and print these as strings, exactly as they appear in Label Studio's JSON.
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def write_format(fmt: str, label_config: str, tasks: Callable[[], Iterable[dict]], out) -> None:
    if fmt == "JSON":
        write_json(tasks(), out)
    elif fmt == "JSON_MIN":
        write_json_min(_stringify_times(tasks()), label_config, out)
    elif fmt in ("CSV", "TSV"):
        write_csv(lambda: _stringify_times(tasks()), label_config, out, sep="," if fmt == "CSV" else "\t")
    else:
        raise ValidationFailed(f"Export format '{fmt}' is not available; use one of {', '.join(TABULAR)}.")


def _stringify_times(tasks: Iterable[dict]) -> Iterator[dict]:
    for task in tasks:
        for key in ("created_at", "updated_at"):
            if isinstance(task.get(key), datetime):
                task[key] = _iso(task[key])
        yield task


def export_to_file(export_dir: Path, project: Project, fmt: str, tasks: Callable[[], Iterable[dict]]) -> tuple[Path, str]:
    """Write the export to a temp file; return it with Label Studio's download file name."""
    fmt = fmt.upper()
    if fmt not in TABULAR:
        raise ValidationFailed(f"Export format '{fmt}' is not available; use one of {', '.join(TABULAR)}.")
    supported = labelconfig.supported_export_formats(config_of(project))
    if fmt not in supported:
        raise ValidationFailed(f"Export format '{fmt}' does not fit this project's label config; "
                               f"available: {', '.join(supported)}.")
    fd, name = tempfile.mkstemp(dir=export_dir, suffix=TABULAR[fmt])
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            write_format(fmt, project.label_config, tasks, out)
        md5 = file_md5(path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H-%M")
    return path, f"project-{project.id}-at-{stamp}-{md5[:8]}{TABULAR[fmt]}"


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
