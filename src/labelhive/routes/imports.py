"""/api/projects/{id}/import, .../import/predictions, .../import/dataset, /api/projects/{id}/file-uploads."""
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..db import release
from ..deps import ManagerUser, SessionDep, SettingsDep
from .. import datasets
from ..errors import ValidationFailed
from ..models import FileUpload, Task
from ..responses import ok
from ..services import dataset_sources, file_uploads, shared_files
from ..services import predictions as pred_svc
from ..services import projects as project_svc
from ..services.import_files import (
    TABLE_EXTS,
    check_file,
    fetch_url,
    file_to_items,
    is_inline_json,
    parse_json_bytes,
    too_large,
    url_to_items,
)
from ..services.dataset_import import import_dataset
from ..services.file_uploads import upload_json
from ..services.imports import import_tasks, items_to_tasks
from ..services.reimport import reimport
from ..services.tasks import serialize_tasks
from .dashboard import refresh_after_import
from .events import emit
from .params import JsonList, JsonObject, int_list, json_body

router = APIRouter(prefix="/api/projects", tags=["import"])
MAX_FILES = 1_000_000


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def _preannotated(request: Request) -> list[str]:
    values = request.query_params.getlist("preannotated_from_fields")
    return [f for v in values for f in v.split(",") if f]


@router.post("/{project_id}/import", operation_id="import_tasks")
@router.post("/{project_id}/tasks/bulk", operation_id="bulk_import_tasks")  # Label Studio's older name
async def import_tasks_route(project_id: int, request: Request, user: ManagerUser, session: SessionDep,
                             settings: SettingsDep):
    length = int(request.headers.get("content-length") or 0)
    if length > settings.max_upload_bytes:
        raise too_large("The request", length, settings.max_upload_bytes)
    ctype = request.headers.get("content-type", "")
    is_form = ctype.startswith("multipart/form-data") or ctype.startswith("application/x-www-form-urlencoded")
    # Receive the whole upload before the first query: on SQLite that query takes the write lock.
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES) if is_form else None
    raw = None if is_form else await read_limited(request, settings.max_upload_bytes)
    # Downloads, parsing and checking the tasks take no lock; the import takes it again only to write.
    project = await run_in_threadpool(_project_released, session, user, project_id)
    fetched: dict[str, tuple[str, bytes]] = {}
    remote = [v.strip() for k, v in (form.multi_items() if is_form else ())
              if k == "url" and isinstance(v, str) and v.strip() and not is_inline_json(v)]
    if remote:
        for url in remote:
            fetched[url] = await run_in_threadpool(fetch_url, url, settings.max_upload_bytes)
    # Parsing a big CSV or JSON body and the bulk insert are CPU-bound: off the event loop, so other
    # requests keep flowing.
    commit = request.query_params.get("commit_to_project", "true").lower() not in ("0", "false", "no")
    result = await run_in_threadpool(_import, session, project, user, settings, form, raw, fetched,
                                     _preannotated(request), commit)
    if not commit:
        return ok(result, 201)
    await run_in_threadpool(_tasks_created, request, session, project, result["task_ids"])
    await run_in_threadpool(refresh_after_import, request, session, project, result.get("annotation_count"))
    if not _flag(request, "return_task_ids"):
        result.pop("task_ids")
    return ok(result, 201)


def _import(session, project, user, settings, form, raw: bytes | None, fetched: dict, preannotated: list[str],
            commit: bool = True):
    committed: list[int] = []  # file-upload rows, deleted again if the import fails
    written: list[Path] = []
    uploads: list[FileUpload] = []
    found: dict[str, int] = {}
    try:
        if form is not None:
            incoming = []
            config = project_svc.config_of(project)
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    ext = check_file(value.filename or key, value.size or 0, settings.max_upload_bytes)
                    found[ext] = found.get(ext, 0) + 1
                    items = file_to_items(session, project, user, config, settings.media_dir,
                                          value.filename or key, ext, value.file, written)
                    uploads.append(session.get(FileUpload, items[0].file_upload_id) if items else None)
                    incoming.extend(items)
                elif key == "url" and value.strip():
                    ext, items = url_to_items(session, project, user, config, settings.media_dir, value,
                                              settings.max_upload_bytes, written, fetched)
                    found[ext] = found.get(ext, 0) + 1
                    incoming.extend(items)
            if not incoming and not found:
                raise ValidationFailed("Nothing to import: attach files, or send a JSON list of tasks.")
            release(session)  # the file-upload rows, committed: no lock held while the tasks are checked
            committed = [u.id for u in uploads if u is not None]
        else:
            if not raw.strip():
                raise ValidationFailed("Nothing to import: the request body is empty. Send a JSON list of tasks.")
            incoming = items_to_tasks(parse_json_bytes(raw))
        if not commit:
            return _uploaded_only(session, uploads, incoming, found)
        result = import_tasks(session, project, user, incoming, preannotated,
                              [u for u in uploads if u is not None], found, lease_s=2 * settings.job_lease_s)
        result["could_be_tasks_list"] = bool(found.keys() & TABLE_EXTS)
        return result
    except Exception:
        session.rollback()
        if committed:
            session.execute(delete(FileUpload).where(FileUpload.id.in_(committed)))
            session.commit()
        for path in written:
            shared_files.remove(path)
        raise


def _uploaded_only(session, uploads: list, incoming: list, found: dict) -> dict:
    """commit_to_project=false: the files are kept as uploads for a later /reimport, and no task is made.
    The counts say what the files hold, as Label Studio's dialog shows them before "Import"."""
    session.commit()
    columns = list(dict.fromkeys(k for item in incoming for k in item.data))
    return {"task_count": len(incoming), "annotation_count": None, "prediction_count": None, "duration": 0.0,
            "file_upload_ids": [u.id for u in uploads if u is not None],
            "could_be_tasks_list": bool(found.keys() & TABLE_EXTS), "found_formats": found, "data_columns": columns}


@router.post("/{project_id}/reimport", operation_id="reimport_tasks")
def reimport_route(project_id: int, request: Request, user: ManagerUser, session: SessionDep, settings: SettingsDep,
                   body: JsonObject):
    """Tasks from earlier uploads: {"file_upload_ids": [...], "files_as_tasks_list": true}."""
    project = project_svc.get_project(session, user, project_id)
    as_list = body.get("files_as_tasks_list", True) not in (False, "false", "False", 0)
    result = reimport(session, project, user, settings.media_dir, body.get("file_upload_ids", []), as_list,
                      lease_s=2 * settings.job_lease_s)  # a failure rolls back with the request's session
    _tasks_created(request, session, project, result["task_ids"])
    result.pop("task_ids")
    return ok(result, 201 if body.get("file_upload_ids") else 200)


def _project_released(session, user, project_id):
    """The project, checked, with the transaction that read it ended (db.release)."""
    project = project_svc.get_project(session, user, project_id)
    release(session)
    return project


def _tasks_created(request: Request, session, project, ids: list[int]) -> None:
    if ids:
        emit(request, session, project, "TASKS_CREATED", lambda: {"tasks": _tasks_payload(session, project, ids)})


def _tasks_payload(session, project, ids: list[int]) -> list[dict]:
    tasks = list(session.scalars(select(Task).where(Task.id.in_(ids[:1000])).order_by(Task.id)))
    return serialize_tasks(session, project, tasks, full=False)


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, counted as it arrives: a chunked request has no Content-Length to check up front."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large("The request", None, limit)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/{project_id}/import/predictions", operation_id="import_predictions")
def import_predictions(project_id: int, user: ManagerUser, session: SessionDep, body: JsonList):
    # The body is read whole (a dependency) before the first query takes the write lock.
    project = project_svc.get_project(session, user, project_id)
    return ok({"created": pred_svc.import_predictions(session, project, body)}, 201)


@router.post("/{project_id}/import/dataset", operation_id="import_dataset")
async def import_dataset_route(project_id: int, request: Request, user: ManagerUser, session: SessionDep,
                               settings: SettingsDep):
    """A COCO, YOLO or Pascal VOC dataset as tasks with annotations (or predictions).

    JSON `{"format", "path": folder or COCO file on the server, "images"?, "as"?, "model_version"?}`, or
    multipart with the same fields plus the dataset as a zip or as files. `images` is a URL prefix or a
    server folder; by default images come from the dataset itself.
    """
    length = int(request.headers.get("content-length") or 0)
    if length > settings.max_upload_bytes:
        raise too_large("The request", length, settings.max_upload_bytes)
    is_form = request.headers.get("content-type", "").startswith("multipart/form-data")
    # As in /import: receive everything before the first query, which takes SQLite's write lock.
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES) if is_form else None
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)} if is_form else await json_body(request)
    # Options are strings (or absent) whichever way they came.
    body = {k: str(v) for k, v in fields.items() if v not in (None, "")}
    local_root = settings.local_files_root
    with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix="dataset-") as tmp:
        if is_form:
            files = [(v.filename or k, v.file) for k, v in form.multi_items() if isinstance(v, UploadFile)]
            root = await run_in_threadpool(dataset_sources.unpack, files, Path(tmp), settings.max_upload_bytes)
            main_file = None
        else:
            root, main_file = dataset_sources.server_path(local_root, body.get("path") or "")
        # Uploaded images are copied into the uploads, as media files are; a server folder is served in place.
        images = body.get("images")
        source = dataset_sources.image_source(local_root, images, root, copy=is_form and not images)
        dataset = await run_in_threadpool(datasets.read, body.get("format"), root, source.directory, main_file)
        project = await run_in_threadpool(_project_released, session, user, project_id)
        result = await run_in_threadpool(
            import_dataset, session, project, user, dataset, body["format"].upper(), source, local_root,
            settings.media_dir, body.get("as") or "annotations", body.get("model_version"))
    await run_in_threadpool(_tasks_created, request, session, project, result.pop("task_ids"))
    return ok(result, 201)


@router.get("/{project_id}/file-uploads", operation_id="list_file_uploads")
def list_file_uploads(project_id: int, request: Request, user: ManagerUser, session: SessionDep,
                      settings: SettingsDep):
    """All of the project's uploads, or those of `ids` (Label Studio's JSON list `[1,2]`, `1,2`, or repeated)."""
    project = project_svc.get_project(session, user, project_id)
    given = request.query_params.getlist("ids")  # the SDK repeats the parameter: ?ids=1&ids=2
    ids = int_list(",".join(raw.strip().strip("[]") for raw in given), "ids") if given else None
    return ok([upload_json(u, settings.media_dir) for u in file_uploads.list_for(session, project, ids)])
