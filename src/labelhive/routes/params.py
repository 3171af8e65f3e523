"""Request parsing shared by the routers: JSON bodies, the data manager's query and view parameters."""
from typing import Annotated

import orjson
from fastapi import Depends, Request

from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import View


async def _json_object(request: Request) -> dict:
    return await json_body(request)


async def _json_list(request: Request) -> list:
    return await json_body(request, kind=list)


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def json_body(request: Request, kind=dict):
    """The body as JSON, or, as Label Studio's serializer routes accept them, a form (curl -d,
    requests.post(data=...)): its fields as strings, the ones holding a JSON object or list read as JSON."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() in FORMS and kind is dict:
        return await form_body(request)
    raw = await request.body()
    try:
        body = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(f"Malformed JSON in the request body: {exc}") from exc
    if not isinstance(body, kind):
        raise ValidationFailed(f"The request body must be a JSON {'object' if kind is dict else 'list'}.")
    return body


async def form_body(request: Request) -> dict:
    try:
        form = await request.form()
    except Exception as exc:  # a truncated or mislabelled multipart body
        raise ValidationFailed(f"Malformed form in the request body: {exc}") from exc
    body = {}
    for key, value in form.multi_items():  # the last of repeated fields, as Django's QueryDict.dict()
        if not isinstance(value, str):
            continue  # files are read by the routes that take them
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                pass
        body[key] = value
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


# A JSON object body as a dependency: it is read on the event loop, so the route itself can be a plain `def`,
# which FastAPI runs on a worker thread, and its queries never hold up the loop (on SQLite, a write waiting
# for the lock would).
JsonObject = Annotated[dict, Depends(_json_object)]
JsonList = Annotated[list, Depends(_json_list)]


def int_list(raw: str, name: str) -> list[int]:
    """`1,2,3` as ints; anything else a 400 naming the parameter (Label Studio answers 500 here)."""
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ValidationFailed(f"'{name}' must be integer ids separated by commas, got {raw[:100]!r}.") from None
