"""Organization members: who may manage them, roles, deactivation, the invite link."""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import auth
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..models import Organization, User

MANAGERS_OF_MEMBERS = ("OW", "AD")
# Label Studio's permission names, as its whoami lists them for a member of its one organization.
PERMISSIONS = [f"{area}.{act}" for area, acts in (
    ("organizations", ("create", "view", "change", "delete", "invite")),
    ("projects", ("create", "view", "change", "delete", "reset_cache")),
    ("tasks", ("create", "view", "change", "delete")),
    ("views", ("reset",)), ("annotations", ("create", "view", "change", "delete")), ("actions", ("perform",)),
    ("predictions", ("any",)), ("avatar", ("any",)), ("labels", ("create", "view", "change", "delete")),
    ("models", ("create", "view", "change", "delete")), ("webhooks", ("view", "change")), ("users.token", ("any",)),
    ("storages", ("view", "change", "sync")), ("views", ("view", "create", "change", "delete"))) for act in acts]


def organization_meta(session: Session, org_id: int) -> dict:
    """Label Studio's active_organization_meta: the organization's title and its owner's email."""
    org = session.get(Organization, org_id)
    owner = session.scalars(select(User.email).where(User.organization_id == org_id, User.role == "OW")
                            .order_by(User.id).limit(1)).first()
    return {"title": org.title if org else "", "email": owner or ""}


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
