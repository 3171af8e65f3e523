"""/api/tasks/{id}/annotations and /api/annotations/{id}."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import CurrentUser, SessionDep, SettingsDep
from ..errors import NotFound, get_or_404
from ..models import Annotation, Project, Task
from ..responses import no_content, ok
from ..schemas import annotation_json
from ..services import annotations as svc
from ..services import storages
from ..services.tasks import get_task, serialize_tasks
from .events import emit
from .params import json_body

router = APIRouter(prefix="/api", tags=["annotations"])


def _event(session, project, ann) -> dict:
    task = session.get(Task, ann.task_id)
    return {"annotation": annotation_json(ann), "task": serialize_tasks(session, project, [task], full=False)[0]}


def _load(session, user, annotation_id) -> tuple[Annotation, Project]:
    ann = get_or_404(session, Annotation, annotation_id, "Annotation")
    project = session.get(Project, ann.project_id)
    if project.organization_id != user.organization_id:
        raise NotFound(f"Annotation {annotation_id} not found")
    return ann, project


@router.get("/tasks/{task_id}/annotations", operation_id="list_annotations")
def list_annotations(task_id: int, user: CurrentUser, session: SessionDep):
    task, _ = get_task(session, user, task_id)
    rows = session.scalars(select(Annotation).where(Annotation.task_id == task.id,
                                                    Annotation.was_cancelled.is_(False)).order_by(Annotation.id))
    return ok([annotation_json(a) for a in rows])


@router.post("/tasks/{task_id}/annotations", operation_id="create_annotation")
async def create_annotation(task_id: int, request: Request, user: CurrentUser, session: SessionDep,
                            settings: SettingsDep):
    body = await json_body(request)
    task, project = get_task(session, user, task_id)
    cancelled = request.query_params.get("was_cancelled", "").lower() in ("1", "true")
    ann = svc.create_annotation(session, project, task, user, body, cancelled)
    storages.export_annotation(session, project, ann, settings.local_files_root)
    emit(request, session, project, "ANNOTATION_CREATED", lambda: _event(session, project, ann))
    return ok(annotation_json(ann), 201)


@router.get("/annotations/{annotation_id}", operation_id="get_annotation")
def get_annotation(annotation_id: int, user: CurrentUser, session: SessionDep):
    return ok(annotation_json(_load(session, user, annotation_id)[0]))


@router.patch("/annotations/{annotation_id}", operation_id="update_annotation")
async def update_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                            settings: SettingsDep):
    body = await json_body(request)
    ann, project = _load(session, user, annotation_id)
    svc.update_annotation(session, project, ann, user, body)
    storages.export_annotation(session, project, ann, settings.local_files_root)
    emit(request, session, project, "ANNOTATION_UPDATED", lambda: _event(session, project, ann))
    return ok(annotation_json(ann))


@router.put("/annotations/{annotation_id}", operation_id="replace_annotation")
async def replace_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                             settings: SettingsDep):
    return await update_annotation(annotation_id, request, user, session, settings)


@router.delete("/annotations/{annotation_id}", operation_id="delete_annotation")
def delete_annotation(annotation_id: int, request: Request, user: CurrentUser, session: SessionDep,
                      settings: SettingsDep):
    ann, project = _load(session, user, annotation_id)
    svc.delete_annotation(session, project, ann)
    storages.remove_exported(session, project, annotation_id, settings.local_files_root)
    emit(request, session, project, "ANNOTATIONS_DELETED", lambda: {"annotations": [{"id": annotation_id}]})
    return no_content()
