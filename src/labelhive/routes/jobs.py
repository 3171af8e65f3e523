"""/api/jobs/{id} (a background job's progress), /api/jobs/{id}/retry, and /api/projects/{id}/jobs (the
project's recent jobs: conversions, webhook deliveries, predictions, writes to export storage)."""
from fastapi import APIRouter, Request

from ..deps import ManagerUser, SessionDep
from ..errors import get_or_404
from ..models import Job
from ..responses import ok
from ..services import background
from ..services import projects as project_svc

router = APIRouter(tags=["jobs"])


def _job(session, user, job_id: int) -> Job:
    job = get_or_404(session, Job, job_id, "Job")
    project_svc.get_project(session, user, job.project_id)  # a 404 for a project this user cannot see
    return job


@router.get("/api/jobs/{job_id}", operation_id="get_job")
def get_job(job_id: int, user: ManagerUser, session: SessionDep):
    return ok(background.job_json(_job(session, user, job_id)))


@router.post("/api/jobs/{job_id}/retry", operation_id="retry_job")
def retry_job(job_id: int, request: Request, user: ManagerUser, session: SessionDep):
    job = background.retry(session, request.app.state.queue.enqueue, _job(session, user, job_id),
                           request.app.state.settings.queued_lease_s)
    return ok(background.job_json(job))


@router.get("/api/projects/{project_id}/jobs", operation_id="list_project_jobs")
def list_jobs(project_id: int, user: ManagerUser, session: SessionDep):
    """The newest 100 jobs of the project, newest first."""
    project = project_svc.get_project(session, user, project_id)
    return ok([background.job_json(j) for j in background.listing(session, project)])
