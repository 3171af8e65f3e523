"""/api/labels: Label Studio's label library. LabelHive keeps labels in each project's config only, so the
library is empty, as it is on a Label Studio CE server where nobody filled it; /api/labels/bulk renames a label
in annotations."""
from fastapi import APIRouter

from ..deps import CurrentUser, ManagerUser, SessionDep
from ..responses import ok
from ..services import labels as svc
from ..services import projects as project_svc
from .params import JsonObject

router = APIRouter(prefix="/api/labels", tags=["labels"])


@router.get("", operation_id="list_labels")
def list_labels(user: CurrentUser):
    return ok({"count": 0, "next": None, "previous": None, "results": []})


@router.post("/bulk", operation_id="rename_label")
def rename_label(user: ManagerUser, session: SessionDep, body: JsonObject):
    """{"project"?, "old_label": [...], "new_label": [...]}: regions labeled exactly old_label get new_label, in
    the project's annotations, or in every project of the organization without one."""
    project = project_svc.get_project(session, user, body["project"]) if body.get("project") else None
    return ok({"annotations_updated": svc.rename(session, user, body, project)})
