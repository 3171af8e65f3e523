"""/api/comments and /api/comments/{id}: comments on annotations and tasks (Label Studio Enterprise's shapes, as
label-studio-sdk 2.x's client.comments models them). A reviewer's rejection arrives here as a comment."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import CurrentUser, SessionDep
from ..errors import PermissionDenied, ValidationFailed
from ..models import Comment
from ..responses import no_content, ok
from ..services import permissions
from ..services import projects as project_svc
from ..services import reviews as svc
from .params import JsonObject, int_list

router = APIRouter(prefix="/api/comments", tags=["reviews"])


@router.get("", operation_id="list_comments")
def list_comments(request: Request, user: CurrentUser, session: SessionDep):
    """?annotation=<id> (its author and Reviewers and up), or ?projects=<ids> (Reviewers and up)."""
    params = request.query_params
    query = select(Comment).order_by(Comment.id)
    if params.get("annotation"):
        ann = svc.annotation_for(session, user, params["annotation"])
        query = query.where(Comment.annotation_id == ann.id)
    elif params.get("projects"):
        permissions.require(user, "RE")
        ids = [project_svc.get_project(session, user, pid).id for pid in int_list(params["projects"], "projects")]
        query = query.where(Comment.project_id.in_(ids))
    else:
        raise ValidationFailed("Pass ?annotation=<id> or ?projects=<project ids>.")
    return ok([svc.comment_json(c) for c in session.scalars(query)])


@router.post("", operation_id="create_comment")
def create_comment(user: CurrentUser, session: SessionDep, body: JsonObject):
    return ok(svc.comment_json(svc.add_comment(session, user, body)), 201)


@router.get("/{comment_id}", operation_id="get_comment")
def get_comment(comment_id: int, user: CurrentUser, session: SessionDep):
    return ok(svc.comment_json(svc.get_comment(session, user, comment_id)))


@router.patch("/{comment_id}", operation_id="update_comment")
def update_comment(comment_id: int, user: CurrentUser, session: SessionDep, body: JsonObject):
    """The author changes the text; whoever may read the comment marks it resolved."""
    c = svc.get_comment(session, user, comment_id)
    return ok(svc.comment_json(svc.update_comment(session, user, c, body)))


@router.delete("/{comment_id}", operation_id="delete_comment")
def delete_comment(comment_id: int, user: CurrentUser, session: SessionDep):
    c = svc.get_comment(session, user, comment_id)
    if c.created_by_id != user.id and not permissions.at_least(user, "MA"):
        raise PermissionDenied("Only the comment's author or a Manager removes it.")
    session.delete(c)
    session.commit()
    return no_content()
