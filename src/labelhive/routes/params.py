"""Request parsing shared by the routers: JSON bodies, the data manager's query and view parameters."""
import orjson
from fastapi import Request

from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import View


async def json_body(request: Request, kind=dict):
    raw = await request.body()
    try:
        body = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(f"Malformed JSON in the request body: {exc}") from exc
    if not isinstance(body, kind):
        raise ValidationFailed(f"The request body must be a JSON {'object' if kind is dict else 'list'}.")
    return body


def parse_query(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        query = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(f"'query' must be JSON like {{\"filters\": ..., \"ordering\": [...]}}: {exc}") from exc
    if not isinstance(query, dict):
        raise ValidationFailed("'query' must be a JSON object.")
    return query


def load_view(session, project, view_id) -> View | None:
    if not view_id:
        return None
    view = get_or_404(session, View, view_id, "View")
    if view.project_id != project.id:
        raise NotFound(f"View {view_id} not found in project {project.id}")
    return view
