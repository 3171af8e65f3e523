"""/api/organizations/..., /api/invite...: the organization, its members (Label Studio Enterprise's shapes, as
label-studio-sdk 2.x's client.organizations models them) and the invite link."""
from fastapi import APIRouter, Request
from pydantic import BaseModel

from .. import auth
from ..deps import CurrentUser, SessionDep, WriteSessionDep, credentials_changed
from ..errors import PermissionDenied, ValidationFailed
from ..models import Organization, User
from ..responses import no_content, ok
from ..schemas import organization_json, user_json
from ..services import members
from .paging import page_params

router = APIRouter(prefix="/api", tags=["organizations"])


class MembershipUpdate(BaseModel):
    user_id: int
    role: str


def member_json(user: User, meta: dict) -> dict:
    """A row of the member list (Label Studio Enterprise's LseOrganizationMemberList: the user expanded)."""
    return {"id": user.id, "organization": user.organization_id, "role": user.role, "active": user.is_active,
            "user": {**user_json(user), "active_organization_meta": meta, "contributed_to_projects": None,
                     "created_projects": None},
            "created_at": user.date_joined, "contributed_to_projects": None, "created_projects": None}


def invite_json(request: Request, org_token: str, user) -> dict:
    """The link for joining as ?role= (an Annotator by default; only the owner invites administrators)."""
    role = request.query_params.get("role", "AN")
    if role not in ("AN", "RE", "MA", "AD"):
        raise ValidationFailed("Validation error", {"role": ["Invite as AN, RE, MA or AD."]})
    if role == "AD" and user.role != "OW":
        raise PermissionDenied("Only the owner invites administrators.")
    token = auth.invite_token_for(org_token, role, request.app.state.settings.session_secret())
    return {"token": token, "role": role, "invite_url": f"/user/signup/?token={token}",
            "absolute_url": f"{str(request.base_url).rstrip('/')}/user/signup/?token={token}"}


@router.get("/organizations", operation_id="list_organizations")
def list_organizations(user: CurrentUser, session: SessionDep):
    return ok([organization_json(members.get_organization(session, user, user.organization_id))])


@router.get("/organizations/{org_id}", operation_id="get_organization")
def get_organization(org_id: int, user: CurrentUser, session: SessionDep):
    return ok(members.organization_detail(session, members.get_organization(session, user, org_id), user))


@router.get("/organizations/{org_id}/memberships", operation_id="list_members")
def list_members(org_id: int, request: Request, user: CurrentUser, session: SessionDep):
    org = members.get_organization(session, user, org_id)
    page, size = page_params(request, 100)
    # Past the end: an empty page, not a 404, since label-studio-sdk's pager asks for pages until one is empty.
    total, users = members.member_page(session, org, (page - 1) * size, size)
    meta = members.organization_meta(session, org.id)
    more = page * size < total
    return ok({"count": total, "next": f"?page={page + 1}&page_size={size}" if more else None,
               "previous": f"?page={page - 1}&page_size={size}" if page > 1 else None,
               "results": [member_json(u, meta) for u in users]})


@router.get("/organizations/{org_id}/memberships/{user_id}", operation_id="get_member")
def get_member(org_id: int, user_id: int, user: CurrentUser, session: SessionDep):
    org = members.get_organization(session, user, org_id)
    return ok(members.member_detail(session, members.get_member(session, org, user_id)))


@router.delete("/organizations/{org_id}/memberships/{user_id}", operation_id="remove_member")
def remove_member(org_id: int, user_id: int, request: Request, user: CurrentUser, session: SessionDep):
    """The member is deactivated (Label Studio Enterprise's removal): sessions and token end, their work stays."""
    member = members.remove(session, user, members.get_organization(session, user, org_id), user_id)
    credentials_changed(request, session, member.id)
    return no_content()


@router.patch("/organizations/{org_id}/memberships", operation_id="update_member")
def update_member(org_id: int, body: MembershipUpdate, request: Request, user: CurrentUser, session: SessionDep):
    org = members.get_organization(session, user, org_id)
    members.require_member_admin(user)
    acting = session.get(User, user.id)
    member = members.set_role(session, acting, members.get_member(session, org, body.user_id), body.role)
    credentials_changed(request, session, member.id)
    return ok(member_json(member, members.organization_meta(session, org.id)))


@router.get("/invite", operation_id="get_invite")
def get_invite(request: Request, user: CurrentUser, session: WriteSessionDep):
    members.require_member_admin(user)
    token = auth.organization_invite_token(session, session.get(Organization, user.organization_id))
    session.commit()
    return ok(invite_json(request, token, user))


@router.post("/invite/reset-token", operation_id="reset_invite")
def reset_invite(request: Request, user: CurrentUser, session: SessionDep):
    members.require_member_admin(user)
    token = auth.organization_invite_token(session, session.get(Organization, user.organization_id), reset=True)
    session.commit()
    return ok(invite_json(request, token, user))
