"""Page-number paging the way Django REST framework does it: 404 past the last page."""
from fastapi import Request

from ..errors import NotFound, ValidationFailed

MAX_PAGE_SIZE = 100_000


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationFailed(f"Query parameter '{name}' must be an integer, got {raw!r}.") from exc


def page_params(request: Request, default_size: int) -> tuple[int, int]:
    page = _int_param(request, "page", 1)
    size = _int_param(request, "page_size", default_size)
    if page < 1:
        raise NotFound("Invalid page.")
    if size < 1:
        size = MAX_PAGE_SIZE
    return page, min(size, MAX_PAGE_SIZE)


def check_page(page: int, size: int, total: int) -> None:
    if page > 1 and (page - 1) * size >= total:
        raise NotFound("Invalid page.")
