"""orjson responses with Label Studio's timestamp style (UTC, 'Z' suffix)."""
import orjson
from fastapi.responses import Response

JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def dumps(content) -> bytes:
    return orjson.dumps(content, option=JSON_OPTIONS)


class JSON(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        return dumps(content)


def ok(content, status_code: int = 200) -> JSON:
    return JSON(content, status_code=status_code)


def no_content() -> Response:
    return Response(status_code=204)
