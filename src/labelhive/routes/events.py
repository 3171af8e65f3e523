"""After a route's service committed: webhook events, and bulk-made annotations to export storages, as job rows."""
from collections.abc import Callable

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Annotation, Project
from ..schemas import annotation_json
from ..services import projects as project_svc
from ..services import background, storages, webhooks


def emit(request: Request, session: Session, project: Project, action: str, payload: Callable[[], dict]) -> None:
    def with_project() -> dict:
        return {"project": project_svc.projects_json(session, [project])[0], **payload()}

    # Deliveries go on a queue of their own: a dead receiver must not delay exports, syncs or predictions.
    webhooks.emit(session, submitter(request, session, project), project, action, with_project)


def submitter(request: Request, session: Session, project: Project) -> Callable:
    """submit(kind, **args): a job row of the project, queued on this process's queue."""
    def submit(kind: str, /, **args) -> None:
        background.submit(session, request.app.state.queue.enqueue, project.id, kind,
                          request.app.state.settings.queued_lease_s, **args)
    return submit


def annotations_created(request: Request, session: Session, project: Project, annotation_ids: list[int]) -> None:
    """Annotations made in bulk (accepted predictions, /api/annotations/bulk): written to the project's export
    storages from the worker, and announced as Label Studio does, one ANNOTATIONS_CREATED with them all."""
    if not annotation_ids:
        return
    if storages.list_for(session, project, "export", None):
        submitter(request, session, project)("storage_export", project_id=project.id, annotation_ids=annotation_ids)

    def payload() -> dict:
        rows = []
        for start in range(0, len(annotation_ids), 5000):  # under every database's limit on bound parameters
            chunk = annotation_ids[start:start + 5000]
            rows += session.scalars(select(Annotation).where(Annotation.id.in_(chunk)).order_by(Annotation.id))
        return {"annotation": [annotation_json(a) for a in rows]}

    emit(request, session, project, "ANNOTATIONS_CREATED", payload)
