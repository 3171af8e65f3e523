"""/api/projects/{id}/members, .../members/bulk, .../members/paginated: who works in a project (Label Studio
Enterprise's shapes, as label-studio-sdk 2.x's client.projects.members models them)."""
from fastapi import APIRouter, Request

from ..deps import CurrentUser, ManagerUser, SessionDep
from ..errors import ValidationFailed
from ..responses import no_content, ok
from ..schemas import user_json
from ..services import project_members as svc
from ..services import projects as project_svc
from .paging import page_params
from .params import JsonObject

router = APIRouter(prefix="/api/projects", tags=["projects"])


@router.post("/{project_id}/members", operation_id="add_project_member")
def add_member(project_id: int, user: ManagerUser, session: SessionDep, body: JsonObject):
    project = project_svc.get_project(session, user, project_id)
    svc.add(session, project, [body.get("user")])
    return ok({"user": body["user"]}, 201)


@router.delete("/{project_id}/members", operation_id="remove_project_member")
def remove_member(project_id: int, request: Request, user: ManagerUser, session: SessionDep):
    """?user=<id> (or, as older clients send it, a JSON body {"user": id})."""
    project = project_svc.get_project(session, user, project_id)
    member = request.query_params.get("user")
    if member is None or not member.isdigit():
        raise ValidationFailed("Validation error", {"user": ["Pass the member to remove as ?user=<id>."]})
    svc.remove(session, project, [int(member)])
    return no_content()


@router.post("/{project_id}/members/bulk", operation_id="add_project_members")
def add_members(project_id: int, user: ManagerUser, session: SessionDep, body: JsonObject):
    """{"users": [ids]} or Label Studio Enterprise's {"roles": [{"user_id", "role"}]} (the role is the
    organization's here): {"assignments": <added>, "skipped_user_ids": [already members]}."""
    project = project_svc.get_project(session, user, project_id)
    ids = body.get("users") if "users" in body else [r.get("user_id") for r in body.get("roles") or []
                                                       if isinstance(r, dict)]
    if not isinstance(ids, list) or not ids:
        raise ValidationFailed("Validation error", {"users": ["A list of user ids to add."]})
    added, skipped = svc.add(session, project, ids)
    return ok({"assignments": len(added), "skipped_user_ids": skipped}, 201)


@router.get("/{project_id}/members/paginated", operation_id="list_project_members")
def list_members(project_id: int, request: Request, user: CurrentUser, session: SessionDep):
    project = project_svc.get_project(session, user, project_id)
    page, size = page_params(request, 100)
    total, rows = svc.page(session, project, (page - 1) * size, size)
    more = page * size < total
    return ok({"count": total, "next": page + 1 if more else None, "previous": page - 1 if page > 1 else None,
               "results": [{**user_json(u), "implicit_member": implicit, "project_role": u.role}
                           for u, implicit in rows]})
