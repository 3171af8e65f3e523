"""Reviews of annotations (Label Studio Enterprise's annotation reviews) and comments. Reviewers and up accept,
reject with a comment (the task goes back to the annotation's author, first in their labeling stream), or fix
and accept (their result replaces the annotation's; the review keeps the one it replaced)."""
from datetime import datetime, timezone

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, ValidationFailed, get_or_404
from ..models import Annotation, AnnotationReview, Comment, Project, Task, TaskAssignment, User
from . import fields, permissions
from .tasks import get_task, recount
from .validation import validate_result

REJECT_ACTIONS = ("requeue", "remove", "redistribute")


def _typed(name: str, convert, value):
    """A field converted (fields.boolean, fields.integer), or a 400 naming it."""
    try:
        return convert(value)
    except ValueError as exc:
        raise ValidationFailed("Validation error", {name: [str(exc)]}) from None


def review_json(r: AnnotationReview) -> dict:
    return {"id": r.id, "annotation": r.annotation_id, "accepted": r.accepted, "created_by": r.created_by_id,
            "created_at": r.created_at, "result": r.result, "previous_result": r.previous_result,
            "reject_action": r.reject_action, "remove_from_queue": None, "started_at": None, "state": None,
            "fixed_annotation_history": None, "previous_annotation_history": None,
            "last_annotation_history": None}


def comment_json(c: Comment) -> dict:
    return {"id": c.id, "project": c.project_id, "task": c.task_id, "annotation": c.annotation_id,
            "draft": c.draft_id, "created_by": c.created_by_id, "text": c.text, "is_resolved": c.is_resolved,
            "resolved_at": c.resolved_at, "region_ref": c.region_ref, "classifications": c.classifications,
            "created_at": c.created_at, "updated_at": c.updated_at, "state": None}


def review(session: Session, reviewer: User, ann: Annotation, body: dict) -> AnnotationReview:
    """{"accepted": bool, "comment"?, "result"? (fix and accept), "reject_action"?}: the annotation's new state.
    Nobody reviews their own annotation."""
    if ann.completed_by_id == reviewer.id:
        raise PermissionDenied("You cannot review your own annotation; another reviewer does.")
    if ann.was_cancelled:
        raise ValidationFailed("This annotation is a skip; there is nothing to review.")
    if body.get("accepted") is None:
        raise ValidationFailed("Validation error", {"accepted": ["true to accept, false to reject."]})
    accepted = _typed("accepted", fields.boolean, body["accepted"])
    action = body.get("reject_action")
    if action is not None and action not in REJECT_ACTIONS:
        raise ValidationFailed("Validation error", {"reject_action": [f"Use one of {', '.join(REJECT_ACTIONS)}."]})
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed("Validation error", {"comment": ["A text."]})
    if not accepted and not (comment or "").strip():
        raise ValidationFailed("Validation error", {"comment": [
            "Say what to fix: a rejection goes back to the annotator with this comment."]})
    r = AnnotationReview(annotation_id=ann.id, project_id=ann.project_id, created_by_id=reviewer.id,
                         accepted=accepted, reject_action=None if accepted else (action or "requeue"))
    if "result" in body and body["result"] is not None:
        if not accepted:
            raise ValidationFailed("Validation error", {"result": ["Only an accepting review carries a fix."]})
        r.result, r.previous_result = validate_result(body["result"], "annotation"), ann.result
        ann.result, ann.updated_by_id = r.result, reviewer.id
        ann.updated_at = datetime.now(timezone.utc)
    ann.review_state = "accepted" if accepted else "rejected"
    session.add(r)
    if (comment or "").strip():
        session.add(Comment(project_id=ann.project_id, task_id=ann.task_id, annotation_id=ann.id,
                            created_by_id=reviewer.id, text=comment.strip()))
    session.flush()
    if r.result is not None:
        recount(session, session.get(Project, ann.project_id), [ann.task_id])
    session.commit()
    return r


def get_review(session: Session, user: User, review_id) -> AnnotationReview:
    r = get_or_404(session, AnnotationReview, review_id, "Annotation review")
    _visible_annotation(session, user, r.annotation_id)
    return r


def _visible_annotation(session: Session, user: User, annotation_id) -> Annotation:
    """An annotation of a project the user may see: their own, or anyone's for Reviewers and up."""
    ann = session.get(Annotation, annotation_id) if isinstance(annotation_id, int) else None
    project = session.get(Project, ann.project_id) if ann else None
    if ann is None or project.organization_id != user.organization_id:
        raise NotFound(f"Annotation {annotation_id} not found")
    permissions.check_project(session, user, project)
    if ann.completed_by_id != user.id:
        permissions.require(user, "RE")
    return ann


def annotation_for(session: Session, user: User, annotation_id) -> Annotation:
    return _visible_annotation(session, user, _typed("annotation", fields.integer, annotation_id))


def reviews_of(session: Session, annotation_ids: list[int]) -> dict[int, list[dict]]:
    """{annotation id: [review, ...]} in order, for exports and the task view."""
    out: dict[int, list[dict]] = {}
    for start in range(0, len(annotation_ids), 10_000):
        rows = session.scalars(select(AnnotationReview).where(
            AnnotationReview.annotation_id.in_(annotation_ids[start:start + 10_000])).order_by(AnnotationReview.id))
        for r in rows:
            out.setdefault(r.annotation_id, []).append(review_json(r))
    return out


def add_comment(session: Session, user: User, body: dict) -> Comment:
    """On an annotation (its author and Reviewers and up) or on a task (whoever may open it)."""
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("Validation error", {"text": ["Write the comment's text."]})
    if body.get("annotation") is not None:
        ann = annotation_for(session, user, body["annotation"])
        task_id, project_id, ann_id = ann.task_id, ann.project_id, ann.id
    elif body.get("task") is not None:
        task, project = get_task(session, user, _typed("task", fields.integer, body["task"]))
        task_id, project_id, ann_id = task.id, project.id, None
    else:
        raise ValidationFailed("Validation error", {"annotation": ["Say what the comment is on: annotation or task."]})
    c = Comment(project_id=project_id, task_id=task_id, annotation_id=ann_id, created_by_id=user.id,
                text=text.strip(), region_ref=body.get("region_ref"), classifications=body.get("classifications"))
    session.add(c)
    session.commit()
    return c


def get_comment(session: Session, user: User, comment_id) -> Comment:
    c = get_or_404(session, Comment, comment_id, "Comment")
    if c.annotation_id is not None:
        _visible_annotation(session, user, c.annotation_id)
    else:
        get_task(session, user, c.task_id)
    return c


def update_comment(session: Session, user: User, c: Comment, body: dict) -> Comment:
    if "text" in body:
        if c.created_by_id != user.id:
            raise PermissionDenied("Only the comment's author changes its text.")
        if not isinstance(body["text"], str) or not body["text"].strip():
            raise ValidationFailed("Validation error", {"text": ["Write the comment's text."]})
        c.text = body["text"].strip()
    if "is_resolved" in body:
        c.is_resolved = _typed("is_resolved", fields.boolean, body["is_resolved"])
        c.resolved_at = datetime.now(timezone.utc) if c.is_resolved else None
    session.commit()
    return c


def delete_review(session: Session, r: AnnotationReview) -> None:
    ann = session.get(Annotation, r.annotation_id)
    session.delete(r)
    session.flush()
    last = session.scalars(select(AnnotationReview).where(AnnotationReview.annotation_id == ann.id)
                           .order_by(AnnotationReview.id.desc()).limit(1)).first()
    ann.review_state = None if last is None else ("accepted" if last.accepted else "rejected")
    session.commit()


def _waiting(project: Project, reviewer: User):
    return and_(Annotation.project_id == project.id, Annotation.was_cancelled.is_(False),
                Annotation.review_state.is_(None), Annotation.completed_by_id != reviewer.id)


def waiting_count(session: Session, project: Project, reviewer: User) -> int:
    """Annotations left for this reviewer, counted up to 10,000 (the stream says "10,000+" past it)."""
    return session.scalar(select(func.count()).select_from(
        select(Annotation.id).where(_waiting(project, reviewer)).limit(10_000).subquery()))


def next_to_review(session: Session, project: Project, reviewer: User, exclude: list[int]) -> tuple[Task, Annotation]:
    """The next submitted annotation waiting for a review that the reviewer did not make, in the project's task
    order; tasks assigned to the reviewer to review first."""
    waiting = _waiting(project, reviewer)
    if exclude:
        waiting = and_(waiting, Annotation.id.not_in(exclude))
    mine = exists().where(TaskAssignment.task_id == Annotation.task_id, TaskAssignment.user_id == reviewer.id,
                          TaskAssignment.type == "RE")
    for clause in (and_(waiting, mine), waiting):
        ann = session.scalars(select(Annotation).where(clause).order_by(Annotation.task_id, Annotation.id)
                              .limit(1)).first()
        if ann is not None:
            return session.get(Task, ann.task_id), ann
    raise NotFound("Nothing left to review")


def rejected_for(session: Session, project: Project, author: User, exclude: list[int] = (),
                 task_id: int | None = None):
    """The author's first annotation sent back by a reviewer and not fixed yet (outside the tasks `exclude`d, or
    on `task_id`), or None."""
    where = [Annotation.project_id == project.id, Annotation.completed_by_id == author.id,
             Annotation.review_state == "rejected"]
    if exclude:
        where.append(Annotation.task_id.not_in(exclude))
    if task_id is not None:
        where.append(Annotation.task_id == task_id)
    return session.scalars(select(Annotation).where(*where).order_by(Annotation.task_id).limit(1)).first()


def fix_note(session: Session, ann: Annotation) -> dict:
    """What the stream tells the author of a rejected annotation: which one, and the reviewers' comments."""
    texts = session.scalars(select(Comment.text).where(Comment.annotation_id == ann.id).order_by(Comment.id))
    return {"annotation": ann.id, "comments": list(texts)}

