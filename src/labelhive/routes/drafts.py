"""/api/drafts/{id}: the editor's autosaved work in progress."""
from fastapi import APIRouter

from ..deps import CurrentUser, SessionDep
from ..responses import no_content, ok
from ..schemas import draft_json
from ..services import labeling
from .params import JsonObject

router = APIRouter(prefix="/api/drafts", tags=["drafts"])


@router.get("/{draft_id}", operation_id="get_draft")
def get_draft(draft_id: int, user: CurrentUser, session: SessionDep):
    return ok(draft_json(labeling.get_draft(session, user, draft_id), user))


@router.patch("/{draft_id}", operation_id="update_draft")
def update_draft(draft_id: int, user: CurrentUser, session: SessionDep, body: JsonObject):
    draft = labeling.get_draft(session, user, draft_id)
    return ok(draft_json(labeling.update_draft(session, draft, body), user))


@router.delete("/{draft_id}", operation_id="delete_draft")
def delete_draft(draft_id: int, user: CurrentUser, session: SessionDep):
    labeling.delete_draft(session, labeling.get_draft(session, user, draft_id))
    return no_content()
