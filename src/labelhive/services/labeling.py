"""The labeling stream: which task a user labels next, and their autosaved drafts."""
import random

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, get_or_404
from ..models import Annotation, Draft, Prediction, Project, Task, TaskAssignment, User, View
from . import assignments, permissions, reviews
from .tasks import task_query
from .validation import validate_result


# Counting stops here: the stream's "N left" needs no exact figure past it, and a capped count stays quick
# on a project of a million tasks.
REMAINING_CAP = 10_000


def _to_label(session: Session, project: Project, user: User, query: dict | None, view: View | None):
    """Tasks of the view that still need a label and this user has neither annotated nor skipped, and
    the view's order. With the skip queue REQUEUE_FOR_ME, a task this user skipped comes back to them once
    everything else is done (Label Studio's "requeue for me")."""
    where, order = task_query(session, project, query, view)
    where = and_(where, _given(project, user))
    mine = Annotation.task_id == Task.id, Annotation.completed_by_id == user.id
    if project.skip_queue == "REQUEUE_FOR_ME":
        done = exists().where(*mine, Annotation.was_cancelled.is_(False))
        return and_(where, Task.is_labeled.is_(False), ~done), order
    return and_(where, Task.is_labeled.is_(False), ~exists().where(*mine)), order


def honeypot_due(project: Project, user: User) -> bool:
    """Whether this /next serves a honeypot: the project's percentage of the time, to Annotators and Reviewers."""
    return bool(project.honeypot_percentage) and not permissions.sees_every_project(user) \
        and random.random() * 100 < project.honeypot_percentage


def _honeypot(session: Session, project: Project, user: User, exclude: list[int]) -> Task | None:
    """A ground-truth task (someone else's answer marked ground_truth) the user has not labeled, at random."""
    truth = exists().where(Annotation.task_id == Task.id, Annotation.ground_truth.is_(True),
                           Annotation.completed_by_id != user.id)
    mine = exists().where(Annotation.task_id == Task.id, Annotation.completed_by_id == user.id)
    query = select(Task).where(Task.project_id == project.id, truth, ~mine)
    if exclude:
        query = query.where(Task.id.not_in(exclude))
    return session.scalars(query.order_by(func.random()).limit(1)).first()


def _given(project: Project, user: User):
    """Which tasks the stream may serve `user`: with "assigned_only" distribution an Annotator or Reviewer gets
    only the tasks assigned to them; otherwise any task not given to somebody else."""
    if project.task_distribution == "assigned_only" and not permissions.sees_every_project(user):
        return assignments.assigned_to(user)
    return ~assignments.assigned_to_others(user)


def _skipped_last(project: Project, user: User, order: list) -> list:
    if project.skip_queue != "REQUEUE_FOR_ME":
        return order
    skipped = exists().where(Annotation.task_id == Task.id, Annotation.completed_by_id == user.id,
                             Annotation.was_cancelled.is_(True))
    return [skipped.asc(), *order]


def next_task(session: Session, project: Project, user: User, query: dict | None, view: View | None,
              exclude: list[int], active_learning: bool = False) -> Task:
    """The first task, in the data manager's filter and order, that is left to label for this user (see
    _to_label). `exclude` lets the editor prefetch the task after the current one."""
    fix = reviews.rejected_for(session, project, user, exclude)
    if fix is not None:  # sent back by a reviewer: the author fixes it before anything new
        return session.get(Task, fix.task_id)
    if honeypot_due(project, user):
        honeypot = _honeypot(session, project, user, exclude)
        if honeypot is not None:
            return honeypot
    clause, order = _to_label(session, project, user, query, view)
    if exclude:
        clause = and_(clause, Task.id.not_in(exclude))
    held = select(TaskAssignment.task_id).where(TaskAssignment.user_id == user.id,
                                                TaskAssignment.project_id == project.id, TaskAssignment.type == "AN")
    if session.scalar(held.limit(1)) is not None:
        # Tasks assigned to this user come first (asked apart, so a project without assignments keeps its
        # index-ordered scan that stops at the first task left).
        first = session.scalars(select(Task).where(clause, Task.id.in_(held))
                                .order_by(*_skipped_last(project, user, order)).limit(1)).first()
        if first is not None:
            return first
    if active_learning or project.sampling == "Uncertainty sampling":
        # Least confident first: the model learns most from the labels it is least sure of.
        score = select(func.min(Prediction.score)).where(Prediction.task_id == Task.id).scalar_subquery()
        order = [score.asc().nulls_last(), Task.id]
    elif project.sampling == "Uniform sampling":
        # Label Studio's "Random": any task left, so annotators working at once rarely meet on one.
        order = [func.random()]
    task = session.scalars(select(Task).where(clause).order_by(*_skipped_last(project, user, order))
                           .limit(1)).first()
    if task is None:
        raise NotFound("No more tasks to label")
    return task


def remaining(session: Session, project: Project, user: User, query: dict | None, view: View | None) -> dict:
    """How many tasks the stream has left for this user, up to REMAINING_CAP ("more" says it went past)."""
    clause, _ = _to_label(session, project, user, query, view)
    found = session.scalar(select(func.count()).select_from(
        select(Task.id).where(clause).limit(REMAINING_CAP + 1).subquery()))
    return {"remaining": min(found, REMAINING_CAP), "more": found > REMAINING_CAP}


def _lead_time(body: dict):
    value = body.get("lead_time")
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def save_draft(session: Session, task: Task, user: User, body: dict, annotation_id: int | None = None) -> Draft:
    draft = Draft(task_id=task.id, user_id=user.id, annotation_id=annotation_id,
                  result=validate_result(body.get("result", []), "draft"), lead_time=_lead_time(body))
    session.add(draft)
    session.commit()
    return draft


def get_draft(session: Session, user: User, draft_id) -> Draft:
    draft = get_or_404(session, Draft, draft_id, "Draft")
    if draft.user_id != user.id:
        raise PermissionDenied("This draft belongs to another user.")
    return draft


def update_draft(session: Session, draft: Draft, body: dict) -> Draft:
    if "result" in body:
        draft.result = validate_result(body["result"], "draft")
    if "lead_time" in body:
        draft.lead_time = _lead_time(body)
    session.commit()
    return draft


def delete_draft(session: Session, draft: Draft) -> None:
    session.delete(draft)
    session.commit()


HISTORY = 10


def stream_history(session: Session, project: Project, user: User) -> list[dict]:
    """The user's last tasks in this project's stream, oldest first, as Label Studio's label-stream-history
    lists them for the editor's Back button: each task with the annotation the user made there, or none where
    they left only a draft. Read from their annotations and drafts rather than kept as a log of its own."""
    made = session.execute(select(Annotation.task_id, Annotation.id, Annotation.updated_at).where(
        Annotation.project_id == project.id, Annotation.completed_by_id == user.id)
        .order_by(Annotation.updated_at.desc()).limit(HISTORY)).all()
    drafted = session.execute(select(Draft.task_id, Draft.updated_at).join(Task, Task.id == Draft.task_id).where(
        Task.project_id == project.id, Draft.user_id == user.id, Draft.annotation_id.is_(None))
        .order_by(Draft.updated_at.desc()).limit(HISTORY)).all()
    latest: dict[int, tuple] = {}
    for task_id, ann_id, when in made:
        if task_id not in latest or latest[task_id][1] < when:
            latest[task_id] = (ann_id, when)
    for task_id, when in drafted:
        latest.setdefault(task_id, (None, when))
    recent = sorted(latest.items(), key=lambda item: item[1][1])[-HISTORY:]
    return [{"taskId": task_id, "annotationId": ann_id} for task_id, (ann_id, _) in recent]
