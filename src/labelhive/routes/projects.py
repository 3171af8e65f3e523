"""/api/projects, /api/projects/{id}, /api/projects/validate, /api/projects/{id}/validate, .../summary."""
import uuid

from fastapi import APIRouter, Request
from sqlalchemy import func, select

from ..deps import CurrentUser, ManagerUser, ReviewerUser, SessionDep, SettingsDep
from ..models import Project, Task
from ..responses import no_content, ok
from ..services import config_change, data_columns, labeling, permissions, reviews
from ..services import ml as ml_svc
from ..services import predictions as pred_svc
from ..services import projects as svc
from ..services import tasks as task_svc
from .events import emit
from .ml import server_identity
from .paging import check_page, page_params
from .params import JsonObject, int_list, load_view, parse_query

router = APIRouter(prefix="/api/projects", tags=["projects"])


@router.get("", operation_id="list_projects")
def list_projects(request: Request, user: CurrentUser, session: SessionDep):
    page, size = page_params(request, default_size=30)
    base = select(Project).where(permissions.visible_projects(session, user))
    params = request.query_params
    if params.get("title"):
        base = base.where(Project.title.contains(params["title"]))
    if params.get("ids"):
        base = base.where(Project.id.in_(int_list(params["ids"], "ids")))
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    check_page(page, size, total)
    # Label Studio's order: pinned projects first, then the newest.
    order = (Project.pinned_at.is_(None), Project.pinned_at.desc(), Project.id.desc())
    projects = list(session.scalars(base.order_by(*order).offset((page - 1) * size).limit(size)))
    results = svc.projects_json(session, projects)
    if params.get("include"):  # only the fields named, as the SDK's projects.list(include=...) asks
        keep = {name.strip() for name in params["include"].split(",")}
        results = [{k: v for k, v in r.items() if k in keep} for r in results]
    return ok({"count": total, "next": None if page * size >= total else page + 1,
               "previous": page - 1 if page > 1 else None, "results": results})


@router.get("/counts", operation_id="list_project_counts")
def list_project_counts(request: Request, user: CurrentUser, session: SessionDep):
    """Only the counters of the projects the user sees (?ids=1,2 to narrow), newest first, paged."""
    page, size = page_params(request, default_size=30)
    base = select(Project.id).where(permissions.visible_projects(session, user))
    if request.query_params.get("ids"):
        base = base.where(Project.id.in_(int_list(request.query_params["ids"], "ids")))
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    check_page(page, size, total)
    ids = list(session.scalars(base.order_by(Project.id.desc()).offset((page - 1) * size).limit(size)))
    counts = svc.project_counts(session, ids)
    return ok({"count": total, "next": None if page * size >= total else page + 1,
               "previous": page - 1 if page > 1 else None, "results": [{"id": i, **counts[i]} for i in ids]})


@router.post("", operation_id="create_project")
def create_project(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    project = svc.create_project(session, user, body)
    return ok(svc.projects_json(session, [project])[0], 201)


@router.post("/validate", operation_id="validate_config")
def validate_config(request: Request, user: ManagerUser, body: JsonObject):
    svc.validate_config(body.get("label_config") or svc.DEFAULT_CONFIG)
    return ok({"label_config": body.get("label_config")})


@router.get("/{project_id}", operation_id="get_project")
def get_project(project_id: int, user: CurrentUser, session: SessionDep):
    project = svc.get_project(session, user, project_id)
    return ok(svc.projects_json(session, [project])[0])


@router.get("/{project_id}/summary", operation_id="get_project_summary")
def project_summary(project_id: int, request: Request, user: CurrentUser, session: SessionDep):
    """The keys of the project's task data, how many tasks have each, and the kind of their values; and, as Label
    Studio's summary, how many results and labels the annotations and drafts hold (a grouped read of every
    result: the data manager asks ?columns_only=1 and leaves that out)."""
    project = svc.get_project(session, user, project_id)
    body = data_columns.summary(session, project)
    if request.query_params.get("columns_only", "").lower() not in ("1", "true"):
        body.update(config_change.label_counts(session, project), created_at=project.created_at)
    return ok(body)


@router.patch("/{project_id}", operation_id="update_project")
def update_project(project_id: int, request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    project = svc.get_project(session, user, project_id)
    svc.update_project(session, project, body)
    emit(request, session, project, "PROJECT_UPDATED", dict)
    return ok(svc.projects_json(session, [project])[0])


@router.delete("/{project_id}", operation_id="delete_project")
def delete_project(project_id: int, user: ManagerUser, session: SessionDep, settings: SettingsDep):
    svc.delete_project(session, svc.get_project(session, user, project_id), settings.media_dir)
    return no_content()


@router.post("/{project_id}/validate", operation_id="validate_project_config")
def validate_project_config(project_id: int, request: Request, user: ManagerUser, session: SessionDep,
                            body: JsonObject):
    project = svc.get_project(session, user, project_id)
    config = svc.validate_config(body.get("label_config") or svc.DEFAULT_CONFIG)
    config_change.check_labels_in_use(session, project, config)
    # Whether the task data the config reads changed: the settings page warns before such a save.
    changed = set(config.data_keys) != set(svc.config_of(project).data_keys)
    return ok({"label_config": body.get("label_config"), "config_essential_data_has_changed": changed})


@router.get("/{project_id}/tasks", operation_id="list_project_tasks")
def list_project_tasks(project_id: int, request: Request, user: ReviewerUser, session: SessionDep):
    project = svc.get_project(session, user, project_id)
    page, size = page_params(request, default_size=50)
    return ok(task_svc.project_task_page(session, project, page, size))


@router.post("/{project_id}/tasks", operation_id="create_project_task")
def create_project_task(project_id: int, user: ManagerUser, session: SessionDep, body: JsonObject):
    """One task, as POST /api/tasks with the project in the path; Label Studio's plain task shape back."""
    project = svc.get_project(session, user, project_id)
    task = task_svc.create_task(session, project, user, body.get("data"), body.get("meta"))
    return ok(task_svc.plain_tasks(session, project, [task], related=False)[0], 201)


@router.delete("/{project_id}/tasks", operation_id="delete_project_tasks")
def delete_project_tasks(project_id: int, user: ManagerUser, session: SessionDep):
    project = svc.get_project(session, user, project_id)
    task_svc.delete_tasks(session, project, Task.project_id == project.id)
    return no_content()


@router.get("/{project_id}/model-versions", operation_id="list_model_versions")
def list_model_versions(project_id: int, user: CurrentUser, session: SessionDep):
    project = svc.get_project(session, user, project_id)
    return ok(pred_svc.model_versions(session, project))


def _stream_filter(request: Request, session: SessionDep, project: Project):
    """The view and the query the labeling stream follows (?view= or ?tab=, ?query=)."""
    params = request.query_params
    return parse_query(params.get("query")), load_view(session, project, params.get("view") or params.get("tab"))


@router.get("/{project_id}/next", operation_id="next_task")
def next_task(project_id: int, request: Request, user: CurrentUser, session: SessionDep):
    """The labeling stream: the next task for this user under the data manager's filter and order."""
    params = request.query_params
    project = svc.get_project(session, user, project_id)
    query, view = _stream_filter(request, session, project)
    exclude = int_list(params.get("exclude", ""), "exclude")
    active = params.get("active_learning", "").lower() in ("1", "true")
    task = labeling.next_task(session, project, user, query, view, exclude, active)
    if ml_svc.has_live_model(session, project):
        token, host = server_identity(request, session, user)
        ml_svc.predict_on_open(session, request.app.state.sessions, project, task, token, host)
    served = task_svc.serialize_tasks(session, project, [task], full=True, user_id=user.id,
                                      author_only=permissions.author_filter(user, project))[0]
    # Label Studio's names for the queue a task came from; there are no task locks to identify here.
    served.update(queue=QUEUES.get(project.sampling, "Sequence queue"), unique_lock_id=str(uuid.uuid4()))
    fix = reviews.rejected_for(session, project, user, task_id=task.id)
    if fix is not None:  # a rejected annotation of theirs: say what the reviewer asked
        served.update(queue="Fix queue", fix=reviews.fix_note(session, fix))
    return ok(pred_svc.keep_version(served, pred_svc.prelabel_version(session, project)))


QUEUES = {"Sequential sampling": "Sequence queue", "Uniform sampling": "Random queue",
          "Uncertainty sampling": "Active learning or random queue"}


@router.get("/{project_id}/label-stream-history", operation_id="label_stream_history")
@router.get("/{project_id}/label-stream-history/", include_in_schema=False)  # Label Studio's own address
def label_stream_history(project_id: int, user: CurrentUser, session: SessionDep):
    """This user's last tasks in the labeling stream: [{taskId, annotationId}], oldest first."""
    return ok(labeling.stream_history(session, svc.get_project(session, user, project_id), user))


@router.get("/{project_id}/next/remaining", operation_id="remaining_tasks")
def remaining_tasks(project_id: int, request: Request, user: CurrentUser, session: SessionDep):
    """What the labeling stream has left for this user under the same filter: {remaining, more}."""
    project = svc.get_project(session, user, project_id)
    return ok(labeling.remaining(session, project, user, *_stream_filter(request, session, project)))
