"""/api/drafts/{id}: the editor's autosaved work in progress."""
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ..deps import CurrentUser, SessionDep
from ..responses import no_content, ok
from ..schemas import draft_json
from ..services import labeling
from .params import json_body

router = APIRouter(prefix="/api/drafts", tags=["drafts"])


@router.get("/{draft_id}", operation_id="get_draft")
def get_draft(draft_id: int, user: CurrentUser, session: SessionDep):
    return ok(draft_json(labeling.get_draft(session, user, draft_id)))


@router.patch("/{draft_id}", operation_id="update_draft")
async def update_draft(draft_id: int, request: Request, user: CurrentUser, session: SessionDep):
    body = await json_body(request)
    return ok(draft_json(await run_in_threadpool(_update, session, user, draft_id, body)))


def _update(session, user, draft_id: int, body: dict):
    """Off the event loop: an autosave may wait for SQLite's write lock."""
    return labeling.update_draft(session, labeling.get_draft(session, user, draft_id), body)


@router.delete("/{draft_id}", operation_id="delete_draft")
def delete_draft(draft_id: int, user: CurrentUser, session: SessionDep):
    labeling.delete_draft(session, labeling.get_draft(session, user, draft_id))
    return no_content()
