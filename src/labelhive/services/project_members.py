"""Who works in a project: Annotators and Reviewers are added to it (Label Studio Enterprise's project
members); Managers and up are members of every project implicitly."""
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Project, ProjectMember, User
from . import permissions

IMPLICIT_ROLES = tuple(role for role, rank in permissions.RANK.items() if rank >= permissions.RANK["MA"])


def _org_user(session: Session, project: Project, user_id) -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise ValidationFailed("Validation error", {"user": ["A user id (a number) is required."]})
    user = session.get(User, user_id)
    if user is None or user.organization_id != project.organization_id:
        raise ValidationFailed("Validation error", {"user": [f"No member {user_id} in this organization."]})
    return user


def add(session: Session, project: Project, user_ids: list) -> tuple[list[int], list[int]]:
    """Adds each user not yet a member; returns (added, skipped: already members)."""
    users = [_org_user(session, project, uid) for uid in user_ids]
    present = set(session.scalars(select(ProjectMember.user_id).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id.in_([u.id for u in users]))))
    added = []
    for user in users:
        if user.id not in present and user.id not in added:
            session.add(ProjectMember(project_id=project.id, user_id=user.id))
            added.append(user.id)
    session.commit()
    return added, sorted(present)


def remove(session: Session, project: Project, user_ids: list) -> int:
    for uid in user_ids:
        _org_user(session, project, uid)
    removed = session.execute(delete(ProjectMember).where(ProjectMember.project_id == project.id,
                                                          ProjectMember.user_id.in_(user_ids))).rowcount
    session.commit()
    return removed


def page(session: Session, project: Project, offset: int, limit: int) -> tuple[int, list[tuple[User, bool]]]:
    """Active members who work in the project: those added, then (implicit) Managers and up; each with
    whether they are an implicit member."""
    added = select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)
    where = (User.organization_id == project.organization_id, User.role != "DI",
             or_(User.id.in_(added), User.role.in_(IMPLICIT_ROLES)))
    total = session.scalar(select(func.count()).select_from(User).where(*where))
    users = session.scalars(select(User).where(*where).order_by(User.id).offset(offset).limit(limit))
    return total, [(u, u.role in IMPLICIT_ROLES) for u in users]
