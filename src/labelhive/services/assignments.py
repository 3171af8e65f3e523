"""Tasks given to members to annotate ("AN") or review ("RE"): Label Studio Enterprise's task assignments, as
label-studio-sdk 2.x's client.projects.assignments models them. Assigning someone to a project's tasks adds them
to the project."""
from sqlalchemy import and_, delete, exists, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Project, ProjectMember, Task, TaskAssignment, User
from .bulk_rows import bulk_insert

TYPES = ("AN", "RE")
CHUNK = 10_000


def assignment_json(a: TaskAssignment) -> dict:
    return {"id": a.id, "assignee": a.user_id, "task": a.task_id, "type": a.type, "created_at": a.created_at,
            "state": None}


def _check(session: Session, project: Project, kind, user_ids) -> list[int]:
    if kind not in TYPES:
        raise ValidationFailed("Validation error", {"type": ['Use "AN" (to annotate) or "RE" (to review).']})
    if not isinstance(user_ids, list) or not all(isinstance(u, int) and not isinstance(u, bool) for u in user_ids):
        raise ValidationFailed("Validation error", {"users": ["A list of user ids."]})
    found = dict(session.execute(select(User.id, User.role).where(
        User.id.in_(user_ids), User.organization_id == project.organization_id)).all())
    if missing := [u for u in user_ids if u not in found]:
        raise ValidationFailed("Validation error", {"users": [f"No members {missing[:10]} in this organization."]})
    if inactive := [u for u in user_ids if found[u] == "DI"]:
        raise ValidationFailed("Validation error", {"users": [f"Members {inactive[:10]} are deactivated."]})
    return list(dict.fromkeys(user_ids))


def assign(session: Session, project: Project, task_ids: list[int], kind, user_ids) -> int:
    """Gives the tasks to the users (those already given are kept); returns how many assignments were made."""
    users = _check(session, project, kind, user_ids)
    made = 0
    for start in range(0, len(task_ids), CHUNK):  # a data-manager selection may be every task of the project
        chunk = task_ids[start:start + CHUNK]
        held = set(session.execute(select(TaskAssignment.task_id, TaskAssignment.user_id).where(
            TaskAssignment.project_id == project.id, TaskAssignment.type == kind,
            TaskAssignment.user_id.in_(users), TaskAssignment.task_id.in_(chunk))).all())
        rows = [{"project_id": project.id, "task_id": t, "user_id": u, "type": kind}
                for t in chunk for u in users if (t, u) not in held]
        if rows:
            bulk_insert(session, TaskAssignment.__table__, rows)
        made += len(rows)
    members = set(session.scalars(select(ProjectMember.user_id).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id.in_(users))))
    for u in users:
        if u not in members:
            session.add(ProjectMember(project_id=project.id, user_id=u))
    session.commit()
    return made


def unassign(session: Session, project: Project, task_ids: list[int], kind, user_ids=None) -> int:
    """Takes the tasks back from the users (every user of that type when `user_ids` is None)."""
    where = [TaskAssignment.project_id == project.id, TaskAssignment.type == kind]
    if user_ids is not None:
        where.append(TaskAssignment.user_id.in_(_check(session, project, kind, user_ids)))
    elif kind not in TYPES:
        _check(session, project, kind, [])
    removed = 0
    for start in range(0, len(task_ids), CHUNK):
        removed += session.execute(delete(TaskAssignment).where(
            *where, TaskAssignment.task_id.in_(task_ids[start:start + CHUNK]))).rowcount
    session.commit()
    return removed


def of_task(session: Session, task: Task) -> list[TaskAssignment]:
    return list(session.scalars(select(TaskAssignment).where(TaskAssignment.task_id == task.id)
                                .order_by(TaskAssignment.id)))


def by_task(session: Session, task_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """{task id: {"AN": [user ids], "RE": [user ids]}} for a page of the data manager."""
    out: dict[int, dict[str, list[int]]] = {}
    if not task_ids:
        return out
    for tid, uid, kind in session.execute(select(TaskAssignment.task_id, TaskAssignment.user_id, TaskAssignment.type)
                                          .where(TaskAssignment.task_id.in_(task_ids)).order_by(TaskAssignment.id)):
        out.setdefault(tid, {"AN": [], "RE": []})[kind].append(uid)
    return out


def assigned_to(user: User, kind: str = "AN"):
    """A clause: the task is assigned to `user` (for the labeling stream's order and filter)."""
    return exists().where(TaskAssignment.task_id == Task.id, TaskAssignment.user_id == user.id,
                          TaskAssignment.type == kind)


def assigned_to_others(user: User):
    """A clause: the task was given to somebody else to annotate, and not to `user`."""
    others = exists().where(TaskAssignment.task_id == Task.id, TaskAssignment.user_id != user.id,
                            TaskAssignment.type == "AN")
    return and_(others, ~assigned_to(user))
