"""Organization members: who may manage them, roles, deactivation, the invite link."""
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from .. import auth
from . import permissions
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..models import Annotation, Organization, User

MANAGERS_OF_MEMBERS = ("OW", "AD")
# Label Studio's permission names, each with the least role that holds it here (services/permissions.py).
PERMISSION_ROLES = {
    **{f"organizations.{a}": "AD" for a in ("create", "change", "delete", "invite")}, "organizations.view": "AN",
    "projects.view": "AN", **{f"projects.{a}": "MA" for a in ("create", "change", "delete", "reset_cache")},
    "tasks.view": "AN", **{f"tasks.{a}": "MA" for a in ("create", "change", "delete")},
    **{f"annotations.{a}": "AN" for a in ("create", "view", "change", "delete")},
    "actions.perform": "MA", "predictions.any": "AN", "avatar.any": "AN", "users.token.any": "AN",
    "labels.view": "AN", **{f"labels.{a}": "MA" for a in ("create", "change", "delete")},
    **{f"models.{a}": "MA" for a in ("create", "view", "change", "delete")},
    "webhooks.view": "AD", "webhooks.change": "AD",
    "storages.view": "MA", "storages.sync": "MA", "storages.change": "AD",
    **{f"views.{a}": "RE" for a in ("view", "create", "change", "delete")}, "views.reset": "MA",
}


def permissions_of(user: User) -> list[str]:
    """whoami's `permissions`: what this member's role allows, in Label Studio's names."""
    return [name for name, role in PERMISSION_ROLES.items() if permissions.at_least(user, role)]


def organization_meta(session: Session, org_id: int) -> dict:
    """Label Studio's active_organization_meta: the organization's title and its owner's email."""
    org = session.get(Organization, org_id)
    owner = session.scalars(select(User.email).where(User.organization_id == org_id, User.role == "OW")
                            .order_by(User.id).limit(1)).first()
    return {"title": org.title if org else "", "email": owner or ""}


def organization_detail(session: Session, org: Organization, viewer: User) -> dict:
    """GET /api/organizations/{id} as Label Studio answers it: members' ids, the owner, and the invite token,
    which only those who manage members see (Label Studio shows it to everybody)."""
    ids = list(session.scalars(select(User.id).where(User.organization_id == org.id).order_by(User.id)))
    owner = session.scalars(select(User.id).where(User.organization_id == org.id, User.role == "OW")
                            .order_by(User.id).limit(1)).first()
    return {"id": org.id, "title": org.title, "created_at": org.created_at, "updated_at": org.created_at,
            "contact_info": "", "created_by": owner, "users": ids,
            "token": org.invite_token if viewer.role in MANAGERS_OF_MEMBERS else None}


def member_detail(session: Session, member: User) -> dict:
    """One membership as label-studio-sdk's OrganizationMember reads it (the user as an id), with the member's
    annotation count and how many projects they annotated in."""
    annotations, projects = session.execute(
        select(func.count(Annotation.id), func.count(distinct(Annotation.project_id)))
        .where(Annotation.completed_by_id == member.id)).one()
    return {"user": member.id, "organization": member.organization_id, "role": member.role,
            "active": member.is_active, "created_at": member.date_joined, "annotations_count": annotations,
            "contributed_projects_count": projects, "contributed_to_projects": None, "created_projects": None}


def require_member_admin(user: User) -> None:
    if user.role not in MANAGERS_OF_MEMBERS:
        raise PermissionDenied("Only the organization's owner and administrators manage its members and invites.")


def get_organization(session: Session, user: User, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or org.id != user.organization_id:
        raise NotFound(f"Organization {org_id} not found")
    return org


def member_page(session: Session, org: Organization, offset: int, limit: int) -> tuple[int, list[User]]:
    where = User.organization_id == org.id
    total = session.scalar(select(func.count()).select_from(User).where(where))
    users = session.scalars(select(User).where(where).order_by(User.id).offset(offset).limit(limit)).all()
    return total, list(users)


def get_member(session: Session, org: Organization, user_id) -> User:
    try:
        member = session.get(User, int(user_id))
    except (TypeError, ValueError):
        member = None
    if member is None or member.organization_id != org.id:
        raise NotFound(f"User {user_id} is not a member of organization {org.id}")
    return member


def set_role(session: Session, acting: User, member: User, role) -> User:
    """A role change; "DI" deactivates (sessions and token end at once), any other role on a deactivated
    member reactivates them with a fresh token. Nobody changes the owner or their own role."""
    if role not in auth.ROLES:
        raise ValidationFailed("Validation error", {"role": [f"Use one of {', '.join(auth.ROLES)}."]})
    if member.id == acting.id:
        raise PermissionDenied("You cannot change your own role or deactivate yourself.")
    if member.role == "OW" or role == "OW":
        raise PermissionDenied("The owner's role is not changed here, and there is one owner.")
    if acting.role != "OW" and (member.role == "AD" or role == "AD"):
        raise PermissionDenied("Only the owner makes or changes administrators.")
    if role == "DI":
        auth.deactivate(session, member)
    else:
        if not member.is_active:
            member.is_active = True
            auth.user_token(session, member)
        member.role = role
    session.flush()
    return member


def remove(session: Session, acting: User, org: Organization, user_id) -> User:
    """A member removed by the owner or an administrator: deactivated (sessions and token end), their work kept."""
    require_member_admin(acting)
    return set_role(session, session.get(User, acting.id), get_member(session, org, user_id), "DI")

