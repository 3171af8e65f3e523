"""/api/tasks/{id}/annotations and /api/annotations/{id}."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import CurrentUser, ManagerUser, SessionDep, SettingsDep
from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import Annotation, Project, Task
from ..responses import no_content, ok
from ..schemas import annotation_json, draft_json
from ..services import annotations as svc
from ..services import labeling, permissions
from ..services import projects as project_svc
from ..services import storages
from ..services.actions import selected_ids
from ..services.tasks import get_task, serialize_tasks
from .events import annotations_created, emit
from .params import JsonObject

router = APIRouter(prefix="/api", tags=["annotations"])


def _event(session, project, ann) -> dict:
    task = session.get(Task, ann.task_id)
    return {"annotation": annotation_json(ann), "task": serialize_tasks(session, project, [task], full=False)[0]}


def _load(session, user, annotation_id, change: bool = False) -> tuple[Annotation, Project]:
    """An annotation the user may read: Annotators their own, Reviewers and up any in their projects; to
    `change` another's, Managers and up."""
    ann = get_or_404(session, Annotation, annotation_id, "Annotation")
    project = session.get(Project, ann.project_id)
    if project.organization_id != user.organization_id:
        raise NotFound(f"Annotation {annotation_id} not found")
    permissions.check_project(session, user, project)
    if ann.completed_by_id != user.id and (change or not project.annotators_see_others):
        permissions.require(user, "MA" if change else "RE")
    return ann, project


@router.get("/tasks/{task_id}/annotations", operation_id="list_annotations")
def list_annotations(task_id: int, user: CurrentUser, session: SessionDep):
    task, project = get_task(session, user, task_id)
    query = select(Annotation).where(Annotation.task_id == task.id, Annotation.was_cancelled.is_(False))
    if (author := permissions.author_filter(user, project)) is not None:
        query = query.where(Annotation.completed_by_id == author)
    rows = session.scalars(query.order_by(Annotation.id))
    return ok([annotation_json(a) for a in rows])


@router.post("/tasks/{task_id}/annotations", operation_id="create_annotation")
def create_annotation(task_id: int, request: Request, user: CurrentUser, session: SessionDep,
                      settings: SettingsDep, body: JsonObject):
    cancelled = request.query_params.get("was_cancelled", "").lower() in ("1", "true")
    task, project = get_task(session, user, task_id)
    ann = svc.create_annotation(session, project, task, user, body, cancelled)
    storages.export_annotation(session, project, ann, settings.local_files_root)
    emit(request, session, project, "ANNOTATION_CREATED", lambda: _event(session, project, ann))
    return ok(annotation_json(ann), 201)


@router.post("/tasks/{task_id}/annotations/{annotation_id}/drafts", operation_id="create_annotation_draft")
def create_annotation_draft(task_id: int, annotation_id: int, user: CurrentUser, session: SessionDep,
                            body: JsonObject):
    """A draft of changes to a submitted annotation (the editor's autosave while one is edited)."""
    task, _ = get_task(session, user, task_id)
    ann = session.get(Annotation, annotation_id)
    if ann is None or ann.task_id != task.id:
        raise NotFound(f"Annotation {annotation_id} not found in task {task_id}")
    return ok(draft_json(labeling.save_draft(session, task, user, body, annotation_id=ann.id), user), 201)


@router.post("/annotations/bulk", operation_id="create_bulk_annotations")
def create_bulk_annotations(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    """The same result on many tasks: `tasks` (ids), or `selected_items` ({"all", "included"|"excluded"}) with
    `project`. Answers [{"id": annotation id}, ...] like Label Studio."""
    tasks = body.get("tasks") or ([body["task"]] if body.get("task") else [])
    if not isinstance(tasks, list) or not all(isinstance(t, int) for t in tasks):
        raise ValidationFailed("Validation error", {"tasks": ["Must be a list of task ids."]})
    if body.get("project"):
        project = project_svc.get_project(session, user, body["project"])
    elif tasks:
        _, project = get_task(session, user, tasks[0])
    else:
        raise ValidationFailed("Pass `tasks` (a list of task ids) or `project` with `selected_items`.")
    if body.get("selected_items"):
        tasks = selected_ids(session, project, {"selectedItems": body["selected_items"]}, None)
    ids = svc.create_bulk(session, project, user, body, tasks)
    annotations_created(request, session, project, ids)
    return ok([{"id": i} for i in ids], 201)


@router.post("/annotations/bulk-delete", operation_id="delete_bulk_annotations")
def delete_bulk_annotations(request: Request, user: ManagerUser, session: SessionDep, settings: SettingsDep,
                            body: JsonObject):
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ValidationFailed("Validation error", {"ids": ["Must be a list of annotation ids."]})
    if not body.get("project"):
        raise ValidationFailed("Validation error", {"project": ["Pass the project the annotations belong to."]})
    project = project_svc.get_project(session, user, body["project"])
    deleted = svc.delete_bulk(session, project, ids)
    storages.remove_exported(session, project, ids, settings.local_files_root)
    emit(request, session, project, "ANNOTATIONS_DELETED", lambda: {"annotations": [{"id": i} for i in ids]})
    return ok({"deleted_count": deleted})


@router.get("/annotations/{annotation_id}", operation_id="get_annotation")
def get_annotation(annotation_id: int, user: CurrentUser, session: SessionDep):
    return ok(annotation_json(_load(session, user, annotation_id)[0]))


@router.patch("/annotations/{annotation_id}", operation_id="update_annotation")
def update_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                      settings: SettingsDep, body: JsonObject):
    ann, project = _load(session, user, annotation_id, change=True)
    svc.update_annotation(session, project, ann, user, body)
    storages.export_annotation(session, project, ann, settings.local_files_root)
    emit(request, session, project, "ANNOTATION_UPDATED", lambda: _event(session, project, ann))
    return ok(annotation_json(ann))


@router.put("/annotations/{annotation_id}", operation_id="replace_annotation")
def replace_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                       settings: SettingsDep, body: JsonObject):
    return update_annotation(annotation_id, request, user, session, settings, body)


@router.delete("/annotations/{annotation_id}", operation_id="delete_annotation")
def delete_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                      settings: SettingsDep):
    ann, project = _load(session, user, annotation_id, change=True)
    svc.delete_annotation(session, project, ann)
    storages.remove_exported(session, project, [annotation_id], settings.local_files_root)
    emit(request, session, project, "ANNOTATIONS_DELETED", lambda: {"annotations": [{"id": annotation_id}]})
    return no_content()
