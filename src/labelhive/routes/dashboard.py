"""/api/projects/{id}/dashboard and /api/projects/{id}/dashboard/{section}.csv: a project's progress, its
annotators' throughput, agreement and accuracy, label distribution and review outcomes. Reviewers and up."""
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..deps import ReviewerUser, SessionDep
from ..errors import NotFound
from ..responses import ok
from ..services import background
from ..services import dashboard as svc
from ..services import projects as project_svc

router = APIRouter(prefix="/api/projects", tags=["stats"])


def queue_refresh(request: Request, session, project) -> None:
    """A "dashboard" job computes the project's figures again (its visits meanwhile answer the last ones)."""
    background.submit(session, request.app.state.queue.enqueue, project.id, "dashboard",
                      request.app.state.settings.queued_lease_s, project_id=project.id)


def refresh_after_import(request: Request, session, project, annotations: int | None) -> None:
    """Imported annotations: the figures are computed now, in the background, rather than on the next visit."""
    if annotations and not svc.refreshing(session, project):
        queue_refresh(request, session, project)


@router.get("/{project_id}/dashboard", operation_id="project_dashboard")
def dashboard(project_id: int, request: Request, user: ReviewerUser, session: SessionDep):
    """The figures as last computed (`computed_at`; `stale` while a job computes them again after new work;
    `computed_at` null while the first figures are computed). Reads in this request's read session; the writes
    (a job row, the kept figures) each take a short write session, so a visit never waits on the write lock."""
    project = project_svc.get_project(session, user, project_id)

    def queue():
        with request.app.state.sessions() as writer:
            queue_refresh(request, writer, project)

    def keep(pid: int, seen: str, body: dict):
        with request.app.state.sessions() as writer:
            return svc.save(writer, pid, seen, body)
    return ok(svc.cached(session, project, queue, keep))


@router.get("/{project_id}/dashboard/{section}.csv", operation_id="project_dashboard_csv")
def dashboard_csv(project_id: int, section: str, user: ReviewerUser, session: SessionDep):
    """The numbers behind a chart: progress, annotators or labels."""
    if section not in svc.SECTIONS:
        raise NotFound(f"No dashboard table '{section}'; use one of {', '.join(svc.SECTIONS)}.")
    project = project_svc.get_project(session, user, project_id)
    body = svc.as_csv(svc.SECTIONS[section](session, project))
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="project-{project.id}-{section}.csv"'})
