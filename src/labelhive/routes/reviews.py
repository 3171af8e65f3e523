"""/api/annotation-reviews, /api/annotation-reviews/{id} (Label Studio Enterprise's shapes, as label-studio-sdk
2.x's client.annotation_reviews models them) and /api/projects/{id}/review/next, the review stream."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import CurrentUser, ReviewerUser, SessionDep
from ..errors import ValidationFailed
from ..models import AnnotationReview
from ..responses import no_content, ok
from ..services import permissions
from ..services import projects as project_svc
from ..services import reviews as svc
from ..services import tasks as task_svc
from .params import JsonObject, int_list

router = APIRouter(prefix="/api", tags=["reviews"])


@router.get("/annotation-reviews", operation_id="list_annotation_reviews")
def list_reviews(request: Request, user: CurrentUser, session: SessionDep):
    """?annotation=<id> (its author may read those), or ?annotation__task__project=<id> (Reviewers and up)."""
    params = request.query_params
    query = select(AnnotationReview).order_by(AnnotationReview.id)
    if params.get("annotation"):
        ann = svc.annotation_for(session, user, params["annotation"])
        query = query.where(AnnotationReview.annotation_id == ann.id)
    elif params.get("annotation__task__project"):
        permissions.require(user, "RE")
        project = project_svc.get_project(session, user, params["annotation__task__project"])
        query = query.where(AnnotationReview.project_id == project.id)
    else:
        raise ValidationFailed("Pass ?annotation=<id> or ?annotation__task__project=<project id>.")
    return ok([svc.review_json(r) for r in session.scalars(query)])


@router.post("/annotation-reviews", operation_id="create_annotation_review")
def create_review(request: Request, user: ReviewerUser, session: SessionDep, body: JsonObject):
    """{"annotation", "accepted", "comment"?, "result"?}: accept, reject (a comment is required) or fix and
    accept."""
    if body.get("annotation") is None:
        raise ValidationFailed("Validation error", {"annotation": ["The annotation reviewed is required."]})
    ann = svc.annotation_for(session, user, body["annotation"])
    return ok(svc.review_json(svc.review(session, user, ann, body)), 201)


@router.get("/annotation-reviews/{review_id}", operation_id="get_annotation_review")
def get_review(review_id: int, user: CurrentUser, session: SessionDep):
    return ok(svc.review_json(svc.get_review(session, user, review_id)))


@router.delete("/annotation-reviews/{review_id}", operation_id="delete_annotation_review")
def delete_review(review_id: int, user: ReviewerUser, session: SessionDep):
    """Its reviewer (or a Manager) takes a review back; the annotation's state follows its last review left."""
    r = svc.get_review(session, user, review_id)
    if r.created_by_id != user.id:
        permissions.require(user, "MA")
    svc.delete_review(session, r)
    return no_content()


@router.get("/projects/{project_id}/review/next", operation_id="next_to_review")
def next_to_review(project_id: int, request: Request, user: ReviewerUser, session: SessionDep):
    """The review stream: the next task with an annotation waiting for a review, and which annotation
    (`review.annotation`); ?exclude=<annotation ids> passes over those (the page prefetching the next one)."""
    project = project_svc.get_project(session, user, project_id)
    exclude = int_list(request.query_params.get("exclude", ""), "exclude")
    task, ann = svc.next_to_review(session, project, user, exclude)
    served = task_svc.expand_authors(session, task_svc.serialize_tasks(session, project, [task], full=True,
                                                                        user_id=user.id)[0])
    served["review"] = {"annotation": ann.id, "waiting": svc.waiting_count(session, project, user)}
    return ok(served)

