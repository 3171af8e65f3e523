"""Who may do what. The organization roles (Label Studio Enterprise's codes) are ranked: each may do what the
ones below it may. Annotators and Reviewers work in the projects they are members of; Managers and up see every
project of the organization."""
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..auth import ROLES
from ..errors import PermissionDenied
from ..models import Annotation, Draft, Project, ProjectMember, Task, TaskAssignment, User

RANK = {"DI": 0, "AN": 1, "RE": 2, "MA": 3, "AD": 4, "OW": 5}
# What each role adds to the one below it, for the message that says why a request was refused.
ADDS = {"RE": "reviewing others' annotations",
        "MA": "creating and configuring projects, importing, exporting, managing tasks and assigning work",
        "AD": "managing members, storage and webhooks", "OW": "everything"}


def at_least(user: User, role: str) -> bool:
    return RANK.get(user.role, 0) >= RANK[role]


def require(user: User, role: str) -> None:
    if not at_least(user, role):
        raise PermissionDenied(f"Only {ROLES[role]}s and above may do this ({ADDS[role]}); "
                               f"your role is {ROLES.get(user.role, user.role)}.")


def sees_every_project(user: User) -> bool:
    return at_least(user, "MA")


def member_project_ids(session: Session, user: User):
    """A subquery of the projects an Annotator or Reviewer was added to."""
    return select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)


def visible_projects(session: Session, user: User):
    """A clause: the projects of the user's organization they may see."""
    clause = Project.organization_id == user.organization_id
    if sees_every_project(user):
        return clause
    return and_(clause, Project.id.in_(member_project_ids(session, user)))


def check_project(session: Session, user: User, project: Project) -> None:
    """403 for a project of the organization the user was not added to (Managers and up see them all)."""
    if sees_every_project(user):
        return
    if session.scalar(select(ProjectMember.id).where(ProjectMember.project_id == project.id,
                                                     ProjectMember.user_id == user.id)) is None:
        raise PermissionDenied(f"You are not a member of project {project.id}: ask a manager to add you.")


def sees_others_work(user: User) -> bool:
    """Reviewers and up read every annotation; Annotators read their own."""
    return at_least(user, "RE")


def author_filter(user: User, project: Project) -> int | None:
    """For serialize_tasks(author_only=...): the Annotator's own id, or None (no filter) for Reviewers and up and
    in projects that let annotators see each other's work."""
    return None if sees_others_work(user) or project.annotators_see_others else user.id


def check_task(session: Session, user: User, task: Task, project: Project) -> None:
    """An Annotator opens a task assigned to them, one holding their own work (an annotation or a draft), or, unless
    the project serves assigned tasks only, one still open to label; any other is not theirs to read."""
    if sees_others_work(user):
        return
    given = select(TaskAssignment.id).where(TaskAssignment.task_id == task.id, TaskAssignment.user_id == user.id)
    if session.scalar(given.limit(1)) is not None:
        return
    if not task.is_labeled and project.task_distribution != "assigned_only":
        return
    if project.honeypot_percentage:  # a honeypot the stream served them: ground truth of someone else's
        truth = select(Annotation.id).where(Annotation.task_id == task.id, Annotation.ground_truth.is_(True))
        if session.scalar(truth.limit(1)) is not None:
            return
    mine = select(Annotation.id).where(Annotation.task_id == task.id, Annotation.completed_by_id == user.id)
    drafted = select(Draft.id).where(Draft.task_id == task.id, Draft.user_id == user.id)
    if session.scalar(mine.limit(1)) is None and session.scalar(drafted.limit(1)) is None:
        why = ("is not assigned to you" if project.task_distribution == "assigned_only"
               else "is finished and holds none of your work")
        raise PermissionDenied(f"Task {task.id} {why}: Annotators open the tasks they are given.")
