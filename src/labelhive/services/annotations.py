"""Annotations: create, update, delete, with the task's counters updated in the same transaction."""
import uuid
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Annotation, Draft, Prediction, Project, Task, User
from .tasks import recount
from .validation import validate_result

BOOL_FIELDS = ("was_cancelled", "ground_truth")


def _lead_time(value):
    if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise ValidationFailed("Validation error", {"lead_time": [f"Must be a number of seconds, got {value!r}."]})
    return value


def _completed_by(session: Session, value, user: User) -> int:
    if isinstance(value, dict):
        value = value.get("id")
    if value is None:
        return user.id
    known = session.get(User, value) if isinstance(value, int) else None
    if known is None or known.organization_id != user.organization_id:
        raise ValidationFailed("Validation error", {"completed_by": [f"User {value!r} does not exist."]})
    return known.id


def create_annotation(session: Session, project: Project, task: Task, user: User, body: dict,
                      cancelled_param: bool = False) -> Annotation:
    result = validate_result(body.get("result", []), "annotation")
    parent = body.get("parent_prediction")
    if parent is not None and session.scalar(select(Prediction.id).where(Prediction.id == parent,
                                                                       Prediction.task_id == task.id)) is None:
        raise ValidationFailed("Validation error", {"parent_prediction": [f"Prediction {parent!r} is not on this task."]})
    ann = Annotation(task_id=task.id, project_id=project.id, result=result,
                     completed_by_id=_completed_by(session, body.get("completed_by"), user),
                     updated_by_id=user.id, was_cancelled=bool(body.get("was_cancelled")) or cancelled_param,
                     ground_truth=bool(body.get("ground_truth", False)), lead_time=_lead_time(body.get("lead_time")),
                     unique_id=str(body.get("unique_id") or uuid.uuid4()), parent_prediction_id=parent,
                     parent_annotation_id=body.get("parent_annotation"), last_action="submitted")
    session.add(ann)
    session.flush()
    _drop_draft(session, body.get("draft_id"), user)
    recount(session, project, [task.id])
    session.commit()
    return ann


def _drop_draft(session: Session, draft_id, user: User) -> None:
    if draft_id is not None:
        # The draft became this annotation (or this update of it); keep nobody's work twice.
        session.execute(delete(Draft).where(Draft.id == draft_id, Draft.user_id == user.id))


def update_annotation(session: Session, project: Project, ann: Annotation, user: User, body: dict) -> Annotation:
    if "result" in body:
        ann.result = validate_result(body["result"], "annotation")
    for name in BOOL_FIELDS:
        if name in body:
            setattr(ann, name, bool(body[name]))
    if "lead_time" in body:
        ann.lead_time = _lead_time(body["lead_time"])
    if "completed_by" in body:
        ann.completed_by_id = _completed_by(session, body["completed_by"], user)
    ann.updated_by_id = user.id
    ann.last_action = "updated"
    ann.updated_at = datetime.now(timezone.utc)
    if ann.review_state == "rejected" and user.id == ann.completed_by_id:
        ann.review_state = None  # the author's fix goes back to the review queue
    _drop_draft(session, body.get("draft_id"), user)
    session.flush()
    recount(session, project, [ann.task_id])
    session.commit()
    return ann


def delete_annotation(session: Session, project: Project, ann: Annotation) -> None:
    task_id = ann.task_id
    session.delete(ann)
    session.flush()
    recount(session, project, [task_id])
    session.commit()


BULK_DELETE_MAX = 100


def create_bulk(session: Session, project: Project, user: User, body: dict, task_ids: list[int]) -> list[int]:
    """POST /api/annotations/bulk: one annotation with the same result on each task, in one transaction."""
    if not task_ids:
        raise ValidationFailed("Validation error", {"tasks": ["Select at least one task of this project."]})
    result = validate_result(body.get("result", []), "annotation")
    found = set(session.scalars(select(Task.id).where(Task.project_id == project.id, Task.id.in_(task_ids))))
    missing = [t for t in task_ids if t not in found]
    if missing:
        raise ValidationFailed("Validation error", {"tasks": [
            f"Tasks {missing[:10]} are not in project {project.id}; nothing was created."]})
    common = dict(project_id=project.id, result=result, completed_by_id=_completed_by(session, body.get("completed_by"), user),
                  updated_by_id=user.id, was_cancelled=bool(body.get("was_cancelled")),
                  ground_truth=bool(body.get("ground_truth", False)), lead_time=_lead_time(body.get("lead_time")),
                  bulk_created=True, last_action="submitted")
    rows = [dict(common, task_id=t, unique_id=str(uuid.uuid4())) for t in dict.fromkeys(task_ids)]
    ids = list(session.scalars(insert(Annotation).returning(Annotation.id), rows))
    recount(session, project, list(found))
    session.commit()
    return sorted(ids)


def delete_bulk(session: Session, project: Project, ids: list[int]) -> int:
    if len(ids) > BULK_DELETE_MAX:
        raise ValidationFailed("Validation error", {"ids": [f"At most {BULK_DELETE_MAX} ids per request; got {len(ids)}."]})
    task_ids = list(session.scalars(select(Annotation.task_id).where(Annotation.project_id == project.id,
                                                                      Annotation.id.in_(ids))))
    deleted = session.execute(delete(Annotation).where(Annotation.project_id == project.id,
                                                       Annotation.id.in_(ids))).rowcount or 0
    recount(session, project, list(set(task_ids)))
    session.commit()
    return deleted
