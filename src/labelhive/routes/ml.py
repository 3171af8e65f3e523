"""/api/ml, /api/ml/{id}, /train, /interactive-annotating, /versions, /predict/test: connected model servers."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from .. import auth
from ..db import release
from ..deps import CurrentUser, ManagerUser, SessionDep
from ..errors import ValidationFailed
from ..models import MLBackend, Task, User
from ..responses import no_content, ok
from ..services import ml as svc
from ..services import projects as project_svc
from ..services.tasks import get_task
from .params import JsonObject

router = APIRouter(prefix="/api/ml", tags=["ml"])


def server_identity(request: Request, session, user) -> tuple[str, str]:
    """What a backend needs to fetch media back from us: our base URL and a token (LS sends these too)."""
    session.commit()
    # Its own session: on a GET, `session` is a read-only one, and the token may have to be made.
    with request.app.state.sessions() as write:
        token = auth.user_token(write, write.get(User, user.id)).key
        write.commit()
    return token, str(request.base_url).rstrip("/")


@router.get("", operation_id="list_ml_backends")
def list_backends(request: Request, user: CurrentUser, session: SessionDep):
    pid = request.query_params.get("project")
    if not pid:
        raise ValidationFailed("Pass ?project=<id> to list its ML backends.")
    project = project_svc.get_project(session, user, pid)
    rows = session.scalars(select(MLBackend).where(MLBackend.project_id == project.id).order_by(MLBackend.id))
    return ok([svc.backend_json(b) for b in rows])


@router.post("", operation_id="create_ml_backend")
def create_backend(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    if "project" not in body:
        raise ValidationFailed("Validation error", {"project": ["This field is required."]})
    project = project_svc.get_project(session, user, body["project"])
    token, host = server_identity(request, session, user)
    b = svc.create(session, project, user, body, token, host)
    return ok(svc.backend_json(b), 201)


@router.get("/{backend_id}", operation_id="get_ml_backend")
def get_backend(backend_id: int, user: CurrentUser, session: SessionDep):
    return ok(svc.backend_json(svc.get(session, user, backend_id)[0]))


@router.patch("/{backend_id}", operation_id="update_ml_backend")
def update_backend(backend_id: int, request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    b, project = svc.get(session, user, backend_id)
    token, host = server_identity(request, session, user)
    b = svc.update(session, b, project, body, token, host)
    return ok(svc.backend_json(b))


@router.delete("/{backend_id}", operation_id="delete_ml_backend")
def delete_backend(backend_id: int, user: ManagerUser, session: SessionDep):
    b, _ = svc.get(session, user, backend_id)
    session.delete(b)  # its webhook goes with it (ON DELETE CASCADE)
    session.commit()
    return no_content()


@router.post("/{backend_id}/train", operation_id="train_ml_backend")
def train(backend_id: int, request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    b, project = svc.get(session, user, backend_id)
    token, host = server_identity(request, session, user)
    untrained = svc.train(session, b, project, body, token, host)
    return ok({"detail": untrained or "Training started"})


@router.post("/{backend_id}/interactive-annotating", operation_id="ml_interactive_annotating")
def interactive(backend_id: int, request: Request, user: CurrentUser, session: SessionDep, body: JsonObject):
    b, project = svc.get(session, user, backend_id)
    if not b.is_interactive:
        raise ValidationFailed("This ML backend is not interactive: set is_interactive to use it while labeling.")
    task, task_project = get_task(session, user, body.get("task"))
    if task_project.id != project.id:
        raise ValidationFailed(f"Task {task.id} is not in this backend's project.")
    token, host = server_identity(request, session, user)
    results = svc.predict(session, b, project, [task], token, host, body.get("context"))
    return ok({"data": results[0][0] if results and results[0] else {}})


@router.get("/{backend_id}/versions", operation_id="list_ml_backend_versions")
def versions(backend_id: int, user: ManagerUser, session: SessionDep):
    b, _ = svc.get(session, user, backend_id)
    release(session)  # before asking the backend
    return ok(svc.versions(b))


@router.post("/{backend_id}/predict/test", operation_id="test_ml_backend_predict")
def predict_test(backend_id: int, request: Request, user: ManagerUser, session: SessionDep):
    b, project = svc.get(session, user, backend_id)
    task = session.scalars(select(Task).where(Task.project_id == project.id).order_by(Task.id).limit(1)).first()
    if task is None:
        raise ValidationFailed("Import a task first: the test sends one task to the backend.")
    token, host = server_identity(request, session, user)
    results = svc.predict(session, b, project, [task], token, host)
    return ok({"results": results})
