"""/api/predictions and /api/predictions/{id}."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import CurrentUser, ManagerUser, SessionDep
from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import Prediction, Project
from ..responses import no_content, ok
from ..schemas import prediction_json
from ..services import permissions
from ..services import predictions as svc
from ..services import projects as project_svc
from ..services.tasks import get_task
from .params import JsonObject

router = APIRouter(prefix="/api/predictions", tags=["predictions"])


def _load(session, user, prediction_id) -> tuple[Prediction, Project]:
    pred = get_or_404(session, Prediction, prediction_id, "Prediction")
    project = session.get(Project, pred.project_id)
    if project.organization_id != user.organization_id:
        raise NotFound(f"Prediction {prediction_id} not found")
    permissions.check_project(session, user, project)
    return pred, project


@router.get("", operation_id="list_predictions")
def list_predictions(request: Request, user: CurrentUser, session: SessionDep):
    query = select(Prediction).order_by(Prediction.id)
    if request.query_params.get("task"):
        task, _ = get_task(session, user, request.query_params["task"])
        query = query.where(Prediction.task_id == task.id)
    elif request.query_params.get("project"):
        project = project_svc.get_project(session, user, request.query_params["project"])
        query = query.where(Prediction.project_id == project.id)
    else:
        raise ValidationFailed("Pass ?task=<id> or ?project=<id> to list predictions.")
    return ok([prediction_json(p) for p in session.scalars(query)])


@router.post("", operation_id="create_prediction")
def create_prediction(request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    if "task" not in body:
        raise ValidationFailed("Validation error", {"task": ["This field is required."]})
    task, project = get_task(session, user, body["task"])
    return ok(prediction_json(svc.create_prediction(session, project, task, body)), 201)


@router.get("/{prediction_id}", operation_id="get_prediction")
def get_prediction(prediction_id: int, user: CurrentUser, session: SessionDep):
    return ok(prediction_json(_load(session, user, prediction_id)[0]))


@router.patch("/{prediction_id}", operation_id="update_prediction")
def update_prediction(prediction_id: int, request: Request, user: ManagerUser, session: SessionDep, body: JsonObject):
    pred, project = _load(session, user, prediction_id)
    return ok(prediction_json(svc.update_prediction(session, project, pred, body)))


@router.put("/{prediction_id}", operation_id="replace_prediction")
def replace_prediction(prediction_id: int, request: Request, user: ManagerUser, session: SessionDep,
                       body: JsonObject):
    return update_prediction(prediction_id, request, user, session, body)


@router.delete("/{prediction_id}", operation_id="delete_prediction")
def delete_prediction(prediction_id: int, user: ManagerUser, session: SessionDep):
    pred, project = _load(session, user, prediction_id)
    svc.delete_prediction(session, project, pred)
    return no_content()
