"""The labeling stream: which task a user labels next, and their autosaved drafts."""
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, get_or_404
from ..models import Annotation, Draft, Prediction, Project, Task, User, View
from .tasks import task_query
from .validation import validate_result


# Counting stops here: the stream's "N left" needs no exact figure past it, and a capped count stays quick
# on a project of a million tasks.
REMAINING_CAP = 10_000


def _to_label(session: Session, project: Project, user: User, query: dict | None, view: View | None):
    """Tasks of the view that still need a label and this user has neither annotated nor skipped, and
    the view's order."""
    where, order = task_query(session, project, query, view)
    mine = exists().where(Annotation.task_id == Task.id, Annotation.completed_by_id == user.id)
    return and_(where, Task.is_labeled.is_(False), ~mine), order


def next_task(session: Session, project: Project, user: User, query: dict | None, view: View | None,
              exclude: list[int], active_learning: bool = False) -> Task:
    """The first task, in the data manager's filter and order, that is left to label for this user (see
    _to_label). `exclude` lets the editor prefetch the task after the current one."""
    clause, order = _to_label(session, project, user, query, view)
    if exclude:
        clause = and_(clause, Task.id.not_in(exclude))
    if active_learning or project.sampling == "Uncertainty sampling":
        # Least confident first: the model learns most from the labels it is least sure of.
        score = select(func.min(Prediction.score)).where(Prediction.task_id == Task.id).scalar_subquery()
        order = [score.asc().nulls_last(), Task.id]
    elif project.sampling == "Uniform sampling":
        # Label Studio's "Random": any task left, so annotators working at once rarely meet on one.
        order = [func.random()]
    task = session.scalars(select(Task).where(clause).order_by(*order).limit(1)).first()
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
