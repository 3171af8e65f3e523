"""/api/projects/{id}/dashboard and /api/projects/{id}/dashboard/{section}.csv: a project's progress, its
annotators' throughput, agreement and accuracy, label distribution and review outcomes. Reviewers and up."""
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import ReviewerUser, SessionDep, SettingsDep, WriteSessionDep
from ..errors import NotFound
from ..responses import ok
from ..services import background
from ..services import dashboard as svc
from ..services import projects as project_svc

router = APIRouter(prefix="/api/projects", tags=["stats"])


@router.get("/{project_id}/dashboard", operation_id="project_dashboard")
def dashboard(project_id: int, request: Request, user: ReviewerUser, session: WriteSessionDep, settings: SettingsDep):
    """The figures as last computed (`computed_at`; `stale` while a job computes them again after new work)."""
    project = project_svc.get_project(session, user, project_id)

    def queue_refresh():
        background.submit(session, request.app.state.queue.enqueue, project.id, "dashboard", settings.queued_lease_s,
                          project_id=project.id)
    return ok(svc.cached(session, project, queue_refresh))


@router.get("/{project_id}/dashboard/{section}.csv", operation_id="project_dashboard_csv")
def dashboard_csv(project_id: int, section: str, user: ReviewerUser, session: SessionDep):
    """The numbers behind a chart: progress, annotators or labels."""
    if section not in svc.SECTIONS:
        raise NotFound(f"No dashboard table '{section}'; use one of {', '.join(svc.SECTIONS)}.")
    project = project_svc.get_project(session, user, project_id)
    body = svc.as_csv(svc.SECTIONS[section](session, project))
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="project-{project.id}-{section}.csv"'})
