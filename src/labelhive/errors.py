"""Domain errors. Services raise these; one handler in app.py turns them into Label Studio's error body."""


class LabelHiveError(Exception):
    status_code = 400

    def __init__(self, detail: str, validation_errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.validation_errors = validation_errors


class ValidationFailed(LabelHiveError):
    status_code = 400


class FetchFailed(ValidationFailed):
    """A request from the server to a URL a user gave failed or was refused (services/outbound).
    `reason` is the part after "Could not fetch <url>: ", for callers that word the error their own way;
    `kind` is one of services.outbound.KINDS."""

    def __init__(self, url: str, reason: str, kind: str):
        super().__init__(f"Could not fetch {url}: {reason}.")
        self.url, self.reason, self.kind = url, reason, kind


class NotAuthenticated(LabelHiveError):
    status_code = 401


class PermissionDenied(LabelHiveError):
    status_code = 403


class NotFound(LabelHiveError):
    status_code = 404


class MethodNotAllowed(LabelHiveError):
    status_code = 405


class Conflict(LabelHiveError):
    status_code = 409


class TooLarge(LabelHiveError):
    status_code = 413


def get_or_404(session, model, obj_id, what: str | None = None):
    try:
        obj = session.get(model, int(obj_id))
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise NotFound(f"{what or model.__name__} {obj_id} not found")
    return obj


def describe(exc: Exception) -> str:
    """What went wrong, for a row a user reads (a failed job, a backend's error): the detail and the fields'
    messages of our errors, the text of any other."""
    detail = getattr(exc, "detail", None)
    if detail and getattr(exc, "validation_errors", None):
        detail += ": " + " ".join(m for msgs in exc.validation_errors.values() for m in msgs)
    return detail or str(exc) or type(exc).__name__
