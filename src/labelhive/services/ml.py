"""ML backends (Label Studio's protocol, LS-COMPAT §3): handshake, predictions, training, interactive calls."""
import base64
import logging

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from ..auth import user_token
from ..db import release
from ..errors import FetchFailed, NotFound, ValidationFailed, describe, get_or_404
from ..models import Job, MLBackend, Prediction, Project, Task, User
from ..responses import dumps
from . import outbound, webhooks
from .exports import iter_export_tasks, task_filter
from .projects import config_of, projects_json
from .tasks import recount, serialize_tasks
from .validation import normalize_prediction_result

FIELDS = ("url", "title", "description", "is_interactive", "auth_method", "basic_auth_user", "basic_auth_pass",
          "extra_params", "timeout", "model_version", "auto_update")
STATES = {"CO": "Connected", "DI": "Disconnected", "ER": "Error", "TR": "Training", "PR": "Predicting"}
HEALTH_TIMEOUT_S, SETUP_TIMEOUT_S = 5, 30
DEFAULT_TIMEOUT_S = 100  # a backend's own `timeout` when it has none
# Predictions for a batch of BATCH tasks can be big (brush masks); this only stops a runaway answer.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
BATCH = 16
log = logging.getLogger("labelhive.ml")


class BackendError(ValidationFailed):
    pass


def backend_json(b: MLBackend) -> dict:
    return {"id": b.id, "state": b.state, "readable_state": STATES.get(b.state, b.state),
            "is_interactive": b.is_interactive, "url": b.url, "error_message": b.error_message, "title": b.title,
            "auth_method": b.auth_method, "basic_auth_user": b.basic_auth_user,
            "basic_auth_pass_is_set": bool(b.basic_auth_pass), "description": b.description,
            "extra_params": b.extra_params, "model_version": b.model_version, "timeout": b.timeout,
            "created_at": b.created_at, "updated_at": b.updated_at, "auto_update": b.auto_update,
            "project": b.project_id}


def project_tag(project: Project) -> str:
    # Backends split this on "." (an int crashes the current backend kit), so it must be this string.
    return f"{project.id}.{int(project.created_at.timestamp())}"


def _headers(b: MLBackend) -> dict:
    headers = {"Content-Type": "application/json", "User-Agent": "LabelHive"}
    if b.auth_method == "BASIC_AUTH":
        pair = f"{b.basic_auth_user or ''}:{b.basic_auth_pass or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return headers


def _call(b: MLBackend, method: str, path: str, timeout: float, body: dict | None = None) -> outbound.Response:
    """One request to the backend; `timeout` is the deadline for all of it. Redirects are not followed
    (as before, with httpx): a backend answers where it was configured."""
    timeout = timeout or DEFAULT_TIMEOUT_S
    try:
        return outbound.fetch(f"{b.url}{path}", method=method, headers=_headers(b),
                              body=dumps(body) if body is not None else None, timeout=timeout,
                              max_bytes=MAX_ANSWER_BYTES, follow_redirects=False, what="ML backend")
    except FetchFailed as exc:
        if exc.kind not in outbound.UNREACHABLE:
            raise BackendError(f"ML backend {b.url}{path}: {exc.reason}.") from exc
        # Both causes named, since the guard does not say which (see outbound.client.NO_ANSWER_REASON).
        detail = f" (refused, or timed out after {timeout:g} s)" if exc.kind == outbound.NO_ANSWER else ""
        raise BackendError(f"Can't connect to ML backend {b.url}: {exc.reason}{detail}. Is it running, and "
                           "reachable from the LabelHive server?") from exc


def _json(response: outbound.Response, what: str) -> dict:
    if response.status == 401:
        raise BackendError(f"The ML backend refused our credentials on {what} (HTTP 401): check basic auth.")
    if response.status >= 400:
        raise BackendError(f"The ML backend answered {what} with HTTP {response.status}: {response.text[:300]}")
    try:
        return response.json()
    except ValueError as exc:
        raise BackendError(f"The ML backend's {what} answer is not JSON: {response.text[:200]!r}") from exc


def handshake(b: MLBackend, project: Project, token: str, hostname: str) -> None:
    """GET /health then POST /setup, as Label Studio does; the backend's model version comes from setup.
    Callers end their transaction first (db.release): a backend may take its time to answer."""
    _json(_call(b, "GET", "/health", HEALTH_TIMEOUT_S), "/health")
    setup = _json(_call(b, "POST", "/setup", SETUP_TIMEOUT_S, {
        "project": project_tag(project), "schema": project.label_config, "hostname": hostname,
        "access_token": token, "extra_params": b.extra_params}), "/setup")
    if b.auto_update or not b.model_version:
        b.model_version = str(setup.get("model_version") or b.model_version or "")
    b.state, b.error_message = "CO", None


def _apply(b: MLBackend, body: dict) -> None:
    for name in FIELDS:
        if name in body:
            setattr(b, name, body[name])
    b.url = outbound.check_url(b.url).rstrip("/")  # paths are appended to it: {url}/predict
    if b.auth_method not in ("NONE", "BASIC_AUTH"):
        raise ValidationFailed("Validation error", {"auth_method": ["Use NONE or BASIC_AUTH."]})


def create(session: Session, project: Project, user: User, body: dict, token: str, hostname: str) -> MLBackend:
    b = MLBackend(project_id=project.id, url=body.get("url", ""), title="default", description="",
                  auth_method="NONE", timeout=float(DEFAULT_TIMEOUT_S), auto_update=True, is_interactive=False, model_version="")
    _apply(b, body)
    release(session)
    handshake(b, project, token, hostname)
    session.add(b)
    session.flush()
    # As Label Studio: the project pre-labels with the backend it just connected (its title names it).
    project.model_version = b.title
    webhooks.create(session, user, project, {"url": f"{b.url}/webhook", "send_payload": True,
                                             "send_for_all_actions": True}, ml_backend_id=b.id)
    session.commit()
    return b


def update(session: Session, b: MLBackend, project: Project, body: dict, token: str, hostname: str) -> MLBackend:
    release(session)  # before _apply: a refused handshake must not leave the changes to be committed later
    _apply(b, body)
    handshake(b, project, token, hostname)
    for hook in session.scalars(select(webhooks.Webhook).where(webhooks.Webhook.ml_backend_id == b.id)):
        hook.url = f"{b.url}/webhook"
    session.commit()
    return b


def get(session: Session, user: User, backend_id) -> tuple[MLBackend, Project]:
    b = get_or_404(session, MLBackend, backend_id, "ML backend")
    project = session.get(Project, b.project_id)
    if project.organization_id != user.organization_id:
        raise NotFound(f"ML backend {backend_id} not found")
    return b, project


def predict(session: Session, b: MLBackend, project: Project, tasks: list[Task], token: str, hostname: str,
            context: dict | None = None) -> list:
    body = {"tasks": serialize_tasks(session, project, tasks, full=True), "project": project_tag(project),
            "label_config": project.label_config, "params": {"login": None, "password": None, "context": context}}
    release(session)
    answer = _json(_call(b, "POST", "/predict", b.timeout, body), "/predict")
    results = answer.get("results")
    if not isinstance(results, list):
        raise BackendError("The ML backend's /predict answer has no 'results' list.")
    default_version = str(answer.get("model_version") or b.model_version or "")
    return [_with_version(r, default_version) for r in results]


def _with_version(result, default_version: str):
    items = result if isinstance(result, list) else [result]
    for item in items:
        if isinstance(item, dict):
            item.setdefault("model_version", default_version)
            item["model_version"] = str(item["model_version"] or default_version)
    return items


def store_predictions(session: Session, project: Project, tasks: list[Task], results: list) -> int:
    config = config_of(project)
    rows = []
    for task, items in zip(tasks, results):
        for item in items:
            if not isinstance(item, dict) or "result" not in item:
                raise BackendError(f"Prediction for task {task.id} has no 'result': {str(item)[:200]}")
            score = item.get("score")
            if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
                raise BackendError(f"Prediction for task {task.id}: 'score' must be a number, got {score!r}.")
            rows.append({"task_id": task.id, "project_id": project.id, "model_version": item["model_version"],
                         "result": normalize_prediction_result(config, item["result"]), "score": score})
    if rows:
        session.execute(insert(Prediction), rows)
        recount(session, project, list({r["task_id"] for r in rows}))
    return len(rows)


def retrieve_predictions(sessions, job_id: int, backend_id: int, task_ids: list[int], user_id: int,
                         hostname: str) -> None:
    """The retrieve_tasks_predictions action, as a job row (services/background.py): batches of tasks, progress
    in the row, tasks that already have a prediction of the backend's current model version skipped, so a
    retry after a crash goes on where the stopped run was. A failure is also the backend's state."""
    with sessions() as session:
        job, b = session.get(Job, job_id), session.get(MLBackend, backend_id)
        if b is None:
            raise NotFound("The ML backend was removed.")
        project = session.get(Project, b.project_id)
        # The token of the user who asked, read now: it is never kept in the job row, and a retry after a token
        # reset sends the current one.
        token = user_token(session, session.get(User, user_id)).key
        session.commit()
        try:
            handshake(b, project, token, hostname)
            session.commit()
            has_current = exists().where(Prediction.task_id == Task.id, Prediction.model_version == b.model_version)
            todo = list(session.scalars(select(Task.id).where(Task.id.in_(task_ids), ~has_current).order_by(Task.id)))
            job.done, job.total = 0, len(todo)
            job.result = {"skipped": len(task_ids) - len(todo), "predictions": 0}
            session.commit()
            for start in range(0, len(todo), BATCH):
                tasks = list(session.scalars(select(Task).where(Task.id.in_(todo[start:start + BATCH]))
                                             .order_by(Task.id)))
                results = predict(session, b, project, tasks, token, hostname)
                # Like Label Studio, an answer that does not line up with the tasks (an untrained model
                # answering []) is dropped for this batch rather than failing the whole job.
                created = store_predictions(session, project, tasks, results) if len(results) == len(tasks) else 0
                job.done += len(tasks)
                job.result = {**job.result, "predictions": job.result["predictions"] + created}
                session.commit()
        except Exception as exc:
            session.rollback()
            b = session.get(MLBackend, backend_id)
            b.state, b.error_message = "ER", describe(exc)
            session.commit()
            log.warning("retrieving predictions for project %s failed: %s", b.project_id, b.error_message)
            raise


def train(session: Session, b: MLBackend, project: Project, body: dict, token: str, hostname: str) -> str | None:
    """START_TRAINING to {url}/webhook (current protocol); backends without it (label-studio-ml 1.0.x)
    get the older POST {url}/train with the labeled tasks. Returns why nothing was trained, if nothing was."""
    payload = {"action": "START_TRAINING", "project": projects_json(session, [project])[0],
               "use_ground_truth": bool(body.get("use_ground_truth"))}
    release(session)
    # label-studio-ml 1.0.9 accepts START_TRAINING without training on it, as with Label Studio; its own
    # /train route crashes there, so /train is only tried when the webhook is refused outright.
    response = _call(b, "POST", "/webhook", b.timeout, payload)
    if response.status < 400 and "Unknown event" not in response.text:
        return None
    annotations = list(iter_export_tasks(session, project, task_filter(project, False, None)))
    release(session)
    response = _call(b, "POST", "/train", b.timeout, {
        "annotations": annotations, "project": project_tag(project), "label_config": project.label_config,
        "params": {"login": None, "password": None}})
    if response.status == 404:
        # Neither way of training exists: a predict-only backend. Label Studio answers 200 here too; the
        # answer says that nothing was trained rather than failing the request.
        return "The ML backend has no training: it refused START_TRAINING and has no /train."
    _json(response, "/train")
    return None


def versions(b: MLBackend) -> dict:
    response = _call(b, "GET", "/versions", HEALTH_TIMEOUT_S)
    if response.status == 405:
        response = _call(b, "POST", "/versions", HEALTH_TIMEOUT_S, {})
    if response.status == 404:
        # A backend without /versions (label-studio-ml 1.x): the version it reported at setup, as Label Studio.
        return {"versions": [b.model_version] if b.model_version else [],
                "message": "Upgrade your ML backend version to latest."}
    answer = _json(response, "/versions")
    return {"versions": answer.get("versions", []), "message": answer.get("message", "")}


def has_live_model(session: Session, project: Project) -> bool:
    """Whether opening a task may ask a backend for a prediction (see predict_on_open): a cheap test first."""
    return bool(project.model_version or project.evaluate_predictions_automatically) and session.scalar(
        select(MLBackend.id).where(MLBackend.project_id == project.id).limit(1)) is not None


def predict_on_open(session: Session, writer, project: Project, task: Task, token: str, hostname: str) -> None:
    """A task opened (GET /api/tasks/{id}, /next) gets a prediction from the live model when it has none of
    that model's current version, as in Label Studio: the live model is the backend the project's
    model_version names (connecting one names it), or the first backend where the project has
    evaluate_predictions_automatically. A failing backend records its error and the user still gets the task."""
    backends = select(MLBackend).where(MLBackend.project_id == project.id).order_by(MLBackend.id)
    b = session.scalars(backends.where(MLBackend.title == project.model_version)).first() \
        if project.model_version else None
    if b is None and project.evaluate_predictions_automatically:
        b = session.scalars(backends).first()
    if b is None:
        return
    have = select(Prediction.id).where(Prediction.task_id == task.id)
    if b.model_version:
        have = have.where(Prediction.model_version == b.model_version)
    if session.scalar(have.limit(1)) is not None:
        return
    # `session` may be a GET's read-only one (on SQLite a deferred transaction, which cannot safely turn into a
    # write): what is stored goes through a session of its own that takes the write lock first.
    try:
        results = predict(session, b, project, [task], token, hostname)
        with writer() as write:
            store_predictions(write, project, [task], results[:1])
            write.commit()
    except ValidationFailed as exc:
        with writer() as write:
            failed = write.get(MLBackend, b.id)
            failed.state, failed.error_message = "ER", describe(exc)
            write.commit()
        log.warning("prediction on open failed for task %s: %s", task.id, describe(exc))
    session.commit()  # the next read sees what was stored
    session.refresh(task)
