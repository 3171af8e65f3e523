"""Webhook events from the routes: emitted after the service committed, delivered on the worker."""
from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session

from ..models import Project
from ..services import projects as project_svc
from ..services import webhooks


def emit(request: Request, session: Session, project: Project, action: str, payload: Callable[[], dict]) -> None:
    def with_project() -> dict:
        return {"project": project_svc.projects_json(session, [project])[0], **payload()}

    webhooks.emit(session, request.app.state.worker.submit, project, action, with_project)
