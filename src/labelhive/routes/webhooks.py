"""/api/webhooks and /api/webhooks/{id}; events are listed at /api/webhooks/info."""
from fastapi import APIRouter, Request

from ..deps import AdminUser, CurrentUser, SessionDep
from ..responses import no_content, ok
from ..services import projects as project_svc
from ..services import webhooks as svc
from .params import JsonObject

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])


@router.get("", operation_id="list_webhooks")
def list_webhooks(request: Request, user: AdminUser, session: SessionDep):
    pid = request.query_params.get("project")
    project = project_svc.get_project(session, user, pid) if pid else None
    return ok([svc.webhook_json(w) for w in svc.listing(session, user, project.id if project else None)])


@router.get("/info", operation_id="webhook_actions")
def info(user: CurrentUser):
    return ok(svc.events_json())


@router.post("", operation_id="create_webhook")
def create_webhook(request: Request, user: AdminUser, session: SessionDep, body: JsonObject):
    project = project_svc.get_project(session, user, body["project"]) if body.get("project") else None
    return ok(svc.webhook_json(svc.create(session, user, project, body)), 201)


@router.get("/{webhook_id}", operation_id="get_webhook")
def get_webhook(webhook_id: int, user: AdminUser, session: SessionDep):
    return ok(svc.webhook_json(svc.get(session, user, webhook_id)))


@router.patch("/{webhook_id}", operation_id="update_webhook")
def update_webhook(webhook_id: int, request: Request, user: AdminUser, session: SessionDep, body: JsonObject):
    return ok(svc.webhook_json(svc.update(session, svc.get(session, user, webhook_id), body)))


@router.delete("/{webhook_id}", operation_id="delete_webhook")
def delete_webhook(webhook_id: int, user: AdminUser, session: SessionDep):
    session.delete(svc.get(session, user, webhook_id))
    session.commit()
    return no_content()
