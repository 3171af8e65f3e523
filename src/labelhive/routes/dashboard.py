"""/api/projects/{id}/dashboard and /api/projects/{id}/dashboard/{section}.csv: a project's progress, its
annotators' throughput, agreement and accuracy, label distribution and review outcomes. Reviewers and up."""
from fastapi import APIRouter
from fastapi.responses import Response

from ..deps import ReviewerUser, SessionDep
from ..errors import NotFound
from ..responses import ok
from ..services import dashboard as svc
from ..services import projects as project_svc

router = APIRouter(prefix="/api/projects", tags=["stats"])


@router.get("/{project_id}/dashboard", operation_id="project_dashboard")
def dashboard(project_id: int, user: ReviewerUser, session: SessionDep):
    return ok(svc.dashboard(session, project_svc.get_project(session, user, project_id)))


@router.get("/{project_id}/dashboard/{section}.csv", operation_id="project_dashboard_csv")
def dashboard_csv(project_id: int, section: str, user: ReviewerUser, session: SessionDep):
    """The numbers behind a chart: progress, annotators or labels."""
    if section not in svc.SECTIONS:
        raise NotFound(f"No dashboard table '{section}'; use one of {', '.join(svc.SECTIONS)}.")
    project = project_svc.get_project(session, user, project_id)
    body = svc.as_csv(svc.SECTIONS[section](session, project))
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="project-{project.id}-{section}.csv"'})
