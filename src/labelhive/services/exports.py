"""Exports: stream a project's tasks in Label Studio's export shape into a file in any supported format."""
import hashlib
import logging
import os
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson
from sqlalchemy import Text, and_, cast, or_, select, true
from sqlalchemy.orm import Session

from .. import labelconfig
from ..config import Settings
from ..errors import LabelHiveError, ValidationFailed
from ..exporters.full import json_pieces
from ..exporters.items import ExportContext
from ..exporters.registry import FORMATS
from ..exporters.staging import StagedZip
from ..models import Annotation, FileUpload, Prediction, Project, Task, User
from ..schemas import prediction_json
from ..storage.local import resolve_request
from . import reviews
from .media import upload_path
from .projects import config_of
from .storages import allowed_local_dirs
from .tasks import rename_undefined

log = logging.getLogger("labelhive.exports")

CHUNK = 2000
# Label Studio sends one output file as it is and packs several (images/, labels/...) into a zip.
MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
               ".zip": "application/zip", ".conll": "text/plain", ".png": "image/png"}


def export_formats(project: Project) -> list[dict]:
    """Every format, those that do not fit the label config flagged disabled and listed last (as in LS)."""
    supported = set(labelconfig.supported_export_formats(config_of(project)))
    out = [{"name": f.name, "title": f.title, "description": f.description, "tags": list(f.tags), "link": f.link,
            "disabled": f.name not in supported} for f in FORMATS.values()]
    return sorted(out, key=lambda f: f["disabled"])


def media_reader(session: Session, project: Project, settings: Settings) -> Callable[[str], Path | None]:
    """The files behind media URLs this server holds: uploads and files of attached folders."""
    allowed = None

    def read(url: str) -> Path | None:
        nonlocal allowed
        if not isinstance(url, str):
            return None
        if url.startswith("/data/local-files"):
            if allowed is None:  # looked up once per export, not once per image
                allowed = allowed_local_dirs(session, project.organization_id, settings.local_files_root)
            d = parse_qs(urlsplit(url).query).get("d", [""])[-1]
            try:
                return resolve_request(settings.local_files_root, allowed, d)
            except LabelHiveError:
                return None
        return upload_path(settings.media_dir, url)
    return read


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
                      annotation_filter: Callable[[dict], bool] | None = None, lean: bool = False,
                      full_predictions: bool = False) -> Iterator[dict]:
    """Tasks in the sync-export shape, read in keyset-paged chunks so memory stays flat. `lean`: only what
    the region writers read (ids, data, annotations' id, author, time, cancel flag and result), which
    halves the read of a COCO or YOLO export. `full_predictions`: each prediction whole rather than its id
    (Label Studio's serialization_options.predictions.only_id=false), so the export imports elsewhere with
    its predictions."""
    if lean:
        yield from _iter_lean(session, project, where)
        return
    first_key = next(iter(config_of(project).data_keys), None)
    t, a = Task.__table__, Annotation.__table__
    for rows in _task_chunks(session, (t,), where):
        ids = [r.id for r in rows]
        anns: dict[int, list] = defaultdict(list)
        for r in session.execute(select(a).where(a.c.task_id.in_(ids)).order_by(a.c.id)):
            anns[r.task_id].append(r)
        preds: dict[int, list] = defaultdict(list)
        if full_predictions:
            p = Prediction.__table__
            for r in session.execute(select(p).where(p.c.task_id.in_(ids)).order_by(p.c.id)):
                preds[r.task_id].append(prediction_json(r))
        else:
            for pid, tid in session.execute(select(Prediction.id, Prediction.task_id)
                                            .where(Prediction.task_id.in_(ids)).order_by(Prediction.id)):
                preds[tid].append(pid)
        uploads = {u.id: u.file.rsplit("/", 1)[-1] for u in session.scalars(
            select(FileUpload).where(FileUpload.id.in_({r.file_upload_id for r in rows if r.file_upload_id})))}
        users = {} if completed_by_only_id else _users(
            session, {x.completed_by_id for v in anns.values() for x in v if x.completed_by_id})
        # Reviewed annotations carry their reviews (only those: most exports have none to read).
        reviewed = reviews.reviews_of(session, [x.id for v in anns.values() for x in v if x.review_state])
        for r in rows:
            annotations = [_annotation(x, users, reviewed) for x in anns.get(r.id, ())]
            if annotation_filter is not None:
                annotations = [x for x in annotations if annotation_filter(x)]
            yield {"id": r.id, "annotations": annotations, "file_upload": uploads.get(r.file_upload_id),
                   "drafts": [], "predictions": preds.get(r.id, []), "data": rename_undefined(r.data, first_key),
                   "meta": r.meta, "created_at": r.created_at, "updated_at": r.updated_at, "allow_skip": True,
                   "inner_id": r.inner_id,
                   "total_annotations": r.total_annotations, "cancelled_annotations": r.cancelled_annotations,
                   "total_predictions": r.total_predictions, "comment_count": 0, "unresolved_comment_count": 0,
                   "last_comment_updated_at": None, "project": r.project_id, "updated_by": r.updated_by_id,
                   "comment_authors": []}


def _task_chunks(session: Session, columns: tuple, where) -> Iterator[list]:
    """The rows of select(*columns) over Task, CHUNK at a time in id order (keyset paging: flat memory)."""
    t = Task.__table__
    last_id = 0
    while True:
        rows = session.execute(select(*columns).where(where, t.c.id > last_id).order_by(t.c.id).limit(CHUNK)).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield rows


def _iter_lean(session: Session, project: Project, where) -> Iterator[dict]:
    """Results come as JSON text and are decoded one task at a time, as the writer asks for it: a chunk of
    decoded results held at once would be a million live objects for the garbage collector to walk."""
    first_key = next(iter(config_of(project).data_keys), None)
    t, a = Task.__table__, Annotation.__table__
    for rows in _task_chunks(session, (t.c.id, t.c.data), where):
        anns: dict[int, list] = defaultdict(list)
        for x in session.execute(select(a.c.id, a.c.task_id, a.c.completed_by_id, cast(a.c.result, Text).label("json"),
                                        a.c.was_cancelled, a.c.created_at)
                                 .where(a.c.task_id.in_([r.id for r in rows])).order_by(a.c.id)):
            anns[x.task_id].append(x)
        for r in rows:
            yield {"id": r.id, "data": rename_undefined(r.data, first_key), "annotations": [
                {"id": x.id, "completed_by": x.completed_by_id, "result": orjson.loads(x.json) if x.json else None,
                 "was_cancelled": x.was_cancelled, "created_at": _iso(x.created_at)} for x in anns.get(r.id, ())]}


def _annotation(x, users: dict, reviewed: dict) -> dict:
    return {**({"reviews": reviewed[x.id]} if x.id in reviewed else {}), "id": x.id, "completed_by": users.get(x.completed_by_id, x.completed_by_id), "result": x.result,
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


def _stringify_times(tasks: Iterable[dict]) -> Iterator[dict]:
    for task in tasks:
        for key in ("created_at", "updated_at"):
            if isinstance(task.get(key), datetime):
                task[key] = _iso(task[key])
        yield task


def check_format(project: Project, fmt: str) -> str:
    fmt = (fmt or "JSON").upper()
    supported = labelconfig.supported_export_formats(config_of(project))
    if fmt not in FORMATS:
        raise ValidationFailed(f"Export format '{fmt}' is not available; use one of {', '.join(supported)}.")
    if fmt not in supported:
        raise ValidationFailed(f"Export format '{fmt}' does not fit this project's label config; "
                               f"available: {', '.join(supported)}.")
    return fmt


STREAM_PIECE_BYTES = 1 << 20


def stream_json(readonly_sessions, project_id: int, where) -> Iterator[bytes]:
    """The JSON export as it is read, for a download that starts at once: "[" first, then ~1 MB pieces.
    Each piece is read in a read transaction of its own (keyset paging makes the pieces join up), so a
    client that reads slowly holds no database snapshot while it does."""
    with readonly_sessions() as reader:
        project = reader.get(Project, project_id)
        for piece in json_pieces(iter_export_tasks(reader, project, where), STREAM_PIECE_BYTES):
            yield piece
            reader.rollback()


def stream_name(project: Project) -> str:
    """Label Studio's download name; a streamed file has no md5 yet, so a random tag stands in for it."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H-%M")
    return f"project-{project.id}-at-{stamp}-{os.urandom(4).hex()}.json"


def export_to_file(export_dir: Path, project: Project, fmt: str, tasks: Callable[[bool], Iterable[dict]],
                   media: Callable[[str], Path | None] | None = None) -> tuple[Path, str]:
    """Write the export into a temp file (one output file as it is, several zipped); return it with
    Label Studio's download name. Writers stream to disk, so memory does not grow with the project.

    `tasks(lean)` gives the tasks in Label Studio's export shape; with lean=True the writer needs only ids,
    data and annotations (see ExportFormat.lean), and a database reader may leave the rest out."""
    fmt = check_format(project, fmt)
    work = Path(tempfile.mkdtemp(dir=export_dir, prefix="export-"))
    staged = StagedZip(work.with_suffix(".zip"))
    path = None
    try:
        ctx = ExportContext.build(project.label_config, media)
        ctx.staged = staged
        # JSON keeps datetimes for orjson to print; the other writers read Label Studio's ISO strings.
        lean = FORMATS[fmt].lean
        FORMATS[fmt].write((lambda: tasks(False)) if fmt == "JSON" else lambda: _stringify_times(tasks(lean)),
                           ctx, work)
        for note in ctx.notes:
            log.info("export of project %s: %s", project.id, note)
        staged.close()
        path = package(work, export_dir, staged)
        md5 = file_md5(path)
    finally:
        staged.close()
        if path != staged.path:  # the staged zip became the download, or is not needed
            staged.path.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H-%M")
    return path, f"project-{project.id}-at-{stamp}-{md5[:8]}{path.suffix}"


def package(work: Path, export_dir: Path, staged: StagedZip) -> Path:
    """The single file `work` holds, or a zip of everything in it (empty folders included, like LS) and of
    the small files the writer staged straight into the zip."""
    entries = list(work.iterdir())
    if staged.entries:
        target, mode = staged.path, "a"
    else:
        fd, name = tempfile.mkstemp(dir=export_dir, suffix=entries[0].suffix if len(entries) == 1 else ".zip")
        os.close(fd)
        target, mode = Path(name), "w"
        if len(entries) == 1 and entries[0].is_file():
            os.replace(entries[0], target)
            return target
    # Level 1: most of the size win of deflate at a fraction of its time on a big result.json.
    with zipfile.ZipFile(target, mode, zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for folder, dirs, files in os.walk(work):
            dirs.sort()
            rel = Path(folder).relative_to(work)
            if rel != Path("."):
                zf.write(folder, f"{rel.as_posix()}/")
            for file in sorted(files):
                path = Path(folder) / file
                # Images are compressed already; storing them keeps big exports fast.
                store = path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".gif", ".npy")
                zf.write(path, (rel / file).as_posix(), zipfile.ZIP_STORED if store else zipfile.ZIP_DEFLATED)
    return target


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
