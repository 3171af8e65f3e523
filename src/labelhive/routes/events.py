"""After a route's service committed: webhook events, and bulk-made annotations to export storages, on the worker."""
from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session

from ..models import Project
from ..services import projects as project_svc
from ..services import storages
from ..services import webhooks


def emit(request: Request, session: Session, project: Project, action: str, payload: Callable[[], dict]) -> None:
    def with_project() -> dict:
        return {"project": project_svc.projects_json(session, [project])[0], **payload()}

    webhooks.emit(session, request.app.state.worker.submit, project, action, with_project)


def export_created(request: Request, project: Project, annotation_ids: list[int]) -> None:
    """Annotations made in bulk reach the project's export storages too, written from the worker."""
    if annotation_ids:
        state = request.app.state
        state.worker.submit(storages.export_in_background, state.sessions, state.readonly_sessions, project.id,
                            annotation_ids, state.settings.local_files_root)
