"""/api/dm/views, /api/dm/views/{id}, /api/dm/actions: the data manager's tabs and bulk actions."""
from fastapi import APIRouter, Request
from sqlalchemy import delete, func, select

from ..deps import ManagerUser, ReviewerUser, SessionDep
from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import MLBackend, View
from ..responses import no_content, ok
from ..schemas import view_json
from ..services import projects as project_svc
from ..services import background, labeling
from ..services import tasks as task_svc
from ..services.actions import ACTIONS, predictions_to_annotations, run_action, selected_ids
from .events import annotations_created, emit
from .params import JsonObject, load_view

router = APIRouter(prefix="/api/dm", tags=["data-manager"])


def _project_param(request: Request, body: dict | None = None):
    pid = request.query_params.get("project") or (body or {}).get("project")
    if not pid:
        raise ValidationFailed("Pass the project id (?project=<id>).")
    return pid


def _load_view(session, user, view_id) -> View:
    view = get_or_404(session, View, view_id, "View")
    project_svc.get_project(session, user, view.project_id)
    return view


def _view_data(body: dict) -> dict:
    data = body.get("data", {})
    if not isinstance(data, dict):
        raise ValidationFailed("Validation error", {"data": ["Must be a JSON object with title, filters, ordering."]})
    return data


@router.get("/views", operation_id="list_views")
def list_views(request: Request, user: ReviewerUser, session: SessionDep):
    project = project_svc.get_project(session, user, _project_param(request))
    views = session.scalars(select(View).where(View.project_id == project.id).order_by(View.order, View.id))
    return ok([view_json(v) for v in views])


@router.post("/views", operation_id="create_view")
def create_view(request: Request, user: ReviewerUser, session: SessionDep, body: JsonObject):
    project = project_svc.get_project(session, user, _project_param(request, body))
    order = (session.scalar(select(func.max(View.order)).where(View.project_id == project.id)) or 0) + 1
    view = View(project_id=project.id, user_id=user.id, data=_view_data(body), order=order)
    session.add(view)
    session.commit()
    return ok(view_json(view), 201)


@router.post("/views/order", operation_id="order_views")
def order_views(request: Request, user: ReviewerUser, session: SessionDep, body: JsonObject):
    """{"project", "ids": [...]}: the tabs in this order; ids of other projects are refused."""
    project = project_svc.get_project(session, user, _project_param(request, body))
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationFailed("Validation error", {"ids": ["A list of view ids, in the order wanted."]})
    views = {v.id: v for v in session.scalars(select(View).where(View.project_id == project.id, View.id.in_(ids)))}
    if missing := [i for i in ids if i not in views]:
        raise ValidationFailed("Validation error", {"ids": [f"No views {missing[:10]} in project {project.id}."]})
    for position, view_id in enumerate(ids, 1):
        views[view_id].order = position
    session.commit()
    return ok(None)


@router.delete("/views/reset", operation_id="reset_views")
def reset_views(request: Request, user: ManagerUser, session: SessionDep):
    """Every tab of the project goes (?project=<id>); the data manager opens with its default one again."""
    project = project_svc.get_project(session, user, _project_param(request))
    session.execute(delete(View).where(View.project_id == project.id))
    session.commit()
    return no_content()


@router.get("/views/{view_id}", operation_id="get_view")
def get_view(view_id: int, user: ReviewerUser, session: SessionDep):
    return ok(view_json(_load_view(session, user, view_id)))


@router.patch("/views/{view_id}", operation_id="update_view")
def update_view(view_id: int, request: Request, user: ReviewerUser, session: SessionDep, body: JsonObject):
    view = _load_view(session, user, view_id)
    if "data" in body:
        view.data = {**(view.data or {}), **_view_data(body)}
    session.commit()
    return ok(view_json(view))


@router.put("/views/{view_id}", operation_id="replace_view")
def replace_view(view_id: int, request: Request, user: ReviewerUser, session: SessionDep, body: JsonObject):
    view = _load_view(session, user, view_id)
    view.data = _view_data(body)
    session.commit()
    return ok(view_json(view))


@router.delete("/views/{view_id}", operation_id="delete_view")
def delete_view(view_id: int, user: ReviewerUser, session: SessionDep):
    session.delete(_load_view(session, user, view_id))
    session.commit()
    return no_content()


@router.get("/project", operation_id="get_dm_project")
def get_dm_project(request: Request, user: ReviewerUser, session: SessionDep):
    """The project as the data manager loads it (?project=<id>): the same body as GET /api/projects/{id}."""
    project = project_svc.get_project(session, user, _project_param(request))
    body = project_svc.projects_json(session, [project])[0]
    # The data manager's extras in Label Studio's answer; every member may manage tasks until roles say otherwise.
    body.update(task_count=body["task_number"], annotation_count=body["total_annotations_number"],
                can_delete_tasks=True, can_manage_annotations=True, can_manage_tasks=True,
                source_syncing=False, target_syncing=False)
    return ok(body)


@router.get("/actions", operation_id="list_actions")
def list_actions(request: Request, user: ReviewerUser, session: SessionDep):
    project_svc.get_project(session, user, _project_param(request))
    return ok([{**a, "permission": "tasks.change", "experimental": False} for a in ACTIONS])


@router.post("/actions", operation_id="run_action")
def post_action(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    project = project_svc.get_project(session, user, _project_param(request, body))
    action = request.query_params.get("id") or body.get("id")
    if not action:
        raise ValidationFailed("Pass the action as ?id=<action>, e.g. ?id=delete_tasks.")
    view_id = request.query_params.get("tabID") or body.get("tabID") or body.get("view")
    try:
        view = load_view(session, project, view_id)
    except NotFound:
        view = None
    if action == "retrieve_tasks_predictions":
        return ok(_retrieve_predictions(request, session, project, user, body, view))
    if action == "delete_tasks":
        ids = selected_ids(session, project, body, view)
        result = run_action(session, project, user, action, body, view)
        emit(request, session, project, "TASKS_DELETED", lambda: {"tasks": [{"id": i} for i in ids]})
        return ok(result)
    if action == "next_task":
        # The next task to label among the selected ones, in the data manager's order.
        query = {k: body.get(k) for k in ("filters", "ordering")}
        query["selectedItems"] = body.get("selectedItems") or body.get("selected_items")
        task = labeling.next_task(session, project, user, query, view, [])
        return ok(task_svc.serialize_tasks(session, project, [task], full=True, user_id=user.id)[0])
    if action == "predictions_to_annotations":
        ids = selected_ids(session, project, body, view)
        created = predictions_to_annotations(session, project, user, ids, body.get("model_version"))
        annotations_created(request, session, project, created)
        return ok({"processed_items": len(created), "detail": f"Created {len(created)} annotations"})
    return ok(run_action(session, project, user, action, body, view))


def _retrieve_predictions(request: Request, session, project, user, body: dict, view) -> dict:
    """Runs on the worker: the answer names the job to poll at /api/jobs/{id}."""
    backend = session.scalars(select(MLBackend).where(MLBackend.project_id == project.id)
                              .order_by(MLBackend.id)).first()
    if backend is None:
        raise ValidationFailed("Connect an ML backend first (project settings -> Machine learning).")
    ids = selected_ids(session, project, body, view)
    job = background.submit(session, request.app.state.queue.enqueue, project.id, "retrieve_tasks_predictions",
                            request.app.state.settings.queued_lease_s, backend_id=backend.id, task_ids=ids,
                            user_id=user.id, hostname=str(request.base_url).rstrip("/"))
    return {"processed_items": len(ids), "detail": f"Retrieving predictions for {len(ids)} tasks", "job": job.id}
