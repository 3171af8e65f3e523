"""The model server's HTTP API, as label-studio-ml-backend serves it (LS-COMPAT §3): /health, /setup,
/predict, /webhook, /versions, /metrics. One model instance per request, as there; state lives in the
per-project store and in MODEL_DIR."""
import base64
import binascii
import inspect
import json
import logging
import secrets
import threading
from collections import defaultdict

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import cache
from .model import HOSTNAME_KEY, TOKEN_KEY, LabelStudioMLBase
from .response import ModelResponse, PredictionValue

logger = logging.getLogger(__name__)


class BadRequest(ValueError):
    pass


def _project_id(project) -> str:
    # The server sends "<id>.<created timestamp>"; older servers sent the bare id.
    return str(project).split(".", 1)[0] if project not in (None, "") else ""


def _dump(value):
    return value.model_dump() if isinstance(value, PredictionValue) else value


def _with_version(entry, version: str | None):
    if isinstance(entry, dict) and not entry.get("model_version") and version:
        return {**entry, "model_version": version}
    return entry


def normalize_predictions(response, model_version: str | None) -> list:
    """predict()'s answer as the list of per-task results the server expects."""
    if response is None:
        return []
    if isinstance(response, ModelResponse):
        if not response.has_model_version() and model_version:
            response.set_version(model_version)
        else:
            response.update_predictions_version()
        response = response.model_dump()["predictions"]
    elif isinstance(response, dict):
        response = response.get("predictions", response.get("results", []))
    out = []
    for entry in response:
        entry = _dump(entry)
        if isinstance(entry, list):
            out.append([_with_version(_dump(e), model_version) for e in entry])
        else:
            out.append(_with_version(entry, model_version))
    return out


def _fit(model: LabelStudioMLBase, event: str, data: dict):
    """fit(event, data); label-studio-ml 1.0.x models take fit(tasks, workdir=None, **kwargs) instead."""
    params = list(inspect.signature(model.fit).parameters)
    if params and params[0] in ("tasks", "completions", "annotations"):
        return model.fit((), event=event, data=data, workdir=str(cache.model_dir()))
    return model.fit(event, data)


def _plain(value):
    """numpy scalars and arrays (a score from predict_proba) as plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _jsonable(value):
    return json.loads(json.dumps(value, default=_plain))


class _JSON(JSONResponse):
    def render(self, content) -> bytes:
        return json.dumps(content, default=_plain, separators=(",", ":")).encode()


def create_app(model_class: type[LabelStudioMLBase], basic_auth: tuple[str, str] | None = None) -> Starlette:
    """The ASGI app serving `model_class`; basic_auth=(user, password) protects every route."""
    fit_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)

    def make(project_id: str, label_config: str | None) -> LabelStudioMLBase:
        return model_class(project_id=project_id, label_config=label_config)

    async def body_of(request: Request) -> dict:
        try:
            body = await request.json()
        except ValueError as exc:
            raise BadRequest("The request body is not JSON") from exc
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object")
        return body

    async def health(request: Request):
        return _JSON({"status": "UP", "model_class": model_class.__name__})

    async def setup(request: Request):
        body = await body_of(request)
        project_id = _project_id(body.get("project"))

        def run():
            model = make(project_id, body.get("schema") or body.get("label_config"))
            if body.get("hostname"):
                model.set(HOSTNAME_KEY, body["hostname"])
            if body.get("access_token"):
                model.set(TOKEN_KEY, body["access_token"])
            if body.get("extra_params"):
                model.set_extra_params(body["extra_params"])
            return model.model_version

        return _JSON({"model_version": str(await run_in_threadpool(run) or "")})

    async def predict(request: Request):
        body = await body_of(request)
        tasks = body.get("tasks")
        if not isinstance(tasks, list):
            raise BadRequest("'tasks' must be a list of tasks")
        params = dict(body.get("params") or {})
        context = params.pop("context", None)

        def run():
            model = make(_project_id(body.get("project")), body.get("label_config"))
            response = model.predict(tasks, context=context, **params)
            version = str(model.model_version or "")
            return normalize_predictions(response, version), version

        results, version = await run_in_threadpool(run)
        return _JSON({"results": results, "model_version": version})

    async def webhook(request: Request):
        data = await body_of(request)
        event = data.pop("action", None)
        if event not in model_class.TRAIN_EVENTS:
            return _JSON({"status": "Unknown event"})
        project = data.get("project")
        if not isinstance(project, dict) or "id" not in project:
            raise BadRequest(f"A {event} payload needs the project object (project.id)")
        project_id = str(project["id"])

        def run():
            with fit_locks[project_id]:  # fits of one project never overlap: each bumps the version once
                model = make(project_id, project.get("label_config"))
                result = _fit(model, event, data)
                if isinstance(result, dict):
                    model.set("train_output", json.dumps(result, default=_plain))
                return _jsonable(result)

        return _JSON({"result": await run_in_threadpool(run), "status": "ok"}, status_code=201)

    async def versions(request: Request):
        project = request.query_params.get("project")
        if request.method == "POST":
            project = (await body_of(request)).get("project", project)
        current = cache.values("model_version")
        if project:  # one project's version; without one, every project's
            current = {k: v for k, v in current.items() if k == _project_id(project)}
        return _JSON({"versions": sorted(set(current.values())), "model_dir": str(cache.model_dir()), "message": ""})

    async def metrics(request: Request):
        return _JSON({})

    app = Starlette(routes=[
        Route("/", health), Route("/health", health),
        Route("/setup", _guarded(setup), methods=["POST"]),
        Route("/predict", _guarded(predict), methods=["POST"]),
        Route("/webhook", _guarded(webhook), methods=["POST"]),
        Route("/versions", _guarded(versions), methods=["GET", "POST"]),
        Route("/metrics", metrics),
    ])

    if basic_auth:
        app.add_middleware(_BasicAuth, credentials=basic_auth)
    return app


init_app = create_app  # label-studio-ml's name for it


def _guarded(endpoint):
    """Errors become JSON answers the server can show: 400 for a bad request, 500 (logged) for a model error."""
    async def guarded(request: Request):
        try:
            return await endpoint(request)
        except BadRequest as exc:
            return _JSON({"status": "error", "detail": str(exc)}, status_code=400)
        except Exception as exc:
            logger.exception("%s %s failed", request.method, request.url.path)
            return _JSON({"status": "error", "detail": f"{type(exc).__name__}: {exc}"}, status_code=500)

    return guarded


class _BasicAuth:
    def __init__(self, app, credentials: tuple[str, str]):
        self.app, self.expected = app, f"{credentials[0]}:{credentials[1]}".encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not self._authorized(dict(scope["headers"]).get(b"authorization", b"")):
            response = Response("Unauthorized", status_code=401, headers={"WWW-Authenticate": 'Basic realm="ML"'})
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)

    def _authorized(self, header: bytes) -> bool:
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            return secrets.compare_digest(base64.b64decode(encoded, validate=True), self.expected)
        except (binascii.Error, ValueError):
            return False
