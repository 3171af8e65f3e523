"""/api/tasks and /api/tasks/{id}: the data manager's task list and single tasks."""
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import CurrentUser, ManagerUser, ReviewerUser, SessionDep, SettingsDep
from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import View
from ..responses import no_content, ok
from ..schemas import draft_json
from ..services import filters as dm
from ..services import data_indexes, labeling, permissions, thumbnails
from ..services import projects as project_svc
from ..services import tasks as svc
from ..services import ml as ml_svc
from .events import emit
from .ml import server_identity
from .offload import in_thread
from .paging import page_params
from .params import JsonObject, load_view, parse_query

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("", operation_id="list_tasks")
def list_tasks(request: Request, user: ReviewerUser, session: SessionDep, settings: SettingsDep):
    params = request.query_params
    if not params.get("project") and not params.get("view"):
        raise ValidationFailed("Pass ?project=<id> (or ?view=<id>) to list tasks.")
    view = get_or_404(session, View, params["view"], "View") if params.get("view") else None
    project = project_svc.get_project(session, user, params.get("project") or view.project_id)
    view = load_view(session, project, params.get("view"))
    page, size = page_params(request, default_size=100)
    query = parse_query(params.get("query"))
    body = svc.list_page(session, project, query, view, page, size,
                         full=params.get("fields") == "all", only_ids="id" in params.getlist("include"),
                         user_id=user.id,
                         resolve_uri=params.get("resolve_uri", "true").lower() not in ("false", "0"))
    wants = dm.indexes_wanted(svc.sort_of(query, view), svc.filters_of(query, view))
    if wants:
        data_indexes.schedule(session, project.id, wants, settings.data_index_min_tasks,
                              request.app.state.queue.local)
    return ok(body)


@router.post("", operation_id="create_task")
def create_task(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    if "project" not in body:
        raise ValidationFailed("Validation error", {"project": ["This field is required."]})
    project = project_svc.get_project(session, user, body["project"])
    task = svc.create_task(session, project, user, body.get("data"), body.get("meta"))
    return ok(svc.serialize_tasks(session, project, [task], full=True, user_id=user.id)[0], 201)


@router.get("/{task_id}", operation_id="get_task")
def get_task(task_id: int, request: Request, user: CurrentUser, session: SessionDep):
    task, project = svc.get_task(session, user, task_id)
    if ml_svc.has_live_model(session, project):  # as Label Studio: an opened task gets the live model's guess
        token, host = server_identity(request, session, user)
        ml_svc.predict_on_open(session, request.app.state.sessions, project, task, token, host)
    only = permissions.author_filter(user, project)
    return ok(svc.expand_authors(session, svc.serialize_tasks(session, project, [task], full=True,
                                                              user_id=user.id, author_only=only)[0]))


@router.patch("/{task_id}", operation_id="update_task")
def update_task(task_id: int, request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    task, project = svc.get_task(session, user, task_id)
    svc.update_task(session, project, task, user, body)
    return ok(svc.serialize_tasks(session, project, [task], full=True, user_id=user.id)[0])


@router.delete("/{task_id}", operation_id="delete_task")
def delete_task(task_id: int, request: Request, user: ManagerUser, session: SessionDep):
    task, project = svc.get_task(session, user, task_id)
    svc.delete_tasks(session, project, svc.Task.id == task.id)
    emit(request, session, project, "TASKS_DELETED", lambda: {"tasks": [{"id": task_id}]})
    return no_content()


@router.get("/{task_id}/thumbnail", operation_id="task_thumbnail")
async def task_thumbnail(task_id: int, request: Request, user: CurrentUser, session: SessionDep,
                         settings: SettingsDep):
    field = request.query_params.get("field")
    size = request.query_params.get("size") or "128"
    if not size.isdigit():
        raise ValidationFailed(f"Thumbnail size must be a number of pixels, not '{size}'.")
    size = int(size)
    recent: thumbnails.RecentThumbnails = request.app.state.recent_thumbnails
    path = recent.get(task_id, field, size, user.organization_id)
    if path is None:
        path, source = await in_thread(
            session, thumbnails.task_thumbnail, session, user, task_id, field, size, settings.data_dir / "thumbnails",
            settings.media_dir, settings.local_files_root)
        recent.put(task_id, field, size, user.organization_id, path, source)
    # A thumbnail is a few KB, read here on the event loop: FileResponse would stream it in chunks,
    # each a thread hop, which costs more than the read.
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"The thumbnail of task {task_id} was removed; request it again.") from None
    etag = f'"{path.stat().st_mtime_ns:x}-{len(body):x}"'
    headers = {"Cache-Control": "private, max-age=60", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="image/jpeg", headers=headers)


@router.post("/{task_id}/drafts", operation_id="create_draft")
def create_draft(task_id: int, request: Request, user: CurrentUser, session: SessionDep, body: JsonObject):
    task, _ = svc.get_task(session, user, task_id)
    return ok(draft_json(labeling.save_draft(session, task, user, body), user), 201)


@router.get("/{task_id}/drafts", operation_id="list_drafts")
def list_drafts(task_id: int, user: CurrentUser, session: SessionDep):
    task, _ = svc.get_task(session, user, task_id)
    return ok(svc.serialize_tasks(session, _, [task], full=True, user_id=user.id)[0]["drafts"])
