"""create_app(settings) -> FastAPI: routers, error handlers, middleware. No import-time globals."""
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__, db, queues
from .config import Settings
from .deps import AuthCache
from .errors import LabelHiveError
from .responses import JSON
from .routes import ROUTERS
from .security_headers import SecurityHeaders
from .services import login_throttle
from .services.bootstrap import ensure_first_user
from .services.leases import Leases
from .services.leases import sweep as sweep_stopped_work
from .services.thumbnails import RecentThumbnails


class TrailingSlashOptional:
    """Label Studio serves '/api/x' and '/api/x/' alike, without redirects; routes here are slash-less."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                stripped = path.rstrip("/") or "/"
                scope = dict(scope, path=stripped, raw_path=stripped.encode())
        await self.app(scope, receive, send)


def error_body(status_code: int, detail, validation_errors=None) -> JSON:
    body = {"id": str(uuid.uuid4()), "status_code": status_code, "version": __version__,
            "detail": detail, "exc_info": None}
    if validation_errors is not None:
        body["validation_errors"] = validation_errors
    return JSON(body, status_code=status_code)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LabelHiveError)
    async def _domain(_request: Request, exc: LabelHiveError):
        return error_body(exc.status_code, exc.detail, exc.validation_errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
            # /api/tasks/abc names no task: Label Studio's URL patterns answer 404 here, not 400.
            return error_body(404, "Not found.")
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            errors.setdefault(".".join(loc) or "body", []).append(err.get("msg", "invalid"))
        return error_body(400, "Validation error", errors)

    # An id or count past what the database stores (SQLite: 64-bit; PostgreSQL: its column's type) names nothing
    # that exists: the driver's error is the input's fault, not the server's.
    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(_request: Request, _exc: Exception):
        return error_body(400, "A number in the request is out of range: ids and counts are at most 2^63-1 "
                               "(2^31-1 for some fields).")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        detail = "Not found." if exc.status_code == 404 else exc.detail
        return error_body(exc.status_code, detail)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    settings.ensure_dirs()
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    ctx, held = queues.process_context(settings, engine)
    queue = queues.make(ctx, held, settings.redis_url)
    held.start(queue.enqueue)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        queue.shutdown()
        held.shutdown()

    app = FastAPI(title="LabelHive", version=__version__, default_response_class=JSON,
                  redirect_slashes=False, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = ctx.sessions
    app.state.readonly_sessions = ctx.readonly_sessions
    app.state.auth_cache = AuthCache()
    app.state.login_throttle = login_throttle.make(settings.redis_url)
    app.state.recent_thumbnails = RecentThumbnails()
    app.state.sync_progress = ctx.progress
    app.state.queue = queue
    with app.state.sessions() as session:
        ensure_first_user(session, settings)
        # Work a stopped process left "running" is retried or failed once its lease ends; live processes' is not.
        sweep_stopped_work(session, queue.enqueue, settings.queued_lease_s)
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(TrailingSlashOptional)
    app.add_middleware(SecurityHeaders)
    return app
