"""/api/projects/{id}/stats/...: agreement between annotators and accuracy against ground truth (Label Studio
Enterprise's shapes, as label-studio-sdk 2.x's client.projects.stats models them). Reviewers and up."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from ..deps import ReviewerUser, SessionDep
from ..models import User
from ..responses import ok
from ..schemas import user_brief
from ..services import agreement
from ..services import projects as project_svc
from .params import int_list

router = APIRouter(prefix="/api/projects", tags=["stats"])


def _users(session, ids: list[int]) -> list[dict]:
    found = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    return [user_brief(found[i]) for i in ids if i in found]


@router.get("/{project_id}/stats/IAA", operation_id="stats_iaa")
def iaa(project_id: int, request: Request, user: ReviewerUser, session: SessionDep):
    """The mean agreement of each pair of annotators over the tasks they share (?per_label=true: per label)."""
    project = project_svc.get_project(session, user, project_id)
    if request.query_params.get("per_label", "").lower() in ("1", "true"):
        found = agreement.pair_matrix_per_label(session, project)
        return ok({"IAA": found["IAA"], "users": _users(session, found["users"])})
    found = agreement.pair_matrix(session, project)
    return ok({"IAA": found["IAA"], "users": _users(session, found["users"]), "common_tasks": found["common_tasks"],
               "std": None})


@router.get("/{project_id}/stats/agreement_annotators", operation_id="stats_agreement_annotators")
def agreement_annotators(project_id: int, request: Request, user: ReviewerUser, session: SessionDep):
    """Each annotator's mean agreement with the others (?ids=1,2 for only those)."""
    project = project_svc.get_project(session, user, project_id)
    found = agreement.per_annotator(session, project)
    if request.query_params.get("ids"):
        wanted = set(int_list(request.query_params["ids"], "ids"))
        found = {u: v for u, v in found.items() if u in wanted}
    return ok({"agreement": {str(u): v["agreement"] for u, v in found.items()}})


@router.get("/{project_id}/stats/agreement_annotator/{user_id}", operation_id="stats_agreement_annotator")
def agreement_annotator(project_id: int, user_id: int, user: ReviewerUser, session: SessionDep):
    project = project_svc.get_project(session, user, project_id)
    found = agreement.per_annotator(session, project).get(user_id)
    return ok({"Agreement_per_annotator": found["agreement"] if found else None})


@router.get("/{project_id}/stats/total_agreement", operation_id="stats_total_agreement")
def total_agreement(project_id: int, user: ReviewerUser, session: SessionDep):
    return ok({"total_agreement": agreement.project_mean(session, project_svc.get_project(session, user, project_id))})


@router.get("/{project_id}/stats/agreement-groundtruth", operation_id="stats_agreement_groundtruth")
def agreement_groundtruth(project_id: int, user: ReviewerUser, session: SessionDep):
    """Each annotator's accuracy: their agreement with the ground truth on the tasks that have one."""
    project = project_svc.get_project(session, user, project_id)
    return ok({"agreement": {str(u): v["accuracy"] for u, v in agreement.accuracy(session, project).items()}})


@router.get("/{project_id}/users/{user_id}/stats/agreement-groundtruth", operation_id="stats_user_accuracy")
def user_agreement_groundtruth(project_id: int, user_id: int, user: ReviewerUser, session: SessionDep):
    project = project_svc.get_project(session, user, project_id)
    found = agreement.accuracy(session, project, user_id).get(user_id)
    return ok({"agreement": found["accuracy"] if found else None})
