"""After a route's service committed: webhook events, and bulk-made annotations to export storages, on the worker."""
from collections.abc import Callable

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Annotation, Project
from ..schemas import annotation_json
from ..services import projects as project_svc
from ..services import storages
from ..services import webhooks


def emit(request: Request, session: Session, project: Project, action: str, payload: Callable[[], dict]) -> None:
    def with_project() -> dict:
        return {"project": project_svc.projects_json(session, [project])[0], **payload()}

    # Deliveries have their own threads: a dead receiver must not delay the jobs on state.worker.
    webhooks.emit(session, request.app.state.webhook_worker.submit, project, action, with_project)


def annotations_created(request: Request, session: Session, project: Project, annotation_ids: list[int]) -> None:
    """Annotations made in bulk (accepted predictions, /api/annotations/bulk): written to the project's export
    storages from the worker, and announced as Label Studio does, one ANNOTATIONS_CREATED with them all."""
    if not annotation_ids:
        return
    state = request.app.state
    state.worker.submit(storages.export_in_background, state.sessions, state.readonly_sessions, project.id,
                        annotation_ids, state.settings.local_files_root)

    def payload() -> dict:
        rows = []
        for start in range(0, len(annotation_ids), 5000):  # under every database's limit on bound parameters
            chunk = annotation_ids[start:start + 5000]
            rows += session.scalars(select(Annotation).where(Annotation.id.in_(chunk)).order_by(Annotation.id))
        return {"annotation": [annotation_json(a) for a in rows]}

    emit(request, session, project, "ANNOTATIONS_CREATED", payload)
