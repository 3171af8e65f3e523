"""/api/jobs/{id}: progress of a background job (retrieving predictions, ...)."""
from fastapi import APIRouter

from ..deps import CurrentUser, SessionDep
from ..errors import get_or_404
from ..models import Job
from ..responses import ok
from ..services import projects as project_svc
from ..services.ml import job_json

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", operation_id="get_job")
def get_job(job_id: int, user: CurrentUser, session: SessionDep):
    job = get_or_404(session, Job, job_id, "Job")
    project_svc.get_project(session, user, job.project_id)
    return ok(job_json(job))
